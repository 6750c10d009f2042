package index

import (
	"context"
	"fmt"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ror-recherche/ror"
)

// Match returns the UOs that satisfy q's criterion and filters, with the
// facet counts of the refine panel.
func (x *Index) Match(ctx context.Context, q *ror.Query) (*ror.Match, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	crit := x.all
	var tm *textMatch
	if len(q.Codes) > 0 {
		bm, err := x.codes(q.Dans, q.Codes)
		if err != nil {
			return nil, err
		}
		crit = bm
	}
	if q.Text != "" {
		var err error
		if tm, err = x.textMatch(q.Text, q.Dans); err != nil {
			return nil, err
		}
		if u := tm.unionAt(x.gen); len(q.Codes) == 0 {
			crit = u // read only from here on
		} else {
			crit = roaring.And(crit, u)
		}
	}
	if q.Within != nil {
		// A radius or a map box: the match and its facets stay inside it.
		crit = roaring.And(crit, roaring.BitmapOf(q.Within...))
	}
	filters, err := x.filterBitmaps(q.Filters)
	if err != nil {
		return nil, err
	}
	// units leaves the lock: never a bitmap the index keeps updating. A
	// code's union is new, a text's is never changed once built (a Reindex
	// builds another); only the whole catalog needs a copy. Copying a broad
	// criterion for nothing was a third of what a search allocated.
	var units *roaring.Bitmap
	switch {
	case len(filters) > 0:
		parts := []*roaring.Bitmap{crit}
		for _, f := range filters {
			parts = append(parts, f)
		}
		units = roaring.FastAnd(parts...)
	case crit == x.all:
		units = crit.Clone()
	default:
		units = crit
	}
	var fs []ror.FacetCounts
	if q.Within != nil { // an area's counts are its own: not cached by the words and filters
		fs = x.fb.facets(crit, filters, q.Filters)
	} else {
		key := facetKey(q)
		var ok bool
		if fs, ok = x.facetCounts.get(key, x.gen); !ok {
			fs = x.fb.facets(crit, filters, q.Filters)
			x.facetCounts.put(key, x.gen, fs)
		}
	}
	m := &ror.Match{Units: &matchSet{bm: units}, Facets: fs}
	if bm := x.f.get(dim(ror.FacetOrigine), ror.OrigineNonGeo); bm != nil {
		m.NonGeolocated = &matchSet{bm: roaring.And(units, bm)}
	} else {
		m.NonGeolocated = &matchSet{bm: roaring.New()}
	}
	if tm != nil && len(tm.hits) > 0 {
		m.Ranked = x.rankedFunc(tm, units, len(q.Codes) == 0 && len(filters) == 0)
		best := x.bestFunc(tm)
		m.Score = func(ord uint32) float64 {
			if h := best(ord); h != nil {
				return h.score
			}
			return 0
		}
		if q.Explain {
			m.Explain = func(ord uint32) string { return explain(best(ord)) }
		}
	}
	return m, nil
}

func explain(h *hit) string {
	if h == nil {
		return ""
	}
	how := [4]string{"le libellé commence par le texte", "tous les mots", "mots approchés", "orthographe approchée"}[h.tier]
	return fmt.Sprintf("%s « %s » (%s, score %s)", h.e.dans.Title(), h.e.label, how,
		strings.Replace(fmt.Sprintf("%.2f", h.score), ".", ",", 1))
}

// codes unites the bitmaps of codes picked in category dans; with tout,
// each code names its category ("types-uo:20").
func (x *Index) codes(dans ror.Dans, codes []string) (*roaring.Bitmap, error) {
	var parts []*roaring.Bitmap
	for _, c := range codes {
		d, code := dans, c
		if dans == ror.DansTout {
			cat, rest, ok := strings.Cut(c, ":")
			if !ok {
				return nil, ror.Errorf(ror.Invalid, "code", "Dans « Tout le ROR », un code s'écrit catégorie:code (par exemple types-uo:20) : « %s ».", c)
			}
			d, code = ror.Dans(cat), rest
		}
		bm, err := x.codeBitmap(d, code)
		if err != nil {
			return nil, err
		}
		parts = append(parts, bm)
	}
	return roaring.FastOr(parts...), nil
}

