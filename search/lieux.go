package search

import (
	"math"

	"github.com/ror-recherche/ror"
)

// Lieux de réalisation on the read side. The Locator's places are the EGs'
// addresses then the declared lieux (ror.Catalog's place ordinals); a UO
// that declares none is at its EG's place, so without declared lieux every
// loop below is the EG loop it was. Searches rank établissements by the
// nearest place of their candidate units (Nearest.Group), proximity ranks
// units by their nearest place, and answers name the lieu measured to.

// Lieu implements ror.Records.
func (v view) Lieu(id string) (ror.Lieu, bool) {
	ord, ok := v.d.o.cat.LieuOrdinal(id)
	if !ok {
		return ror.Lieu{}, false
	}
	return v.d.o.cat.Lieux[ord], true
}

// UnitsOf implements ror.Records.
func (v view) UnitsOf(finess string) []ror.UO {
	eg, ok := v.d.o.cat.EGOrdinal(finess)
	if !ok {
		return nil
	}
	out := make([]ror.UO, 0, len(v.d.o.cat.UOsOf[eg]))
	for _, u := range v.d.o.cat.UOsOf[eg] {
		out = append(out, v.d.o.cat.UOs[u])
	}
	return out
}

// applyLieux files new and changed lieux in the catalog and the Locator,
// then relinks the EGs of the changed UOs; under d.mu.
func (o *offer) applyLieux(lieux []ror.Lieu, uos []ror.UO) {
	var moved []uint32
	for _, l := range lieux {
		n := len(o.cat.Lieux)
		place, ok := o.cat.SetLieu(l)
		if !ok {
			continue
		}
		if len(o.cat.Lieux) > n || o.pts[place] != l.Point {
			o.tree.SetPlace(place, l.Point)
			moved = append(moved, place)
		}
	}
	o.pts = o.tree.Positions()
	o.nets.extend(o.router, o.cat, o.pts) // the new places
	for _, place := range moved {         // and the moved ones
		o.nets[place] = o.router.Network(o.cat.PlaceCommune(place), o.pts[place])
	}
	for i := range uos {
		if eg, ok := o.cat.EGOrdinal(uos[i].EG); ok && (len(uos[i].Lieux) > 0 || o.cat.Linked(eg)) {
			o.cat.Relink(eg)
		}
	}
}

// placesOf lists the places of candidate UOs for a nearest-K scan: its
// EG's for a UO without declared lieux (in runs, as egsOf), each of its
// lieux otherwise.
func (o *offer) placesOf(units ror.Candidates) func(yield func(place uint32) bool) {
	if !o.cat.HasLieux() {
		return o.egsOf(units)
	}
	return func(yield func(place uint32) bool) {
		units.Each(func(u uint32) bool {
			eg := o.cat.EGOf[u]
			if !o.cat.Linked(eg) {
				return yield(eg)
			}
			for _, p := range o.cat.UnitPlaces(u) {
				if !yield(p) {
					return false
				}
			}
			return true
		})
	}
}

// groupOf is the Nearest.Group of a search: a place stands for its EG;
// nil without declared lieux (every place is an EG).
func (o *offer) groupOf() func(place uint32) uint32 {
	if !o.cat.HasLieux() {
		return nil
	}
	return o.cat.PlaceEG
}

// placeSeen marks the place a group was measured to: 1 + the place, 0 for
// the EG's own address (the zero group).
func placeSeen(eg, place uint32) uint32 {
	if place == eg {
		return 0
	}
	return place + 1
}

// placeOfGroup is the place g was measured to.
func placeOfGroup(g *group) uint32 {
	if g.at == 0 {
		return g.eg
	}
	return g.at - 1
}

// measure returns the place of eg nearest to from among those of its UOs
// in units, its position and its distance (-1 without from or position).
func (o *offer) measure(from *ror.Commune, eg uint32, units ror.Candidates) (place uint32, pt ror.Point, km float64) {
	place, pt, km = eg, o.pts[eg], -1
	if from != nil && pt.Valid() {
		km = o.tree.DistanceKm(from.Point, pt)
	}
	if from == nil || !o.cat.Linked(eg) {
		return place, pt, km
	}
	best := math.Inf(1)
	for _, u := range o.cat.UOsOf[eg] {
		if !units.Contains(u) {
			continue
		}
		for _, p := range o.cat.UnitPlaces(u) {
			if q := o.pts[p]; q.Valid() {
				if d := o.tree.DistanceKm(from.Point, q); d < best {
					best, place = d, p
				}
			}
		}
	}
	if math.IsInf(best, 1) {
		return eg, o.pts[eg], km
	}
	return place, o.pts[place], best
}

