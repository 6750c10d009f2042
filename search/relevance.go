package search

import (
	"cmp"
	"slices"
	"strings"

	"github.com/ror-recherche/ror"
)

// rankNames orders the EGs by name, once at start and after a rename.
func (o *offer) rankNames() {
	byName := make([]uint32, len(o.cat.EGs))
	for i := range byName {
		byName[i] = uint32(i)
	}
	slices.SortFunc(byName, func(a, b uint32) int {
		if c := strings.Compare(o.cat.EGs[a].Name, o.cat.EGs[b].Name); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	o.nameRank = make([]uint32, len(byName))
	for r, eg := range byName {
		o.nameRank[eg] = uint32(r)
	}
}

// byRelevance ranks every établissement with a candidate UO by its best UO
// score, then by distance when a commune is given, then by name.
func (o *offer) byRelevance(from *ror.Commune, m *ror.Match, ar area) ([]group, bool) {
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
		return cmp.Compare(o.nameRank[a.eg], o.nameRank[b.eg])
	}
	if m.Ranked != nil {
		gs, truncated := o.rankedGroups(from, m, ar, order)
		var arena unitArena
		for i := range gs {
			gs[i].uos = arena.matching(o, gs[i].eg, m.Units)
		}
		return gs, truncated
	}
	var gs []group
	{
		all := o.groupAll(m.Units, !ar.none())
		gs = all[:0]
		for _, g := range all {
			place, pt, km := o.measure(from, g.eg, m.Units)
			g.distKm, g.at = km, placeSeen(g.eg, place)
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
	return firstInOrder(gs, ror.MaxResults, order)
}

// rankedGroups returns the first MaxResults établissements of m's ranked
// subsets in order, each with the score of the first subset holding one of
// its UOs, and whether there were more. It stops once MaxResults are kept
// and the score drops below the worst kept: the rest cannot be among the
// first. Their UOs are left for the caller to gather.
func (o *offer) rankedGroups(from *ror.Commune, m *ror.Match, ar area, order func(a, b *group) int) ([]group, bool) {
	mk := o.markPool.get(len(o.cat.EGs))
	best := newTop(ror.MaxResults, order)
	more := false // an établissement past the first MaxResults, when the walk stopped at exactly that many
	probing := false
	m.Ranked(func(score float64, units ror.Candidates) bool {
		if !probing && best.full() && score < best.worst().score {
			if best.added > ror.MaxResults {
				return false
			}
			probing = true // the rest ranks lower: only whether there is any
		}
		units.Each(func(u uint32) bool {
			egOrd := o.cat.EGOf[u]
			if mk.seen(egOrd) {
				return true
			}
			place, pt, km := o.measure(from, egOrd, m.Units)
			g := group{eg: egOrd, distKm: km, score: score, at: placeSeen(egOrd, place)}
			if !ar.none() && !pt.Valid() {
				return true
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
	o.markPool.put(mk)
	gs, dropped := best.sorted()
	return gs, dropped || more
}
