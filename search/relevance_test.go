package search_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/search"
)

// unranked hides Match.Ranked: relevance is then computed by scoring every
// UO, the plain way the ranked walk must agree with.
type unranked struct{ ror.Index }

func (u unranked) Match(ctx context.Context, q *ror.Query) (*ror.Match, error) {
	m, err := u.Index.Match(ctx, q)
	if m != nil {
		m.Ranked = nil
	}
	return m, err
}

// Ranking by relevance stops early on the ranked subsets; it must list the
// same établissements, in the same order, with the same UOs as scoring every
// UO, with and without a commune, a radius, filters.
func TestRelevanceWalkMatchesScoringEveryUO(t *testing.T) {
	o := realOffer(t)
	fil, _ := data.Filieres(o.Nomenclature)
	cat := ror.NewCatalog(o.EGs, o.UOs)
	idx, err := index.Build(cat, o.Nomenclature, index.Options{Filieres: fil, Synonyms: data.Synonyms(), UsualNames: usualNames(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	pts := make([]ror.Point, len(cat.EGs))
	for i := range cat.EGs {
		pts[i] = cat.EGs[i].Point
	}
	parts := search.Parts{Catalog: cat, Nomenclature: o.Nomenclature, Index: idx,
		Gazetteer: geo.NewGazetteer(o.Communes, o.Departments), Locator: geo.NewTree(pts), Router: geo.NewRouter(), EJs: o.EJs}
	walk := search.NewDirectory(parts)
	parts.Index = unranked{idx}
	plain := search.NewDirectory(parts)
	for _, q := range []ror.Query{
		{Dans: ror.DansTout, Text: "centre", Tri: ror.TriPertinence},               // thousands of names and codes
		{Dans: ror.DansTout, Text: "hopital", Tri: ror.TriPertinence, Ou: "33063"}, // distance breaks ties
		{Dans: ror.DansTout, Text: "medecine", Tri: ror.TriPertinence, Ou: "69123", RayonKm: 30},
		{Dans: ror.DansTout, Text: "soins", Tri: ror.TriPertinence, Filters: ror.Filters{ror.FacetStatut: {"actif"}, ror.FacetDepartement: {"75", "93"}}},
		{Dans: ror.DansNoms, Text: "clinique saint", Tri: ror.TriPertinence},
		{Dans: ror.DansTypesUO, Text: "urgences", Tri: ror.TriPertinence}, // fewer than 200
	} {
		for page := 1; page <= 3; page++ {
			q.Page, q.All = page, true
			a, err := walk.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			b, err := plain.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			q.All = false // the page alone renders the same
			c, err := walk.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			ja, _ := json.Marshal(a.Etablissements)
			jb, _ := json.Marshal(b.Etablissements)
			if jc, _ := json.Marshal(c.Etablissements); string(jc) != string(ja) || c.Summary.UO != a.Summary.UO || c.Pages != a.Pages {
				t.Fatalf("%+v: the page alone differs from the page of all results", q)
			}
			if string(ja) != string(jb) || len(a.All) != len(b.All) || a.Summary.Truncated != b.Summary.Truncated {
				t.Fatalf("%+v: the ranked walk lists %d (tronqué %v), scoring every UO %d (tronqué %v):\n%.600s\n%.600s",
					q, len(a.All), a.Summary.Truncated, len(b.All), b.Summary.Truncated, ja, jb)
			}
		}
	}
}
