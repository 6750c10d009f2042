package index

import (
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ror-recherche/ror"
)

// CountFacets counts the facets of a match set without filters by reading
// rows (rows true) or by intersecting bitmaps, for BenchmarkFacets to find
// where one overtakes the other.
func (x *Index) CountFacets(c ror.Candidates, rows bool) []int32 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	bm := c.(set).bm
	if rows {
		return x.countRows(bm, nil, nil)
	}
	return x.countBitmaps(bm, nil)
}

// Subset is the candidate set of ords.
func Subset(ords []uint32) ror.Candidates { return set{roaring.BitmapOf(ords...)} }

// FileAll files every UO of cat in rows and bitmaps, as Build does before
// the vocabulary, for BenchmarkBuild to tell the two apart.
func FileAll(cat *ror.Catalog) { newFiles(cat) }

// NamesBothWays lists the FINESS of the names matching text, found by the
// names' own posting lists and by Bleve's query over the names' fields
// (without typos), each sorted.
func (x *Index) NamesBothWays(text string) (own, viaBleve []string) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	for _, h := range x.nameIdx.match(x.entries, strings.Fields(ror.Fold(text)), x.synonyms) {
		own = append(own, h.e.code)
	}
	hits, err := x.bleveSearch(text, ror.DansNoms, false, len(x.entries))
	if err != nil {
		panic(err)
	}
	for _, h := range hits {
		viaBleve = append(viaBleve, h.e.code)
	}
	slices.Sort(own)
	slices.Sort(viaBleve)
	return own, viaBleve
}
