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

// facets counts, for every facet, the UOs per value over the criterion and
// the other facets' filters: a facet's own selection never hides its
// alternatives.
func (x *Index) facets(crit *roaring.Bitmap, filters map[ror.Facet]*roaring.Bitmap, selected ror.Filters) []ror.FacetCounts {
	out := make([]ror.FacetCounts, 0, len(ror.AllFacets))
	for _, f := range ror.AllFacets {
		base := crit
		for g, bm := range filters {
			if g != f {
				base = roaring.And(base, bm)
			}
		}
		on := map[string]bool{}
		for _, v := range selected[f] {
			on[v] = true
		}
		fc := ror.FacetCounts{Facet: f, Title: f.Title(), Values: []ror.FacetValue{}}
		if !base.IsEmpty() || len(on) > 0 {
			for code, bm := range x.bms[dim(f)] {
				n := 0
				if !base.IsEmpty() {
					n = int(base.AndCardinality(bm))
				}
				if n > 0 || on[code] {
					fc.Values = append(fc.Values, ror.FacetValue{Code: code, Label: x.label(f, code), Count: n, On: on[code]})
				}
			}
		}
		sort.Slice(fc.Values, func(i, j int) bool {
			a, b := fc.Values[i], fc.Values[j]
			if a.Count != b.Count {
				return a.Count > b.Count
			}
			return a.Label < b.Label
		})
		out = append(out, fc)
	}
	return out
}

func (x *Index) label(f ror.Facet, code string) string {
	if vs := f.ValueSet(); vs != "" {
		return x.nom.Label(vs, code)
	}
	if l, ok := fixedLabels[code]; ok {
		return l
	}
	return code
}
