package index

import (
	"context"
	"sort"
	"strconv"
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
		// Two searches, not one per category: the codes, then the names.
		codes, err := x.search(text, dansNotNames, 300, limit)
		if err != nil {
			return nil, err
		}
		names, err := x.search(text, ror.DansNoms, 4*limit, limit)
		if err != nil {
			return nil, err
		}
		hits = append(codes, names...)
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
