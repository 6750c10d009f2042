package search

import (
	"context"
	"slices"
	"time"

	"github.com/ror-recherche/ror"
)

// Presets returns the needs of the proximity lookup, in the order of
// data/presets.json.
func (d *Directory) Presets() []ror.Preset {
	return d.o.besoins
}

// Nearby returns the units nearest by travel time that carry every required
// code, with their beds; limit at most.
func (d *Directory) Nearby(ctx context.Context, q ror.NearQuery, now time.Time) ([]ror.NearResult, *ror.Commune, error) {
	from, err := d.o.origin(q)
	if err != nil {
		return nil, nil, err
	}
	reqs := q.Require
	if q.Besoin != "" {
		pr, ok := d.o.presets[q.Besoin]
		if !ok {
			return nil, nil, ror.Errorf(ror.Invalid, "besoin", "Le besoin « %s » n'existe pas.", ror.Clip(q.Besoin))
		}
		reqs = append(append([]ror.Requirement{}, pr.Require...), reqs...)
	}
	cands, err := d.o.index.Require(ctx, reqs)
	if err != nil {
		return nil, nil, err
	}
	defer ror.Release(cands)
	d.mu.RLock()
	defer d.mu.RUnlock()
	// The Limit nearest EGs with a qualifying unit by distance are not the
	// nearest by time (the model reads the density and the département at
	// each end, and no road crosses the sea): the walk goes on nearest by
	// distance until the time's lower bound there passes the worst kept,
	// so the order by time is exact. qualifying lists the units of eg that
	// qualify, once per EG.
	var buf []uint32
	bufEG, bufOK := uint32(0), false
	qualifying := func(place uint32) []uint32 {
		if bufOK && bufEG == place {
			return buf
		}
		buf = buf[:0]
		for _, u := range d.o.cat.UnitsAt(place) {
			if cands.Contains(u) && qualifies(&d.o.cat.UOs[u], q) {
				buf = append(buf, u)
			}
		}
		bufEG, bufOK = place, true
		return buf
	}
	var added map[uint32]bool // units already kept at a nearer lieu
	if d.o.cat.HasLieux() {
		added = map[uint32]bool{}
	}
	best := nearestByTime{limit: q.Limit, router: d.o.router, from: *from}
	d.o.tree.Nearest(ror.Nearest{
		Rank: d.o.tree.ByDistance(from.Point),
		Len:  cands.Len(),
		Each: d.o.placesOf(cands),
		Has:  func(place uint32) bool { return len(qualifying(place)) > 0 },
	}, func(place uint32, km float64) bool {
		if km > best.reachKm() {
			return false
		}
		eg := d.o.cat.PlaceEG(place)
		for _, u := range qualifying(place) {
			if added != nil && d.o.cat.Linked(eg) { // places come nearest first: a unit's first is its nearest
				if added[u] {
					continue
				}
				added[u] = true
			}
			best.add(eg, u, km, d.o.cat.PlaceCommune(place), d.o.pts[place])
		}
		return true
	})
	best.retime()
	out := make([]ror.NearResult, 0, len(best.hits))
	for _, h := range best.hits {
		out = append(out, d.r.nearResult(h, from, now))
	}
	return out, from, nil
}

func (o *offer) origin(q ror.NearQuery) (*ror.Commune, error) {
	if q.Point != nil {
		return &ror.Commune{Name: "position", Point: *q.Point}, nil
	}
	c, err := o.places.Resolve(q.Ou)
	if err != nil {
		return nil, err
	}
	if !c.Point.Valid() {
		return nil, ror.Errorf(ror.Invalid, "ou", "La commune « %s » n'a pas de position connue.", c.Label())
	}
	return &c, nil
}

// qualifies applies the per-unit conditions the bitmaps do not hold: beds
// available now, patientèle, open.
func qualifies(u *ror.UO, q ror.NearQuery) bool {
	if u.Statut == ror.StatutFerme {
		return false
	}
	if q.MinLits > 0 && (!u.Capacite.Known || u.Capacite.Disponibles < q.MinLits) {
		return false
	}
	switch q.Patientele {
	case ror.PatienteleEnfant:
		return u.Patientele.Enfant
	case ror.PatienteleAdulte:
		return u.Patientele.Adulte
	}
	return true
}

func (rn renderer) nearResult(h nearHit, from *ror.Commune, now time.Time) ror.NearResult {
	eg := &rn.o.cat.EGs[h.eg]
	uo := &rn.o.cat.UOs[h.uo]
	r := ror.NearResult{
		EG:         ror.EGRef{FINESS: eg.FINESS, Name: eg.Name, Address: eg.Address, Commune: rn.communeRef(eg.Commune), Phone: eg.Phone, Point: eg.Point},
		UO:         rn.uoResult(h.uo, nil),
		DistanceKm: round2(h.km),
	}
	if from.INSEE != "" && slices.Contains(uo.Zone, from.INSEE) {
		r.UO.Intervient = from.ShortName() // from its base, at its real distance
	}
	r.DurationMin, r.Estimated, r.Method, r.NoRoad = tripFields(h.trip)
	if place, km, ok := rn.o.unitPlace(from.Point, h.uo); ok {
		r.Lieu = withDistance(rn.lieuRef(place), km)
	}
	if uo.Capacite.Known {
		c := uo.Capacite
		r.Lits = &c
		if !c.UpdatedAt.IsZero() { // a figure without its time has no age
			age, stale := int(now.Sub(c.UpdatedAt).Minutes()), now.Sub(c.UpdatedAt) > ror.StaleAfter
			r.AgeMin, r.Stale = &age, &stale
		}
	}
	return r
}
