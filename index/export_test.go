package index

import (
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