// codeBitmap returns the UOs of one code of a category: Invalid when the
// code does not exist there; empty when it exists but no UO carries it.
func (x *Index) codeBitmap(dans ror.Dans, code string) (*roaring.Bitmap, error) {
	switch dans {
	case ror.DansFilieres:
		if _, ok := x.filieres[code]; !ok {
			return nil, ror.Errorf(ror.Invalid, "code", "La filière « %s » n'existe pas.", code)
		}
		return orEmpty(x.f.get(dimFiliere, code)), nil
	case ror.DansNoms:
		if _, ok := x.cat.EGOrdinal(code); !ok {
			return nil, ror.Errorf(ror.Invalid, "code", "Aucun établissement n'a le numéro FINESS « %s ».", code)
		}
		return orEmpty(x.f.get(dimEG, code)), nil
	case ror.DansTypesUO, ror.DansActes, ror.DansEquipements, ror.DansActivites:
		vs := dans.ValueSet()
		if !x.nom.Has(vs, code) {
			return nil, ror.Errorf(ror.Invalid, "code", "Le code « %s » n'existe pas dans %s (%s).", code, dans.Title(), vs)
		}
		d, _ := dimOfValueSet(vs)
		return orEmpty(x.f.get(d, code)), nil
	}
	return nil, ror.Errorf(ror.Invalid, "code", "La catégorie « %s » ne prend pas de code.", dans)
}

func orEmpty(bm *roaring.Bitmap) *roaring.Bitmap {
	if bm == nil {
		return roaring.New()
	}
	return bm
}

// filterBitmaps turns the refine-panel selections into one bitmap per
// facet (OR of its values): the index's own when one value, to be read
// under the read lock only.
func (x *Index) filterBitmaps(f ror.Filters) (map[ror.Facet]*roaring.Bitmap, error) {
	out := map[ror.Facet]*roaring.Bitmap{}
	for facet, values := range f {
		var parts []*roaring.Bitmap
		for _, v := range values {
			if err := x.checkValue(facet, v); err != nil {
				return nil, err
			}
			if bm := x.f.get(dim(facet), v); bm != nil {
				parts = append(parts, bm)
			}
		}
		if len(parts) == 1 {
			out[facet] = parts[0] // read under the lock only: no copy
		} else {
			out[facet] = roaring.FastOr(parts...)
		}
	}
	return out, nil
}

// checkValue refuses a value that is not one of the facet's.
func (x *Index) checkValue(f ror.Facet, v string) error {
	ok := false
	switch f {
	case ror.FacetPatientele:
		ok = v == ror.PatienteleEnfant || v == ror.PatienteleAdulte
	case ror.FacetStatut:
		ok = v == string(ror.StatutActif) || v == string(ror.StatutFermeTemporair) || v == string(ror.StatutFerme)
	case ror.FacetOrigine:
		ok = v == ror.OrigineGeo || v == ror.OrigineNonGeo
	case ror.FacetDepartement:
		ok = len(v) == 2 || len(v) == 3
	default:
		ok = x.nom.Has(f.ValueSet(), v)
	}
	if !ok {
		return ror.Errorf(ror.Invalid, string(f), "La valeur « %s » n'existe pas pour le filtre %s.", v, f.Title())
	}
	return nil
}

// Require returns the UOs having, for every requirement, one of its codes.
func (x *Index) Require(ctx context.Context, reqs []ror.Requirement) (ror.Candidates, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	out := x.all.Clone()
	for _, r := range reqs {
		var parts []*roaring.Bitmap
		for _, c := range r.AnyOf {
			if err := x.checkValue(r.Facet, c); err != nil {
				return nil, err
			}
			if bm := x.f.get(dim(r.Facet), c); bm != nil {
				parts = append(parts, bm)
			}
		}
		out.And(roaring.FastOr(parts...))
	}
	return &matchSet{bm: out}, nil
}
