package search

import (
	"cmp"
	"slices"

	"github.com/ror-recherche/ror"
)

// area is the part of the map a query keeps: a radius around its commune
// and a box.
type area struct {
	rayonKm float64
	bbox    *ror.BBox
}

func (a area) none() bool { return a.rayonKm == 0 && a.bbox == nil }

// keeps reports whether an EG at p, distKm from the commune, is inside.
func (a area) keeps(p ror.Point, distKm float64) bool {
	if a.rayonKm > 0 && distKm > a.rayonKm {
		return false
	}
	return a.bbox == nil || a.bbox.Contains(p)
}

// byDistance returns the MaxResults nearest établissements having a
// candidate UO, nearest first, each once with all its candidate UOs at the
// real distance of its base: a mobile unit (SMUR, HAD, SSIAD, équipe
// mobile) leaves from there, and says « intervient à » when its zone holds
// the commune. A radius or a box keeps, besides the établissements inside,
// those whose mobile units serve the commune (their zone units are
// candidates, see areaUnits): the ones inside come in the walk, the ones
// beyond the radius after it, at their real distance.
func (o *offer) byDistance(from *ror.Commune, units ror.Candidates, ar area) ([]group, bool) {
	var serving map[uint32]bool
	if !ar.none() {
		serving = o.servingEGs(from, units)
	}
	// The list and its units' ids are made in two arrays that grow, not
	// one slice per établissement: a distance search makes up to 200 groups.
	gs := make([]group, 0, min(ror.MaxResults, units.Len()))
	var arena unitArena
	more := o.tree.Nearest(ror.Nearest{
		Rank:     o.tree.ByDistance(from.Point),
		Len:      units.Len(),
		Each:     o.placesOf(units),
		N:        ror.MaxResults,
		WantMore: true, // the list says when the cap cut it
		Max:      ar.rayonKm,
		Has:      o.hasCandidate(units),
		Group:    o.groupOf(), // an établissement at its nearest lieu
		Keep: func(place uint32, _ float64) bool {
			return ar.bbox == nil || ar.bbox.Contains(o.pts[place]) || serving[o.cat.PlaceEG(place)]
		},
	}, func(place uint32, km float64) bool {
		eg := o.cat.PlaceEG(place)
		gs = append(gs, group{eg: eg, uos: arena.matching(o, eg, units), distKm: km, at: placeSeen(eg, place)})
		return true
	})
	if ar.rayonKm == 0 || len(serving) == 0 {
		return gs, more
	}
	for _, g := range gs {
		delete(serving, g.eg)
	}
	var beyond []group
	for eg := range serving {
		if place, pt, km := o.measure(from, eg, units); pt.Valid() {
			beyond = append(beyond, group{eg: eg, uos: arena.matching(o, eg, units), distKm: km, at: placeSeen(eg, place)})
		}
	}
	slices.SortFunc(beyond, func(a, b group) int {
		if c := cmp.Compare(a.distKm, b.distKm); c != 0 {
			return c
		}
		return cmp.Compare(a.eg, b.eg)
	})
	if room := ror.MaxResults - len(gs); len(beyond) > room {
		beyond, more = beyond[:room], true
	}
	return append(gs, beyond...), more
}

// servingEGs returns the établissements with a candidate mobile UO whose
// zone d'intervention holds from.
func (o *offer) servingEGs(from *ror.Commune, units ror.Candidates) map[uint32]bool {
	out := map[uint32]bool{}
	for _, u := range o.cat.ZoneOf[from.INSEE] {
		if units.Contains(u) {
			out[o.cat.EGOf[u]] = true
		}
	}
	return out
}

// hasCandidate tells whether a place (an EG's address, a lieu) has a
// candidate UO.
func (o *offer) hasCandidate(units ror.Candidates) func(place uint32) bool {
	return func(place uint32) bool {
		for _, u := range o.cat.UnitsAt(place) {
			if units.Contains(u) {
				return true
			}
		}
		return false
	}
}

// egsOf lists the EGs of candidate UOs for a nearest-K scan: a UO's
// ordinal follows its EG's (the catalog is in FINESS order), so an EG's
// candidates come in one run and it is listed once per run.
func (o *offer) egsOf(units ror.Candidates) func(yield func(eg uint32) bool) {
	return func(yield func(eg uint32) bool) {
		units.Each(func(u uint32) bool { return yield(o.cat.EGOf[u]) })
	}
}

// areaUnits returns the UOs (ascending ordinals) of the établissements that
// a radius around from and a box keep, and, in the distance order, the
// mobile units whose zone d'intervention holds from (listed at their real
// distance, see byDistance): the facets then count what the list can show.
func (o *offer) areaUnits(from *ror.Commune, ar area, withZone bool) []uint32 {
	b := o.unitBits.get(len(o.cat.UOs))
	defer o.unitBits.put(b)
	if ar.rayonKm > 0 && from != nil {
		o.tree.Within(from.Point, ar.rayonKm, func(place uint32) {
			if ar.bbox == nil || ar.bbox.Contains(o.pts[place]) {
				b.add(o.cat.UnitsAt(place)) // EGs' addresses and lieux: the units delivered there
			}
		})
	} else if ar.bbox != nil {
		for place, p := range o.pts {
			if p.Valid() && ar.bbox.Contains(p) {
				b.add(o.cat.UnitsAt(uint32(place)))
			}
		}
	}
	if withZone && from != nil {
		b.add(o.cat.ZoneOf[from.INSEE])
	}
	return b.drain()
}

// sameNetworkFirst moves the établissements that a road joins to from
// before the others (across the sea: Corse, the DROM, the islands without
// a bridge), each part in its order: from an island its own units come
// first.
func (o *offer) sameNetworkFirst(from *ror.Commune, gs []group) []group {
	if from == nil {
		return gs
	}
	net := o.router.Network(from.INSEE, from.Point)
	joined := func(g *group) bool { return o.nets[placeOfGroup(g)] == net }
	all := true
	for i := range gs {
		all = all && joined(&gs[i])
	}
	if all { // the common case: no copy
		return gs
	}
	near := make([]group, 0, len(gs))
	var far []group
	for _, g := range gs {
		if joined(&g) {
			near = append(near, g)
		} else {
			far = append(far, g)
		}
	}
	return append(near, far...)
}

// placeNets is the road network of each place (Router.Network): the
// order of a distance list compares one string per row with the origin's.
type placeNets []string

// extend names the networks of the places past the end of n.
func (n *placeNets) extend(r ror.Router, cat *ror.Catalog, pts []ror.Point) {
	for place := len(*n); place < len(pts); place++ {
		*n = append(*n, r.Network(cat.PlaceCommune(uint32(place)), pts[place]))
	}
}
