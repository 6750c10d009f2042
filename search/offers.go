package search

import (
	"context"
	"math"
	"math/bits"
	"sort"

	"github.com/ror-recherche/ror"
)

type offerHit struct {
	uo    uint32
	acts  uint64 // bit i: activité i matches; bit 63 stands for NoActivite
	dist  float64
	place uint32 // the place the hit was met at (its EG's without Near or Places)
}

// Offers returns the page of offres q asks for, nearest first with Near,
// else by UO id then activité order, and how many there are in all.
func (r Raw) Offers(ctx context.Context, q ror.OfferQuery) ([]ror.OfferHit, int, error) {
	d := r.d
	var cands ror.Candidates
	if len(q.Require) > 0 {
		c, err := d.o.index.Require(ctx, q.Require)
		if err != nil {
			return nil, 0, err
		}
		cands = c
		defer ror.Release(c)
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	var hits []offerHit
	total := 0
	consider := func(u uint32, dist float64, place uint32) {
		uo, eg := &d.o.cat.UOs[u], &d.o.cat.EGs[d.o.cat.EGOf[u]]
		var at *ror.Lieu
		if q.Places {
			at = d.o.cat.PlaceLieu(place)
		}
		var acts uint64
		if len(uo.Activites) == 0 {
			if q.Match == nil || q.Match(uo, eg, at, ror.NoActivite) {
				acts = 1 << 63
			}
		}
		for i := range min(len(uo.Activites), 63) {
			if q.Match == nil || q.Match(uo, eg, at, i) {
				acts |= 1 << i
			}
		}
		if acts != 0 {
			hits = append(hits, offerHit{uo: u, acts: acts, dist: dist, place: place})
			total += bits.OnesCount64(acts)
		}
	}
	// each visits u at its places with Places, else once at its EG.
	each := func(u uint32) {
		if !q.Places {
			consider(u, -1, d.o.cat.EGOf[u])
			return
		}
		places := d.o.cat.UnitPlaces(u)
		if places == nil {
			consider(u, -1, d.o.cat.EGOf[u])
		}
		for _, p := range places {
			consider(u, -1, p)
		}
	}
	switch {
	case q.Near != nil:
		d.o.walkNear(*q.Near, cands, q.Places, consider)
	case cands != nil:
		cands.Each(func(u uint32) bool { each(u); return true })
	default:
		for u := range d.o.cat.UOs {
			each(uint32(u))
		}
	}
	switch {
	case q.Near != nil:
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].dist < hits[j].dist })
	case q.Order != nil:
		sort.SliceStable(hits, func(i, j int) bool { return q.Order(&d.o.cat.UOs[hits[i].uo], &d.o.cat.UOs[hits[j].uo]) < 0 })
	}
	limit := q.Limit
	if limit <= 0 || limit > ror.MaxResults {
		limit = ror.MaxResults
	}
	if q.All {
		limit = total
	}
	return d.o.offerPage(hits, q.Offset, limit), total, nil
}

// walkNear visits the candidate UOs of the places inside the circle with
// their distance, nearest place first (the candidates scanned when they are
// few, else the R-tree walked from the centre outwards): each UO once, at
// its nearest place, or at each of its places with every.
func (o *offer) walkNear(n ror.Near, cands ror.Candidates, every bool, visit func(u uint32, dist float64, place uint32)) {
	q := ror.Nearest{Rank: o.tree.ByDistance(n.Point), Len: len(o.cat.UOs), Max: n.RadiusKm}
	if cands != nil {
		q.Len, q.Each, q.Has = cands.Len(), o.placesOf(cands), o.hasCandidate(cands)
	}
	var seen map[uint32]bool // units met at a nearer lieu already
	if o.cat.HasLieux() && !every {
		seen = map[uint32]bool{}
	}
	if n.RadiusKm <= 0 {
		q.Max = math.SmallestNonzeroFloat64 // a circle of no radius holds its centre only
	}
	o.tree.Nearest(q, func(place uint32, km float64) bool {
		for _, u := range o.cat.UnitsAt(place) { // an EG's address or a lieu: the units delivered there
			if cands == nil || cands.Contains(u) {
				if seen != nil {
					if seen[u] {
						continue
					}
					seen[u] = true
				}
				visit(u, km, place)
			}
		}
		return true
	})
}

// offerPage expands the hits into offres and copies the page's records.
func (o *offer) offerPage(hits []offerHit, offset, limit int) []ror.OfferHit {
	var out []ror.OfferHit
	n := 0
	for _, h := range hits {
		for acts := h.acts; acts != 0; acts &= acts - 1 {
			i := bits.TrailingZeros64(acts)
			if n++; n <= offset {
				continue
			}
			if len(out) == limit {
				return out
			}
			act := i
			if i == 63 {
				act = ror.NoActivite
			}
			hit := ror.OfferHit{UO: o.cat.UOs[h.uo], EG: o.cat.EGs[o.cat.EGOf[h.uo]], Activite: act, DistanceKm: h.dist}
			if l := o.cat.PlaceLieu(h.place); l != nil {
				c := *l
				hit.At = &c
			}
			out = append(out, hit)
		}
	}
	return out
}

// Nomenclature returns the national value sets the directory codes with.
func (r Raw) Nomenclature() *ror.Nomenclature { return r.d.o.nom }

// Gazetteer returns the communes and départements of the directory.
func (r Raw) Gazetteer() ror.Gazetteer { return r.d.o.places }
