package ror

import (
	"cmp"
	"math"
	"slices"
)

// area is the part of the map a query keeps: a radius around its commune
// and a box.
type area struct {
	rayonKm float64
	bbox    *BBox
}

func (a area) none() bool { return a.rayonKm == 0 && a.bbox == nil }

// keeps reports whether an EG at p, distKm from the commune, is inside.
func (a area) keeps(p Point, distKm float64) bool {
	if a.rayonKm > 0 && distKm > a.rayonKm {
		return false
	}
	return a.bbox == nil || a.bbox.Contains(p)
}

// byDistance returns the MaxResults nearest établissements having a
// candidate UO, nearest first, after the établissements whose mobile UOs
// serve the commune (zone, at 0 km). Such an établissement's other units
// keep their own row at their real distance: a mobile team that comes to
// the patient says nothing of how far its base's other units are.
func (d *Directory) byDistance(p Point, units Candidates, ar area, zone []group) ([]group, bool) {
	inZone := make(map[uint32]bool, len(zone))
	zoneEG := make(map[uint32]bool, len(zone))
	for _, g := range zone {
		zoneEG[g.eg] = true
		for _, u := range g.uos {
			inZone[u] = true
		}
	}
	// rest drops the UOs already listed through the zone.
	rest := func(uos []uint32) []uint32 {
		if len(inZone) == 0 {
			return uos
		}
		out := uos[:0]
		for _, u := range uos {
			if !inZone[u] {
				out = append(out, u)
			}
		}
		return out
	}
	gs := zone
	if len(gs) > MaxResults {
		return gs[:MaxResults], true
	}
	if units.Len() <= directScanMax {
		near, truncated := d.nearestOf(p, units, ar, MaxResults-len(gs), func(eg uint32) bool {
			return !zoneEG[eg] || len(rest(d.matching(eg, units))) > 0
		})
		for i := range near {
			near[i].uos = rest(near[i].uos)
		}
		return append(gs, near...), truncated
	}
	truncated := false
	d.tree.Nearest(p, func(eg uint32, km float64) bool {
		if ar.rayonKm > 0 && km > ar.rayonKm {
			return false
		}
		if ar.bbox != nil && !ar.bbox.Contains(d.pts[eg]) {
			return true
		}
		uos := rest(d.matching(eg, units))
		if len(uos) == 0 {
			return true
		}
		if len(gs) == MaxResults {
			truncated = true
			return false
		}
		gs = append(gs, group{eg: eg, uos: uos, distKm: km})
		return true
	})
	return gs, truncated
}

// nearestOf returns the n nearest établissements of p having a candidate
// UO (and that keep tells to keep), nearest first, with those UOs, and
// whether there were more. Every candidate's EG is measured once and the n
// nearest are kept in a bounded heap. A UO's ordinal follows its EG's (the
// catalog is in FINESS order), so an EG's candidates come in one run: the
// run is noted, not copied, and only the UOs of the n kept are gathered.
func (d *Directory) nearestOf(p Point, units Candidates, ar area, n int, keep func(eg uint32) bool) ([]group, bool) {
	type run struct{ lo, hi int } // in seen
	mk := d.marks()
	seen := make([]uint32, 0, units.Len())
	var runs []run     // group.run indexes it
	var split []uint32 // EGs whose candidates came in more than one run (UOs created at run time)
	best := newTop(n, func(a, b *group) int {
		if a.distKm != b.distKm {
			return cmp.Compare(a.distKm, b.distKm)
		}
		return cmp.Compare(a.eg, b.eg)
	})
	cur, started, open := uint32(0), false, false // the EG of the current run; open: kept so far
	cut := false                                  // an EG of the area with a candidate was left out
	units.Each(func(u uint32) bool {
		eg := d.cat.EGOf[u]
		if started && eg == cur {
			if open {
				seen = append(seen, u)
				runs[len(runs)-1].hi = len(seen)
			}
			return true
		}
		cur, started, open = eg, true, false
		if mk.seen(eg) {
			split = append(split, eg)
			return true
		}
		pt := d.pts[eg]
		if !pt.Valid() {
			return true
		}
		var km float64
		if best.full() && cut {
			// Only nearer ones matter now: most EGs are told farther than
			// the worst kept without trigonometry.
			var near bool
			if km, near = d.tree.DistanceWithinKm(p, pt, best.worst().distKm); !near {
				return true
			}
		} else {
			km = d.tree.DistanceKm(p, pt)
		}
		if !ar.keeps(pt, km) || !keep(eg) {
			return true
		}
		if best.full() && (km > best.worst().distKm || km == best.worst().distKm && eg > best.worst().eg) {
			cut = true // would be dropped: the list is cut
			return true
		}
		seen = append(seen, u)
		runs = append(runs, run{len(seen) - 1, len(seen)})
		best.add(group{eg: eg, run: int32(len(runs) - 1), distKm: km})
		open = true
		return true
	})
	d.putMarks(mk)
	gs, dropped := best.sorted()
	more := dropped || cut
	for i := range gs {
		if slices.Contains(split, gs[i].eg) {
			gs[i].uos = d.matching(gs[i].eg, units)
		} else {
			r := runs[gs[i].run]
			gs[i].uos = slices.Clone(seen[r.lo:r.hi])
		}
	}
	return gs, more
}

// zoneGroups returns the établissements whose mobile candidate UOs have
// from in their zone d'intervention, at 0 km.
func (d *Directory) zoneGroups(from *Commune, units Candidates) []group {
	if from == nil {
		return nil
	}
	slot := map[uint32]int{}
	var gs []group
	for _, u := range d.cat.ZoneOf[from.INSEE] {
		if !units.Contains(u) {
			continue
		}
		eg := d.cat.EGOf[u]
		i, ok := slot[eg]
		if !ok {
			i = len(gs)
			slot[eg] = i
			gs = append(gs, group{eg: eg, distKm: 0})
		}
		gs[i].uos = append(gs[i].uos, u)
	}
	// All at 0 km: the nearest bases first, as a regulator would call them
	// (each base measured once, not at each comparison).
	base := make([]float64, len(gs))
	for i, g := range gs {
		base[i] = math.Inf(1)
		if pt := d.pts[g.eg]; pt.Valid() {
			base[i] = d.tree.DistanceKm(from.Point, pt)
		}
	}
	idx := make([]int, len(gs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(base[a], base[b]) })
	out := make([]group, len(gs))
	for i, j := range idx {
		out[i] = gs[j]
	}
	return out
}
