package index

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ror-recherche/ror"
)

// maxTextEntries bounds the vocabulary entries a text criterion unites.
const maxTextEntries = 5000

// Match returns the UOs that satisfy q's criterion and filters, with the
// facet counts of the refine panel.
func (x *Index) Match(ctx context.Context, q *ror.Query) (*ror.Match, error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	crit := x.all
	var hits []hit
	if len(q.Codes) > 0 {
		bm, err := x.codes(q.Dans, q.Codes)
		if err != nil {
			return nil, err
		}
		crit = bm
	}
	if q.Text != "" {
		var err error
		if hits, err = x.search(q.Text, q.Dans, maxTextEntries, 1); err != nil {
			return nil, err
		}
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].score > hits[j].score })
		parts := make([]*roaring.Bitmap, len(hits))
		for i, h := range hits {
			parts[i] = h.e.bm
		}
		crit = roaring.And(crit, roaring.FastOr(parts...))
	}
	filters, err := x.filterBitmaps(q.Filters)
	if err != nil {
		return nil, err
	}
	units := crit.Clone() // never hand out a bitmap the index keeps updating
	for _, f := range filters {
		units.And(f)
	}
	m := &ror.Match{Units: set{units}, Facets: x.facets(crit, filters, q.Filters)}
	if len(hits) > 0 {
		best := x.bestHitFunc(hits, units)
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

// bestHitFunc returns the best-ranked entry containing a UO of units. On
// first use it takes, under the read lock, each entry's share of units, so
// that later calls need no lock and see the units as Match found them even
// if Update re-files them meanwhile. With few entries a call walks them
// (hits are sorted best first); with many (a broad word matching thousands
// of names) it reads a map built once over the matching UOs.
func (x *Index) bestHitFunc(hits []hit, units *roaring.Bitmap) func(uint32) *hit {
	var once sync.Once
	var shares []*roaring.Bitmap
	var best map[uint32]int32
	load := func() {
		x.mu.RLock()
		defer x.mu.RUnlock()
		if len(hits) <= 16 {
			shares = make([]*roaring.Bitmap, len(hits))
			for i := range hits {
				shares[i] = roaring.And(hits[i].e.bm, units)
			}
			return
		}
		best = make(map[uint32]int32, units.GetCardinality())
		for i := range hits {
			it := roaring.And(hits[i].e.bm, units).Iterator()
			for it.HasNext() {
				if o := it.Next(); best[o] == 0 {
					best[o] = int32(i) + 1 // 0 is "not yet"
				}
			}
		}
	}
	return func(ord uint32) *hit {
		once.Do(load)
		if shares == nil {
			if i := best[ord]; i > 0 {
				return &hits[i-1]
			}
			return nil
		}
		for i, s := range shares {
			if s.Contains(ord) {
				return &hits[i]
			}
		}
		return nil
	}
}

func explain(h *hit) string {
	if h == nil {
		return ""
	}
	how := [3]string{"le libellé commence par le texte", "tous les mots", "mots approchés"}[h.tier]
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
// facet (OR of its values).
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
		out[facet] = roaring.FastOr(parts...)
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
	return set{out}, nil
}
