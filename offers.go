package ror

import (
	"context"
	"math/bits"
	"sort"
)

// An offre opérationnelle is a UO seen through one of its activités: the
// grain of the FHIR HealthcareService, whose profile allows one activité
// opérationnelle each. A UO without activité is one offre of its own.

// NoActivite is the activité index of the offre of a UO without activité.
const NoActivite = -1

// OfferQuery selects offres for machine clients (the FHIR API).
type OfferQuery struct {
	// Require narrows the UOs through the index before Match runs: every
	// requirement must hold (AND), each by any of its codes (OR). It must
	// not exclude a UO that Match would accept.
	Require []Requirement
	Near    *Near // only EGs within the circle, nearest first
	// Match decides each offre: activite indexes u.Activites, or is
	// NoActivite. Nil accepts every offre of the candidate UOs.
	Match func(u *UO, eg *EG, activite int) bool
	// Order sorts the UOs when there is no Near; nil keeps the catalog's
	// order (UO id, then UOs created since the import).
	Order         func(a, b *UO) int
	Offset, Limit int // over offres; Limit 0 means MaxResults
}

// Near is a circle on the map.
type Near struct {
	Point    Point
	RadiusKm float64
}

// OfferHit is one selected offre with its UO and EG (copies).
type OfferHit struct {
	UO         UO
	EG         EG
	Activite   int     // index in UO.Activites, or NoActivite
	DistanceKm float64 // -1 without Near
}

// ActiviteCode is the code of the offre's activité, "" for NoActivite.
func (h *OfferHit) ActiviteCode() string {
	if h.Activite < 0 || h.Activite >= len(h.UO.Activites) {
		return ""
	}
	return h.UO.Activites[h.Activite]
}

type offerHit struct {
	uo   uint32
	acts uint64 // bit i: activité i matches; bit 63 stands for NoActivite
	dist float64
}

// Offers returns the page of offres q asks for, nearest first with Near,
// else by UO id then activité order, and how many there are in all.
func (d *Directory) Offers(ctx context.Context, q OfferQuery) ([]OfferHit, int, error) {
	var cands Candidates
	if len(q.Require) > 0 {
		c, err := d.index.Require(ctx, q.Require)
		if err != nil {
			return nil, 0, err
		}
		cands = c
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	var hits []offerHit
	total := 0
	consider := func(u uint32, dist float64) {
		uo, eg := &d.cat.UOs[u], &d.cat.EGs[d.cat.EGOf[u]]
		var acts uint64
		if len(uo.Activites) == 0 {
			if q.Match == nil || q.Match(uo, eg, NoActivite) {
				acts = 1 << 63
			}
		}
		for i := range min(len(uo.Activites), 63) {
			if q.Match == nil || q.Match(uo, eg, i) {
				acts |= 1 << i
			}
		}
		if acts != 0 {
			hits = append(hits, offerHit{uo: u, acts: acts, dist: dist})
			total += bits.OnesCount64(acts)
		}
	}
	switch {
	case q.Near != nil:
		d.walkNear(*q.Near, cands, consider)
	case cands != nil:
		cands.Each(func(u uint32) bool { consider(u, -1); return true })
	default:
		for u := range d.cat.UOs {
			consider(uint32(u), -1)
		}
	}
	switch {
	case q.Near != nil:
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].dist < hits[j].dist })
	case q.Order != nil:
		sort.SliceStable(hits, func(i, j int) bool { return q.Order(&d.cat.UOs[hits[i].uo], &d.cat.UOs[hits[j].uo]) < 0 })
	}
	limit := q.Limit
	if limit <= 0 || limit > MaxResults {
		limit = MaxResults
	}
	return d.offerPage(hits, q.Offset, limit), total, nil
}

// walkNear visits the candidate UOs of the EGs inside the circle with their
// distance: through the candidates when they are few, else through the
// R-tree from the centre outwards.
func (d *Directory) walkNear(n Near, cands Candidates, visit func(u uint32, dist float64)) {
	if cands != nil && cands.Len() <= directScanMax {
		cands.Each(func(u uint32) bool {
			if pt := d.pts[d.cat.EGOf[u]]; pt.Valid() {
				if km := d.tree.DistanceKm(n.Point, pt); km <= n.RadiusKm {
					visit(u, km)
				}
			}
			return true
		})
		return
	}
	d.tree.Nearest(n.Point, func(eg uint32, km float64) bool {
		if km > n.RadiusKm {
			return false
		}
		for _, u := range d.cat.UOsOf[eg] {
			if cands == nil || cands.Contains(u) {
				visit(u, km)
			}
		}
		return true
	})
}

// offerPage expands the hits into offres and copies the page's records.
func (d *Directory) offerPage(hits []offerHit, offset, limit int) []OfferHit {
	var out []OfferHit
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
				act = NoActivite
			}
			out = append(out, OfferHit{UO: d.cat.UOs[h.uo], EG: d.cat.EGs[d.cat.EGOf[h.uo]], Activite: act, DistanceKm: h.dist})
		}
	}
	return out
}

// Nomenclature returns the national value sets the directory codes with.
func (d *Directory) Nomenclature() *Nomenclature { return d.nom }

// Gazetteer returns the communes and départements of the directory.
func (d *Directory) Gazetteer() Gazetteer { return d.places }
