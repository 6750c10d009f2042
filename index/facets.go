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
	if len(filters) == 0 && crit.GetCardinality() <= x.scanMax() {
		return x.facetsByScan(crit, selected)
	}
	out := make([]ror.FacetCounts, 0, len(ror.AllFacets))
	for _, f := range ror.AllFacets {
		base := crit
		for g, bm := range filters {
			if g != f {
				base = roaring.And(base, bm)
			}
		}
		counts := map[string]int{}
		if !base.IsEmpty() {
			for code, bm := range x.bms[dim(f)] {
				if n := int(base.AndCardinality(bm)); n > 0 {
					counts[code] = n
				}
			}
		}
		out = append(out, x.facetValues(f, counts, selected[f]))
	}
	return out
}

// scanMax is the match-set size under which facets are counted by reading
// each matching UO once rather than by intersecting the match set with
// every code's bitmap: reading a UO costs about as much as two
// intersections (measured on the real and the generated national sets), so
// the break-even grows with the number of codes in use.
func (x *Index) scanMax() uint64 {
	n := 0
	for _, f := range ror.AllFacets {
		n += len(x.bms[dim(f)])
	}
	return uint64(2 * n)
}

// facetsByScan counts every facet in one pass over the matching UOs (no
// filter: every facet counts over the same set).
func (x *Index) facetsByScan(base *roaring.Bitmap, selected ror.Filters) []ror.FacetCounts {
	counts := make([]map[string]int, len(ror.AllFacets))
	for i := range counts {
		counts[i] = map[string]int{}
	}
	pos := map[ror.Facet]int{}
	for i, f := range ror.AllFacets {
		pos[f] = i
	}
	add := func(f ror.Facet, code string) { counts[pos[f]][code]++ }
	it := base.Iterator()
	for it.HasNext() {
		ord := it.Next()
		u := &x.cat.UOs[ord]
		eg := &x.cat.EGs[x.cat.EGOf[ord]]
		add(ror.FacetTypeUO, u.TypeUO)
		add(ror.FacetTypeOffre, u.ChampActivite)
		for _, c := range u.Activites {
			add(ror.FacetActivite, c)
		}
		for _, c := range u.Actes {
			add(ror.FacetActe, c)
		}
		for _, c := range u.Equipements {
			add(ror.FacetEquipement, c)
		}
		for _, c := range u.Modes {
			add(ror.FacetMode, c)
		}
		if u.Patientele.Enfant {
			add(ror.FacetPatientele, ror.PatienteleEnfant)
		}
		if u.Patientele.Adulte {
			add(ror.FacetPatientele, ror.PatienteleAdulte)
		}
		add(ror.FacetStatut, string(u.Statut))
		add(ror.FacetDepartement, eg.Department)
		if eg.Geolocated() {
			add(ror.FacetOrigine, ror.OrigineGeo)
		} else {
			add(ror.FacetOrigine, ror.OrigineNonGeo)
		}
	}
	out := make([]ror.FacetCounts, len(ror.AllFacets))
	for i, f := range ror.AllFacets {
		out[i] = x.facetValues(f, counts[i], selected[f])
	}
	return out
}

// facetValues turns counts into the facet's values, selected ones kept even
// at zero, by count then label.
func (x *Index) facetValues(f ror.Facet, counts map[string]int, selected []string) ror.FacetCounts {
	fc := ror.FacetCounts{Facet: f, Title: f.Title(), Values: make([]ror.FacetValue, 0, len(counts))}
	on := map[string]bool{}
	for _, v := range selected {
		on[v] = true
		if counts[v] == 0 {
			fc.Values = append(fc.Values, ror.FacetValue{Code: v, Label: x.label(f, v), On: true})
		}
	}
	for code, n := range counts {
		fc.Values = append(fc.Values, ror.FacetValue{Code: code, Label: x.label(f, code), Count: n, On: on[code]})
	}
	sort.Slice(fc.Values, func(i, j int) bool {
		a, b := fc.Values[i], fc.Values[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Label < b.Label
	})
	return fc
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
