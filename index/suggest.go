package index

import (
	"context"
	"sort"
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
	cats := []ror.Dans{dans}
	if dans == ror.DansTout || dans == "" {
		cats = ror.AllDans[1:]
	}
	var out []ror.Suggestion
	for _, c := range cats {
		hits, err := x.search(text, c, 200)
		if err != nil {
			return nil, err
		}
		sort.SliceStable(hits, func(i, j int) bool {
			a, b := hits[i], hits[j]
			if a.tier != b.tier {
				return a.tier < b.tier
			}
			if na, nb := a.e.bm.GetCardinality(), b.e.bm.GetCardinality(); na != nb {
				return na > nb
			}
			return a.e.label < b.e.label
		})
		for _, h := range hits[:min(limit, len(hits))] {
			out = append(out, ror.Suggestion{Dans: h.e.dans, Title: h.e.dans.Title(), Code: h.e.code,
				Label: h.e.label, Detail: h.e.detail, Score: h.score})
		}
	}
	return out, nil
}
