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
		return x.fb.countRows(bm, nil, nil)
	}
	return x.fb.countBitmaps(bm, nil)
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

// Has reports whether UO ord carries code in facet f.
func (x *Index) Has(f ror.Facet, code string, ord uint32) bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	bm := x.f.get(dim(f), code)
	return bm != nil && bm.Contains(ord)
}

// Count returns how many UOs carry code of value set vs (0 for a value set
// the index does not file, such as professions).
func (x *Index) Count(vs ror.ValueSet, code string) int {
	d, ok := dimOfValueSet(vs)
	if !ok {
		return 0
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	if bm := x.f.get(d, code); bm != nil {
		return int(bm.GetCardinality())
	}
	return 0
}
