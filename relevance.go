package ror

import (
	"cmp"
	"slices"
	"strings"
)

// rankNames orders the EGs by name, once at start and after a rename.
func (d *Directory) rankNames() {
	byName := make([]uint32, len(d.cat.EGs))
	for i := range byName {
		byName[i] = uint32(i)
	}
	slices.SortFunc(byName, func(a, b uint32) int {
		if c := strings.Compare(d.cat.EGs[a].Name, d.cat.EGs[b].Name); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	d.nameRank = make([]uint32, len(byName))
	for r, eg := range byName {
		d.nameRank[eg] = uint32(r)
	}
}

// byRelevance ranks every établissement with a candidate UO by its best UO
// score, then by distance when a commune is given, then by name.
func (d *Directory) byRelevance(from *Commune, m *Match, ar area) ([]group, bool) {
	order := func(a, b *group) int {
		if a.score != b.score {
			return cmp.Compare(b.score, a.score)
		}
		if (a.distKm >= 0) != (b.distKm >= 0) {
			if a.distKm >= 0 {
				return -1
			}
			return 1
		}
		if a.distKm != b.distKm {
			return cmp.Compare(a.distKm, b.distKm)
		}
		return cmp.Compare(d.nameRank[a.eg], d.nameRank[b.eg])
	}
	if m.Ranked != nil {
		gs, truncated := d.rankedGroups(from, m, ar, order)
		for i := range gs {
			gs[i].uos = d.matching(gs[i].eg, m.Units)
		}
		return gs, truncated
	}
	var gs []group
	{
		all := d.groupAll(m.Units, !ar.none())
		gs = all[:0]
		for _, g := range all {
			pt := d.pts[g.eg]
			g.distKm = -1
			if from != nil && pt.Valid() {
				g.distKm = d.tree.DistanceKm(from.Point, pt)
			}
			if !ar.none() && !ar.keeps(pt, g.distKm) {
				continue
			}
			if m.Score != nil {
				for _, u := range g.uos {
					g.score = max(g.score, m.Score(u))
				}
			}
			gs = append(gs, g)
		}
	}
	return firstInOrder(gs, MaxResults, order)
}

// rankedGroups returns the first MaxResults établissements of m's ranked
// subsets in order, each with the score of the first subset holding one of
// its UOs, and whether there were more. It stops once MaxResults are kept
// and the score drops below the worst kept: the rest cannot be among the
// first. Their UOs are left for the caller to gather.
func (d *Directory) rankedGroups(from *Commune, m *Match, ar area, order func(a, b *group) int) ([]group, bool) {
	mk := d.marks()
	best := newTop(MaxResults, order)
	more := false // an établissement past the first MaxResults, when the walk stopped at exactly that many
	probing := false
	m.Ranked(func(score float64, units Candidates) bool {
		if !probing && best.full() && score < best.worst().score {
			if best.added > MaxResults {
				return false
			}
			probing = true // the rest ranks lower: only whether there is any
		}
		units.Each(func(u uint32) bool {
			egOrd := d.cat.EGOf[u]
			if mk.seen(egOrd) {
				return true
			}
			pt := d.pts[egOrd]
			g := group{eg: egOrd, distKm: -1, score: score}
			if !ar.none() && !pt.Valid() {
				return true
			}
			if from != nil && pt.Valid() {
				g.distKm = d.tree.DistanceKm(from.Point, pt)
			}
			if !ar.none() && !ar.keeps(pt, g.distKm) {
				return true
			}
			if probing {
				more = true
				return false
			}
			best.add(g)
			return true
		})
		return !more
	})
	d.putMarks(mk)
	gs, dropped := best.sorted()
	return gs, dropped || more
}
