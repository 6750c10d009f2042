package index

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ror-recherche/ror"
)

// Suggest returns the suggestions of "Rechercher dans" for text, grouped by
// category in ror.AllDans order, at most limit per category: the label
// starting with the text first, then every word matched, then approached
// words; within a tier the codes carried by more UOs first. The matches
// found only with a typo come after all the others, by category again
// (Approche says so).
func (x *Index) Suggest(ctx context.Context, text string, dans ror.Dans, limit int) ([]ror.Suggestion, error) {
	if utf8.RuneCountInString(ror.Fold(text)) < 2 {
		return nil, nil
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	key := textKey(text, dans) + "\x00" + strconv.Itoa(limit)
	if out, ok := x.suggested.get(key, x.gen); ok {
		return out, nil
	}
	var hits []hit
	if dans == ror.DansTout || dans == "" {
		// Two searches, not one per category: the names, then the codes.
		// Names starting with the text say it is no typo: the codes are not
		// tried approached (a fuzzy search over the whole dictionary costs
		// milliseconds).
		names, starting := x.namesStarting(text, limit)
		enough := limit
		if starting > 0 {
			enough = 0 // names start with it: no typo to look for
		}
		if names == nil {
			var err error
			if names, err = x.search(text, ror.DansNoms, 4*limit, enough); err != nil {
				return nil, err
			}
		}
		codes, err := x.search(text, dansNotNames, 300, enough)
		if err != nil {
			return nil, err
		}
		hits = append(codes, names...)
	} else if dans == ror.DansNoms {
		var starting int
		if hits, starting = x.namesStarting(text, limit); hits == nil {
			enough := limit
			if starting > 0 {
				enough = 0
			}
			var err error
			if hits, err = x.search(text, dans, 200, enough); err != nil {
				return nil, err
			}
		}
	} else {
		var err error
		if hits, err = x.search(text, dans, 200, limit); err != nil {
			return nil, err
		}
	}
	order := map[ror.Dans]int{}
	for i, d := range ror.AllDans {
		order[d] = i
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if ta, tb := a.tier == tierTypo, b.tier == tierTypo; ta != tb {
			return tb // « pédiatrie »: Pédiatrie before Gériatrie, whatever their category
		}
		if a.e.dans != b.e.dans {
			return order[a.e.dans] < order[b.e.dans]
		}
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if na, nb := a.e.bm.GetCardinality(), b.e.bm.GetCardinality(); na != nb {
			return na > nb
		}
		return a.e.folded < b.e.folded
	})
	var out []ror.Suggestion
	per := map[ror.Dans]int{}
	for _, h := range hits {
		if per[h.e.dans] == limit {
			continue
		}
		per[h.e.dans]++
		out = append(out, ror.Suggestion{Dans: h.e.dans, Title: h.e.dans.Title(), Code: h.e.code,
			Label: h.e.label, Detail: h.e.detail, Score: h.score, Approche: h.tier == tierTypo})
	}
	x.suggested.put(key, x.gen, out)
	return out, nil
}

// namesStarting returns the n best names of établissements whose label
// starts with text (the first tier, by number of UOs then label) when there
// are at least n of them, else nil: with n the number of names shown, no
// name of another tier would be shown. starting is how many labels start
// with text: when some do, the text has no typo. A frequent word and the
// start of the next one ("clinique sa") match thousands of names, which
// Bleve takes 30 to 40 ms to score at national scale; a prefix of the
// sorted labels is found by a binary search.
func (x *Index) namesStarting(text string, n int) (best []hit, starting int) {
	folded := ror.Fold(text)
	byLabel, units := x.namesByLabel()
	lo := sort.Search(len(byLabel), func(i int) bool { return x.entries[byLabel[i]].folded >= folded })
	hi := lo + sort.Search(len(byLabel)-lo, func(i int) bool { return !strings.HasPrefix(x.entries[byLabel[lo+i]].folded, folded) })
	if hi-lo < n || n <= 0 {
		return nil, hi - lo
	}
	// By number of UOs, then label: positions in byLabel are in label
	// order, so the first of equal counts wins. "centre de" starts 5,000
	// names: the counts are read from an array, not from each bitmap.
	top := make([]int, 0, n+1) // positions in byLabel, best first
	for p := lo; p < hi; p++ {
		if len(top) == n && units[p] <= units[top[n-1]] {
			continue
		}
		j := sort.Search(len(top), func(k int) bool { return units[p] > units[top[k]] })
		top = append(top, 0)
		copy(top[j+1:], top[j:])
		top[j] = p
		top = top[:min(len(top), n)]
	}
	best = make([]hit, len(top))
	for i, p := range top {
		best[i] = hit{e: &x.entries[byLabel[p]], tier: 0, score: categoryBoost[ror.DansNoms] * tierWeight[0]}
	}
	return best, hi - lo
}

// namesByLabel returns the positions of the names in x.entries by folded
// label, sorted once at Build (and again after a rename), and the number of
// UOs of each, counted again after a Reindex.
func (x *Index) namesByLabel() (byLabel []int32, units []int32) {
	x.byLabelMu.Lock()
	defer x.byLabelMu.Unlock()
	if x.byLabel == nil {
		x.byLabel = make([]int32, x.names)
		for i := range x.byLabel {
			x.byLabel[i] = int32(i)
		}
		slices.SortFunc(x.byLabel, func(a, b int32) int { return strings.Compare(x.entries[a].folded, x.entries[b].folded) })
		x.byLabelUnits = nil
	}
	if x.byLabelUnits == nil || x.byLabelGen != x.gen {
		u := make([]int32, len(x.byLabel)) // new: readers may hold the old one
		for p, i := range x.byLabel {
			if bm := x.entries[i].bm; bm != nil {
				u[p] = int32(bm.GetCardinality())
			}
		}
		x.byLabelUnits, x.byLabelGen = u, x.gen
	}
	return x.byLabel, x.byLabelUnits
}
