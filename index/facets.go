package index

import (
	"sort"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ror-recherche/ror"
)

// fixedLabels are the French labels of the facet values that are not codes.
var fixedLabels = map[string]string{
	ror.PatienteleEnfant: "Enfant", ror.PatienteleAdulte: "Adulte",
	string(ror.StatutActif): "Actif", string(ror.StatutFermeTemporair): "Fermé temporairement", string(ror.StatutFerme): "Fermé",
	ror.OrigineGeo: "EG géolocalisées", ror.OrigineNonGeo: "EG non géolocalisées",
}

// scanShare is the share of the catalog under which facets are counted by
// reading the rows of the UOs concerned rather than by intersecting with
// every value's bitmap. It is roaring's own threshold: under 4,096 UOs per
// 65,536 a set is held as sorted arrays, and intersecting arrays with the
// ~2,000 values' bitmaps costs 8 to 30 ms at 500,000 UOs, while a row costs
// about 50 ns; above it the set is held as bitsets, and intersections take
// 2.5 to 3.5 ms whatever its size (BenchmarkFacets).
const scanShare = 1.0 / 16

// facetBook counts the refine panel's values over the index's bitmaps and
// labels them; the Index holds it and calls it under its own lock.
type facetBook struct {
	f      *files
	nom    *ror.Nomenclature
	labels []string // by value id: the French label
	keys   []string // by value id: the label folded, to sort by
}

// facets counts, for every facet, the UOs per value over the criterion and
// the other facets' filters: a facet's own selection never hides its
// alternatives.
func (x *facetBook) facets(crit *roaring.Bitmap, filters map[ror.Facet]*roaring.Bitmap, selected ror.Filters) []ror.FacetCounts {
	// Only UOs failing at most one filter count anywhere: those failing
	// none count in every facet, those failing one in that facet only.
	var fs []ror.Facet
	for f := range filters {
		fs = append(fs, f)
	}
	scan := crit
	if len(fs) >= 2 {
		var alts []*roaring.Bitmap
		for skip := range fs {
			var parts []*roaring.Bitmap
			for i, f := range fs {
				if i != skip {
					parts = append(parts, filters[f])
				}
			}
			alts = append(alts, roaring.FastAnd(parts...))
		}
		scan = roaring.And(crit, roaring.FastOr(alts...))
	}
	var counts []int32
	if float64(scan.GetCardinality()) <= scanShare*float64(len(x.f.rows)) {
		counts = x.countRows(scan, fs, filters)
	} else {
		counts = x.countBitmaps(crit, filters)
	}
	perFacet := map[dim][]uint32{}
	for id, n := range counts {
		if n > 0 {
			d := x.f.vals[id].d
			perFacet[d] = append(perFacet[d], uint32(id))
		}
	}
	out := make([]ror.FacetCounts, len(ror.AllFacets))
	for i, f := range ror.AllFacets {
		out[i] = x.facetValues(f, perFacet[dim(f)], counts, selected[f])
	}
	return out
}

// countRows counts values by reading the row of each UO of set once.
func (x *facetBook) countRows(set *roaring.Bitmap, fs []ror.Facet, filters map[ror.Facet]*roaring.Bitmap) []int32 {
	counts := make([]int32, len(x.f.vals))
	it := set.Iterator()
	for it.HasNext() {
		ord := it.Next()
		row := x.f.rows[ord]
		failed, misses := dim(""), 0
		for _, f := range fs {
			if !filters[f].Contains(ord) {
				failed, misses = dim(f), misses+1
			}
		}
		switch misses {
		case 0:
			for _, id := range row {
				counts[id]++
			}
		case 1:
			for _, id := range row {
				if x.f.vals[id].d == failed {
					counts[id]++
				}
			}
		}
	}
	return counts
}

// countBitmaps counts each facet's values by intersecting the criterion and
// the other facets' filters with each value's bitmap.
func (x *facetBook) countBitmaps(crit *roaring.Bitmap, filters map[ror.Facet]*roaring.Bitmap) []int32 {
	counts := make([]int32, len(x.f.vals))
	base := map[dim]*roaring.Bitmap{}
	for _, f := range ror.AllFacets {
		b := crit
		for g, bm := range filters {
			if g != f {
				b = roaring.And(b, bm)
			}
		}
		base[dim(f)] = b
	}
	for id, v := range x.f.vals {
		if b := base[v.d]; b != nil && !b.IsEmpty() {
			counts[id] = int32(b.AndCardinality(x.f.bms[id]))
		}
	}
	return counts
}

// facetValues lists a facet's counted values (ids), and its selected ones
// even at zero, by count then label.
func (x *facetBook) facetValues(f ror.Facet, ids []uint32, counts []int32, selected []string) ror.FacetCounts {
	type line struct {
		v   ror.FacetValue
		key string // the label folded: "pédiatrie" sorts before "polyvalent"
	}
	lines := make([]line, 0, len(ids)+len(selected))
	on := map[string]bool{}
	for _, v := range selected {
		on[v] = true
	}
	for _, id := range ids {
		code := x.f.vals[id].code
		lines = append(lines, line{ror.FacetValue{Code: code, Label: x.labels[id], Count: int(counts[id]), On: on[code]}, x.keys[id]})
		delete(on, code)
	}
	for _, v := range selected {
		if on[v] {
			delete(on, v)
			l := x.label(f, v)
			lines = append(lines, line{ror.FacetValue{Code: v, Label: l, On: true}, ror.Fold(l)})
		}
	}
	sort.Slice(lines, func(i, j int) bool {
		a, b := &lines[i], &lines[j]
		if a.v.Count != b.v.Count {
			return a.v.Count > b.v.Count
		}
		if a.key != b.key {
			return a.key < b.key
		}
		return a.v.Code < b.v.Code
	})
	fc := ror.FacetCounts{Facet: f, Title: f.Title(), Values: make([]ror.FacetValue, len(lines))}
	for i := range lines {
		fc.Values[i] = lines[i].v
	}
	return fc
}

// labelValues labels the values filed since the last call, once: facets
// then need no lookup nor folding per query.
func (x *facetBook) labelValues() {
	for id := len(x.labels); id < len(x.f.vals); id++ {
		v := x.f.vals[id]
		l := x.label(ror.Facet(v.d), v.code)
		x.labels = append(x.labels, l)
		x.keys = append(x.keys, ror.Fold(l))
	}
}

func (x *facetBook) label(f ror.Facet, code string) string {
	if vs := f.ValueSet(); vs != "" {
		return x.nom.Label(vs, code)
	}
	if l, ok := fixedLabels[code]; ok {
		return l
	}
	return code
}