// unitPlace returns the UO's nearest place to from and its km, for a UO
// that declares lieux; ok false otherwise.
func (o *offer) unitPlace(from ror.Point, u uint32) (place uint32, km float64, ok bool) {
	places := o.cat.UnitPlaces(u)
	if places == nil {
		return 0, 0, false
	}
	km = math.Inf(1)
	for _, p := range places {
		if q := o.pts[p]; q.Valid() {
			if d := o.tree.DistanceKm(from, q); d < km {
				place, km = p, d
			}
		}
	}
	return place, km, !math.IsInf(km, 1)
}

// lieuRef names a place: a declared lieu, or its EG's address (derived).
func (rn renderer) lieuRef(place uint32) ror.LieuRef {
	if l := rn.o.cat.PlaceLieu(place); l != nil {
		return rn.declaredRef(l)
	}
	return rn.addressRef(&rn.o.cat.EGs[place])
}

func (rn renderer) declaredRef(l *ror.Lieu) ror.LieuRef {
	r := ror.LieuRef{ID: l.ID, Name: l.Name, Address: l.Address, Commune: rn.communeRef(l.Commune),
		Fonction: rn.coded(ror.VSFonctionLieu, l.Fonction), Horaires: l.Horaires, Statut: l.Statut, Provenance: ror.LieuDeclaredLabel, Version: l.Version}
	if l.Point.Valid() {
		p := l.Point
		r.Point = &p
	}
	return r
}

// addressRef is an EG's own address as a lieu: derived from FINESS, said so.
func (rn renderer) addressRef(eg *ror.EG) ror.LieuRef {
	r := ror.LieuRef{ID: eg.FINESS, Name: eg.Name, Address: eg.Address, Commune: rn.communeRef(eg.Commune),
		Fonction: rn.coded(ror.VSFonctionLieu, ror.FonctionAdresse), Horaires: eg.Horaires, Statut: ror.StatutActif,
		Derived: true, Provenance: ror.LieuDerivedLabel}
	if eg.Geolocated() {
		p := eg.Point
		r.Point = &p
	}
	return r
}

// unitLieux are the lieux of a UO for its fiche: each it lists (the EG's
// address, derived, when none), the first holding its beds.
func (rn renderer) unitLieux(u *ror.UO) []ror.LieuRef {
	eg, ok := rn.o.cat.EGOrdinal(u.EG)
	if !ok {
		return nil
	}
	var out []ror.LieuRef
	for _, id := range u.LieuxOf() {
		if id == u.EG {
			out = append(out, rn.addressRef(&rn.o.cat.EGs[eg]))
		} else if j, ok := rn.o.cat.LieuOrdinal(id); ok {
			out = append(out, rn.declaredRef(&rn.o.cat.Lieux[j]))
		}
	}
	if len(out) > 0 {
		out[0].Beds = true
	}
	return out
}

// egLieux are the lieux declared for an EG, for its fiche.
func (rn renderer) egLieux(eg uint32) []ror.LieuRef {
	var out []ror.LieuRef
	for _, j := range rn.o.cat.LieuxOfEG(eg) {
		out = append(out, rn.declaredRef(&rn.o.cat.Lieux[j]))
	}
	return out
}

// withDistance is r with its distance from the commune, rounded as lists show it.
func withDistance(r ror.LieuRef, km float64) *ror.LieuRef {
	km = math.Round(km*10) / 10
	r.DistanceKm = &km
	return &r
}

// LieuRecord returns a declared lieu, its EG and the UOs delivered there
// (the FHIR Location of the lieu): copies.
func (r Raw) LieuRecord(id string) (ror.Lieu, ror.EG, []ror.UO, bool) {
	d := r.d
	d.mu.RLock()
	defer d.mu.RUnlock()
	j, ok := d.o.cat.LieuOrdinal(id)
	if !ok {
		return ror.Lieu{}, ror.EG{}, nil, false
	}
	place := uint32(len(d.o.cat.EGs)) + j
	var uos []ror.UO
	for _, u := range d.o.cat.UnitsAt(place) {
		uos = append(uos, d.o.cat.UOs[u])
	}
	return d.o.cat.Lieux[j], d.o.cat.EGs[d.o.cat.PlaceEG(place)], uos, true
}
