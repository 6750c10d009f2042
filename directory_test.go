package ror_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/internal/sources"
)

var (
	dirOnce sync.Once
	dir     *ror.Directory
)

// directory builds a Directory over the real offer with the real adapters
// (no store: read-only).
func directory(tb testing.TB) *ror.Directory {
	tb.Helper()
	src := sources.Dir(tb)
	dirOnce.Do(func() {
		o, err := data.Import(context.Background(), src, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			tb.Fatal(err)
		}
		fil, _ := data.Filieres(o.Nomenclature)
		presets, _ := data.Presets(o.Nomenclature)
		cat := ror.NewCatalog(o.EGs, o.UOs)
		idx, err := index.Build(cat, o.Nomenclature, index.Options{Filieres: fil, Synonyms: data.Synonyms()})
		if err != nil {
			tb.Fatal(err)
		}
		pts := make([]ror.Point, len(cat.EGs))
		for i := range cat.EGs {
			pts[i] = cat.EGs[i].Point
		}
		dir = ror.NewDirectory(ror.Parts{Catalog: cat, Nomenclature: o.Nomenclature, Index: idx,
			Gazetteer: geo.NewGazetteer(o.Communes, o.Departments), Locator: geo.NewTree(pts), Router: geo.NewRouter(), EJs: o.EJs, Presets: presets})
	})
	if dir == nil {
		tb.Fatal("no directory")
	}
	return dir
}

func TestSearchPagesAndCap(t *testing.T) {
	d := directory(t)
	ctx := context.Background()
	res, err := d.Search(ctx, ror.Query{Ou: "33063", Dans: ror.DansTout, Text: "medecine", All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Etablissements) != ror.PageSize {
		t.Errorf("page 1 has %d établissements, want %d", len(res.Etablissements), ror.PageSize)
	}
	if len(res.All) > ror.MaxResults || !res.Summary.Truncated {
		t.Errorf("got %d results, truncated %v; want at most 200, cut", len(res.All), res.Summary.Truncated)
	}
	seen := map[string]bool{}
	for p := 1; p <= res.Pages; p++ {
		page, err := d.Search(ctx, ror.Query{Ou: "33063", Dans: ror.DansTout, Text: "medecine", Page: p})
		if err != nil {
			t.Fatal(err)
		}
		for _, eg := range page.Etablissements {
			// an EG may have two rows: its mobile units at 0 km, the others at their distance
			row := eg.FINESS + "/" + eg.UOs[0].ID
			if seen[row] {
				t.Errorf("%s on two pages", row)
			}
			seen[row] = true
		}
	}
	if len(seen) != len(res.All) {
		t.Errorf("pages hold %d établissements, the list %d", len(seen), len(res.All))
	}
}

func TestRadiusAndBBox(t *testing.T) {
	d := directory(t)
	ctx := context.Background()
	res, err := d.Search(ctx, ror.Query{Ou: "75110", Dans: ror.DansTypesUO, Codes: []string{"290"}, RayonKm: 5, All: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, eg := range res.All {
		if *eg.DistanceKm > 5 {
			t.Errorf("%s at %.1f km is outside a 5 km radius", eg.Name, *eg.DistanceKm)
		}
	}
	box := &ror.BBox{Min: ror.Point{Lon: -0.7, Lat: 44.7}, Max: ror.Point{Lon: -0.4, Lat: 45.0}}
	res, err = d.Search(ctx, ror.Query{Dans: ror.DansTypesUO, Codes: []string{"290"}, BBox: box, All: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.All) == 0 {
		t.Fatal("no maternité in a box around Bordeaux")
	}
	for _, eg := range res.All {
		if eg.Point == nil || !box.Contains(*eg.Point) {
			t.Errorf("%s is outside the box", eg.Name)
		}
	}
}

func TestZoneDIntervention(t *testing.T) {
	d := directory(t)
	// Saint-Denis-lès-Bourg (01344) is inside the HAD zone of the CH de Bourg-en-Bresse (30 km).
	res, err := d.Search(context.Background(), ror.Query{Ou: "01344", Dans: ror.DansTypesUO, Codes: []string{"128"}, RayonKm: 1, All: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, eg := range res.All {
		for _, u := range eg.UOs {
			if u.ID == "010000024-HAD" {
				found = true
				if *eg.DistanceKm != 0 || u.Intervient == "" {
					t.Errorf("HAD listed at %.1f km, marker %q; want 0 km and « intervient à »", *eg.DistanceKm, u.Intervient)
				}
			}
		}
	}
	if !found {
		t.Error("the HAD serving the commune is missing although its base is outside the 1 km radius")
	}
}

func BenchmarkDirectorySearch(b *testing.B) {
	d := directory(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    ror.Query
	}{
		{"selective", ror.Query{Ou: "75110", Dans: ror.DansTypesUO, Codes: []string{"20"}}},
		{"broad", ror.Query{Ou: "75110", Dans: ror.DansTout, Text: "centre"}},
		{"facets-3-filters", ror.Query{Ou: "75110", Dans: ror.DansTout, Text: "medecine", Filters: ror.Filters{ror.FacetDepartement: {"75", "92"}, ror.FacetMode: {"28"}}}},
		{"no-commune", ror.Query{Dans: ror.DansTout, Text: "psychiatrie"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.Search(ctx, bc.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestFacetsShowTheMostFrequentValues checks what the refine panel gets: the
// most frequent values of each facet, how many there are, the selected ones
// even when rarer, and every value of a facet asked complete.
func TestFacetsShowTheMostFrequentValues(t *testing.T) {
	d := directory(t)
	ctx := context.Background()
	q := ror.Query{Ou: "33063", Dans: ror.DansTout, Text: "medecine"}
	full := q
	full.FullFacets = ror.AllFacets
	all, err := d.Search(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	res, err := d.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	long := -1 // a facet with more values than shown
	for i, fc := range res.Facets {
		whole := all.Facets[i]
		if fc.Distinct != len(whole.Values) || whole.Distinct != len(whole.Values) {
			t.Errorf("%s: nb_valeurs %d, complete %d, want both %d", fc.Facet, fc.Distinct, whole.Distinct, len(whole.Values))
		}
		want := min(len(whole.Values), ror.FacetValuesShown)
		if len(fc.Values) != want {
			t.Errorf("%s: %d values, want %d", fc.Facet, len(fc.Values), want)
		}
		for j, v := range fc.Values {
			if v != whole.Values[j] {
				t.Errorf("%s value %d: got %+v, want the complete facet's %+v", fc.Facet, j, v, whole.Values[j])
			}
		}
		if len(whole.Values) > ror.FacetValuesShown+1 && long < 0 {
			long = i
		}
	}
	if long < 0 {
		t.Fatal("no facet of « medecine » around Bordeaux has more values than shown")
	}
	// A rare value selected stays in the panel, so that it can be unticked.
	f := all.Facets[long]
	rare := f.Values[len(f.Values)-1]
	q.Filters = ror.Filters{f.Facet: {rare.Code}}
	res, err = d.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	got := res.Facets[long].Values
	if len(got) != ror.FacetValuesShown+1 || got[len(got)-1].Code != rare.Code {
		t.Errorf("%s with %s selected: %d values, last %+v; want %d with the selected one last", f.Facet, rare.Code, len(got), got[len(got)-1], ror.FacetValuesShown+1)
	}
}
