package index_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/internal/sources"
)

var (
	once  sync.Once
	offer *ror.Offer
	cat   *ror.Catalog
	idx   *index.Index
)

// realIndex builds the index of the real offer once for the package.
func realIndex(tb testing.TB) (*index.Index, *ror.Catalog) {
	tb.Helper()
	dir := sources.Dir(tb)
	once.Do(func() {
		var err error
		if offer, err = data.Import(context.Background(), dir, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)); err != nil {
			tb.Fatal(err)
		}
		fil, err := data.Filieres(offer.Nomenclature)
		if err != nil {
			tb.Fatal(err)
		}
		cat = ror.NewCatalog(offer.EGs, offer.UOs)
		if idx, err = index.Build(cat, offer.Nomenclature, index.Options{Filieres: fil, Synonyms: data.Synonyms(), UsualNames: usualNames(tb)}); err != nil {
			tb.Fatal(err)
		}
	})
	if idx == nil {
		tb.Fatal("index not built")
	}
	return idx, cat
}

// all lists the ordinals of a candidate set.
func all(c ror.Candidates) []uint32 {
	var out []uint32
	c.Each(func(o uint32) bool { out = append(out, o); return true })
	return out
}

func TestMatchCodes(t *testing.T) {
	x, cat := realIndex(t)
	ctx := context.Background()
	t.Run("a type d'UO code finds exactly the UOs of that type", func(t *testing.T) {
		m, err := x.Match(ctx, &ror.Query{Dans: ror.DansTypesUO, Codes: []string{"20"}})
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, u := range cat.UOs {
			if u.TypeUO == "20" {
				want++
			}
		}
		if got := m.Units.Len(); got != want || want == 0 {
			t.Errorf("got %d UOs, want %d", got, want)
		}
	})
	t.Run("an acte code finds the UOs carrying it", func(t *testing.T) {
		m, err := x.Match(ctx, &ror.Query{Dans: ror.DansActes, Codes: []string{"1492"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range all(m.Units) {
			if !slices.Contains(cat.UOs[o].Actes, "1492") {
				t.Errorf("%s does not carry acte 1492", cat.UOs[o].ID)
			}
		}
		want := 0
		for _, u := range cat.UOs {
			if slices.Contains(u.Actes, "1492") {
				want++
			}
		}
		if m.Units.Len() != want || want < 20 {
			t.Errorf("got %d CSO niveau 3 units, want the %d of the official list's sites", m.Units.Len(), want)
		}
	})
	tests := []struct {
		name string
		q    ror.Query
	}{
		{"an unknown type d'UO code", ror.Query{Dans: ror.DansTypesUO, Codes: []string{"9999"}}},
		{"an unknown filière", ror.Query{Dans: ror.DansFilieres, Codes: []string{"astrologie"}}},
		{"an unknown FINESS in Noms", ror.Query{Dans: ror.DansNoms, Codes: []string{"999999999"}}},
		{"a code without category in Tout le ROR", ror.Query{Dans: ror.DansTout, Codes: []string{"20"}}},
		{"an unknown filter value", ror.Query{Text: "urgences", Filters: ror.Filters{ror.FacetActivite: {"999"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			_, err := x.Match(ctx, &tt.q)
			if ror.ErrorKind(err) != ror.Invalid {
				t.Errorf("got %v, want Invalid", err)
			}
		})
	}
}

func TestMatchText(t *testing.T) {
	x, cat := realIndex(t)
	ctx := context.Background()
	types := func(q ror.Query) map[string]bool {
		t.Helper()
		m, err := x.Match(ctx, &q)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, o := range all(m.Units) {
			out[cat.UOs[o].TypeUO] = true
		}
		return out
	}
	t.Run("urgences in types d'UO finds the emergency structures", func(t *testing.T) {
		got := types(ror.Query{Dans: ror.DansTypesUO, Text: "urgences"})
		if !got["20"] || !got["311"] {
			t.Errorf("got types %v, want 20 and 311 among them", got)
		}
		if got["238"] {
			t.Error("médecine polyvalente matched urgences")
		}
	})
	t.Run("SSR finds the SMR units (synonym)", func(t *testing.T) {
		if got := types(ror.Query{Dans: ror.DansTypesUO, Text: "ssr"}); !got["100"] {
			t.Errorf("got types %v, want 100 (SMR polyvalent)", got)
		}
	})
	t.Run("CSO finds the obesity filière (synonym)", func(t *testing.T) {
		if got := types(ror.Query{Dans: ror.DansFilieres, Text: "cso"}); !got["167"] {
			t.Errorf("got types %v, want 167 (CSO units)", got)
		}
	})
	t.Run("accents and case do not matter", func(t *testing.T) {
		a, b := types(ror.Query{Dans: ror.DansTypesUO, Text: "réanimation"}), types(ror.Query{Dans: ror.DansTypesUO, Text: "REANIMATION"})
		if len(a) == 0 || len(a) != len(b) {
			t.Errorf("got %v and %v", a, b)
		}
	})
	t.Run("a text no label has is an empty match, not an error", func(t *testing.T) {
		if got := types(ror.Query{Dans: ror.DansTypesUO, Text: "xyzzyq"}); len(got) != 0 {
			t.Errorf("got %v", got)
		}
	})
}

func TestSuggestOrder(t *testing.T) {
	x, _ := realIndex(t)
	ctx := context.Background()
	got, err := x.Suggest(ctx, "obes", ror.DansTout, 8)
	if err != nil {
		t.Fatal(err)
	}
	order := map[ror.Dans]int{}
	for i, d := range ror.AllDans {
		order[d] = i
	}
	for i := 1; i < len(got); i++ {
		if got[i].Approche == got[i-1].Approche && order[got[i].Dans] < order[got[i-1].Dans] {
			t.Errorf("category %s after %s: categories out of order", got[i].Dans, got[i-1].Dans)
		}
	}
	cats := map[ror.Dans]bool{}
	for _, s := range got {
		cats[s.Dans] = true
	}
	for _, d := range []ror.Dans{ror.DansFilieres, ror.DansActes, ror.DansEquipements} {
		if !cats[d] {
			t.Errorf("no suggestion in %s for obes", d.Title())
		}
	}
	t.Run("a typo still suggests", func(t *testing.T) {
		got, _ := x.Suggest(ctx, "urgense", ror.DansTypesUO, 8)
		found := false
		for _, s := range got {
			found = found || s.Code == "20"
		}
		if !found {
			t.Errorf("got %v, want type 20 for urgense", got)
		}
	})
	t.Run("a word as typed comes before a typo, whatever its category", func(t *testing.T) {
		for _, typed := range []string{"pédiatrie", "pediatrie", "PEDIATRIE"} {
			got, _ := x.Suggest(ctx, typed, ror.DansTout, 8)
			if len(got) == 0 || got[0].Dans != ror.DansFilieres || got[0].Code != "pediatrie" {
				t.Errorf("%s: got %v first, want the filière Pédiatrie", typed, got)
			}
			typo := false
			for _, s := range got {
				if s.Code == "geriatrie" && !s.Approche {
					t.Errorf("%s: Gériatrie suggested as a match, not as a typo", typed)
				}
				if typo && !s.Approche {
					t.Errorf("%s: %s « %s » after a typo", typed, s.Dans, s.Label)
				}
				typo = typo || s.Approche
			}
		}
	})
	t.Run("a label starting with the text comes first", func(t *testing.T) {
		got, _ := x.Suggest(ctx, "maternit", ror.DansTypesUO, 8)
		if len(got) == 0 || got[0].Code != "290" {
			t.Errorf("got %v, want 290 Unité hospitalière de maternité first", got)
		}
	})
	t.Run("one letter suggests nothing", func(t *testing.T) {
		if got, _ := x.Suggest(ctx, "u", ror.DansTout, 8); len(got) != 0 {
			t.Errorf("got %d suggestions", len(got))
		}
	})
}

// TestFacetsMatchBruteForce checks the refine panel's counts against a
// count over the catalog for random queries with 3 filters on 2 facets.
func TestFacetsMatchBruteForce(t *testing.T) {
	x, cat := realIndex(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 11))
	deps := []string{"75", "33", "69", "13", "59", "92", "93", "94"}
	modes := []string{"28", "29", "32", "33"}
	for n := 0; n < 12; n++ {
		q := ror.Query{Dans: ror.DansTout, Text: []string{"urgences", "medecine", "chirurgie", "psychiatrie"}[n%4],
			Filters: ror.Filters{
				ror.FacetDepartement: {deps[r.IntN(len(deps))], deps[r.IntN(len(deps))]},
				ror.FacetMode:        {modes[r.IntN(len(modes))]},
			}}
		m, err := x.Match(ctx, &q)
		if err != nil {
			t.Fatal(err)
		}
		crit, err := x.Match(ctx, &ror.Query{Dans: q.Dans, Text: q.Text})
		if err != nil {
			t.Fatal(err)
		}
		in := func(list []string, v string) bool { return slices.Contains(list, v) }
		// brute force over the criterion's UOs
		want := map[ror.Facet]map[string]int{ror.FacetDepartement: {}, ror.FacetMode: {}}
		units := 0
		for _, o := range all(crit.Units) {
			u, eg := cat.UOs[o], cat.EGs[cat.EGOf[o]]
			depOK := in(q.Filters[ror.FacetDepartement], eg.Department)
			modeOK := false
			for _, c := range u.Modes {
				modeOK = modeOK || in(q.Filters[ror.FacetMode], c)
			}
			if depOK && modeOK {
				units++
			}
			if modeOK {
				want[ror.FacetDepartement][eg.Department]++
			}
			if depOK {
				for _, c := range u.Modes {
					want[ror.FacetMode][c]++
				}
			}
		}
		if m.Units.Len() != units {
			t.Errorf("%q: got %d UOs, want %d", q.Text, m.Units.Len(), units)
		}
		for _, fc := range m.Facets {
			w, ok := want[fc.Facet]
			if !ok {
				continue
			}
			for _, v := range fc.Values {
				if v.Count != w[v.Code] {
					t.Errorf("%q facet %s value %s: got %d, want %d", q.Text, fc.Facet, v.Code, v.Count, w[v.Code])
				}
			}
			for code, c := range w {
				if c > 0 && !slices.ContainsFunc(fc.Values, func(v ror.FacetValue) bool { return v.Code == code }) {
					t.Errorf("%q facet %s misses %s (%d)", q.Text, fc.Facet, code, c)
				}
			}
		}
	}
}

func TestRequireAllCodes(t *testing.T) {
	x, cat := realIndex(t)
	c, err := x.Require(context.Background(), []ror.Requirement{
		{Facet: ror.FacetEquipement, AnyOf: []string{"225"}},
		{Facet: ror.FacetEquipement, AnyOf: []string{"091", "092"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.Len() == 0 {
		t.Fatal("no unit has a chambre adaptée and a brancard obésité")
	}
	for _, o := range all(c) {
		u := cat.UOs[o]
		if !slices.Contains(u.Equipements, "225") || !(slices.Contains(u.Equipements, "091") || slices.Contains(u.Equipements, "092")) {
			t.Errorf("%s lacks a required equipment: %v", u.ID, u.Equipements)
		}
	}
}

func BenchmarkMatch(b *testing.B) {
	x, _ := realIndex(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    ror.Query
	}{
		{"code", ror.Query{Dans: ror.DansTypesUO, Codes: []string{"20"}}},
		{"broad-text", ror.Query{Dans: ror.DansTout, Text: "centre"}},
		{"3-filters", ror.Query{Dans: ror.DansTout, Text: "medecine", Filters: ror.Filters{ror.FacetDepartement: {"75", "92"}, ror.FacetMode: {"28"}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := x.Match(ctx, &bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSuggest(b *testing.B) {
	x, _ := realIndex(b)
	for _, text := range []string{"obes", "urgense", "centre hospitalier", "clinique saint"} {
		b.Run(text, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := x.Suggest(context.Background(), text, ror.DansTout, ror.SuggestLimit); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFacetsWithoutFilters checks the one-pass count (no filter selected)
// against a count over the catalog, for every facet.
func TestFacetsWithoutFilters(t *testing.T) {
	x, cat := realIndex(t)
	m, err := x.Match(context.Background(), &ror.Query{Dans: ror.DansFilieres, Codes: []string{"urgences"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[ror.Facet]map[string]int{}
	for _, f := range ror.AllFacets {
		want[f] = map[string]int{}
	}
	for _, o := range all(m.Units) {
		u, eg := cat.UOs[o], cat.EGs[cat.EGOf[o]]
		want[ror.FacetTypeUO][u.TypeUO]++
		want[ror.FacetDepartement][eg.Department]++
		for _, c := range u.Activites {
			want[ror.FacetActivite][c]++
		}
		if u.Patientele.Enfant {
			want[ror.FacetPatientele][ror.PatienteleEnfant]++
		}
	}
	for _, fc := range m.Facets {
		w := want[fc.Facet]
		if len(w) == 0 {
			continue
		}
		got := map[string]int{}
		for _, v := range fc.Values {
			got[v.Code] = v.Count
		}
		for code, n := range w {
			if got[code] != n {
				t.Errorf("facet %s value %s: got %d, want %d", fc.Facet, code, got[code], n)
			}
		}
	}
}

// usualNames is data/noms_usuels.csv, as the service reads it.
func usualNames(tb testing.TB) map[string][]string {
	tb.Helper()
	u, err := data.UsualNames()
	if err != nil {
		tb.Fatal(err)
	}
	return u
}
