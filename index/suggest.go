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
// words; within a tier the codes carried by more UOs first.
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
		names := x.namesStarting(text, limit)
		enough := limit
		if names != nil {
			enough = 0
		} else {
			var err error
			if names, err = x.search(text, ror.DansNoms, 4*limit, limit); err != nil {
				return nil, err
			}
		}
		codes, err := x.search(text, dansNotNames, 300, enough)
		if err != nil {
			return nil, err
		}
		hits = append(codes, names...)
	} else if dans == ror.DansNoms {
		if hits = x.namesStarting(text, limit); hits == nil {
			var err error
			if hits, err = x.search(text, dans, 200, limit); err != nil {
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
			Label: h.e.label, Detail: h.e.detail, Score: h.score})
	}
	x.suggested.put(key, x.gen, out)
	return out, nil
}

// namesStarting returns the n best names of établissements whose label
// starts with text (the first tier, by number of UOs then label) when there
// are at least n of them, else nil: with n the number of names shown, no
// name of another tier would be shown. A frequent word and the start of the
// next one ("clinique sa") match thousands of names, which Bleve takes 30 to
// 40 ms to score at national scale; a prefix of the sorted labels is found
// by a binary search.
func (x *Index) namesStarting(text string, n int) []hit {
	folded := ror.Fold(text)
	byLabel := x.namesByLabel()
	lo := sort.Search(len(byLabel), func(i int) bool { return x.entries[byLabel[i]].folded >= folded })
	hi := lo
	for hi < len(byLabel) && strings.HasPrefix(x.entries[byLabel[hi]].folded, folded) {
		hi++
	}
	if hi-lo < n || n <= 0 {
		return nil
	}
	better := func(a, b *entry) bool {
		if na, nb := a.bm.GetCardinality(), b.bm.GetCardinality(); na != nb {
			return na > nb
		}
		return a.folded < b.folded
	}
	best := make([]hit, 0, n+1) // sorted best first
	for _, i := range byLabel[lo:hi] {
		e := &x.entries[i]
		if len(best) == n && !better(e, best[n-1].e) {
			continue
		}
		j := sort.Search(len(best), func(k int) bool { return better(e, best[k].e) })
		best = append(best, hit{})
		copy(best[j+1:], best[j:])
		best[j] = hit{e: e, tier: 0, score: categoryBoost[ror.DansNoms] * tierWeight[0]}
		best = best[:min(len(best), n)]
	}
	return best
}

// namesByLabel returns the positions of the names in x.entries by folded
// label, sorted once on first use (and again after a rename).
func (x *Index) namesByLabel() []int32 {
	x.byLabelMu.Lock()
	defer x.byLabelMu.Unlock()
	if x.byLabel == nil {
		x.byLabel = make([]int32, x.names)
		for i := range x.byLabel {
			x.byLabel[i] = int32(i)
		}
		slices.SortFunc(x.byLabel, func(a, b int32) int { return strings.Compare(x.entries[a].folded, x.entries[b].folded) })
	}
	return x.byLabel
}
