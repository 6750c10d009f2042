package search_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/internal/sources"
	"github.com/ror-recherche/ror/search"
)

var (
	dirOnce sync.Once
	dir     *search.Directory

	offerOnce sync.Once
	offer     *ror.Offer
	offerErr  error
)

// realOffer imports the real data once for the package's tests (at national
// scale an import under the race detector costs tens of seconds) and hands
// each caller its own EG and UO slices, so that a test writing to its
// directory never changes another's.
func realOffer(tb testing.TB) *ror.Offer {
	tb.Helper()
	src := sources.Dir(tb)
	offerOnce.Do(func() {
		offer, offerErr = data.Import(context.Background(), src, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	})
	if offerErr != nil {
		tb.Fatal(offerErr)
	}
	o := *offer
	o.EGs = slices.Clone(offer.EGs)
	o.UOs = slices.Clone(offer.UOs)
	return &o
}

// directory builds a Directory over the real offer with the real adapters
// (no store: read-only).
func directory(tb testing.TB) *search.Directory {
	tb.Helper()
	dirOnce.Do(func() {
		dir = directoryWith(tb, geo.NewRouterFor(realOffer(tb).Communes))
	})
	if dir == nil {
		tb.Fatal("no directory")
	}
	return dir
}

// directoryWith builds another Directory over the same offer with router.
func directoryWith(tb testing.TB, router ror.Router) *search.Directory {
	tb.Helper()
	o := realOffer(tb)
	fil, _ := data.Filieres(o.Nomenclature)
	presets, _ := data.Presets(o.Nomenclature)
	cat := ror.NewCatalog(o.EGs, o.UOs)
	idx, err := index.Build(cat, o.Nomenclature, index.Options{Filieres: fil, Synonyms: data.Synonyms(), UsualNames: usualNames(tb)})
	if err != nil {
		tb.Fatal(err)
	}
	pts := make([]ror.Point, len(cat.EGs))
	for i := range cat.EGs {
		pts[i] = cat.EGs[i].Point
	}
	return search.NewDirectory(search.Parts{Catalog: cat, Nomenclature: o.Nomenclature, Index: idx,
		Gazetteer: geo.NewGazetteer(o.Communes, o.Departments), Locator: geo.NewTree(pts), Router: router, EJs: o.EJs, Presets: presets})
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
			if seen[eg.FINESS] {
				t.Errorf("%s listed twice", eg.FINESS)
			}
			seen[eg.FINESS] = true
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

// A mobile unit leaves from its base: it keeps the base's real distance and
// says « intervient à » where its zone holds the commune, even beyond the
// radius asked.
func TestZoneDIntervention(t *testing.T) {
	d := directory(t)
	// Saint-Denis-lès-Bourg (01344) is inside the HAD zone of the CH de Bourg-en-Bresse (30 km), 2 km from its base.
	res, err := d.Search(context.Background(), ror.Query{Ou: "01344", Dans: ror.DansTypesUO, Codes: []string{"128"}, RayonKm: 1, All: true})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	prev := -1.0
	for _, eg := range res.All {
		if *eg.DistanceKm < prev {
			t.Errorf("%s at %.1f km after %.1f km", eg.Name, *eg.DistanceKm, prev)
		}
		prev = *eg.DistanceKm
		for _, u := range eg.UOs {
			if u.ID == "010000024-HAD" {
				found = true
				if *eg.DistanceKm <= 1 || *eg.DistanceKm > 30 || u.Intervient != "Saint-Denis-lès-Bourg" || eg.DurationMin == nil || *eg.DurationMin == 0 {
					t.Errorf("HAD listed at %.1f km, %v min, marker %q; want its base's real distance (1–30 km), minutes and « intervient à Saint-Denis-lès-Bourg »", *eg.DistanceKm, eg.DurationMin, u.Intervient)
				}
			}
		}
	}
	if !found {
		t.Error("the HAD serving the commune is missing although its base is outside the 1 km radius")
	}
	if res.Summary.Etablissements != len(res.All) {
		t.Errorf("the summary counts %d établissements, the list has %d", res.Summary.Etablissements, len(res.All))
	}
}

// Urgences from Paris 10: the SMUR of an hospital is one of its units, on
// its one row at its real distance, not a row of its own at 0 km.
func TestMobileUnitsShareTheirEstablishmentRow(t *testing.T) {
	d := directory(t)
	ctx := context.Background()
	q := ror.Query{Ou: "75110", Dans: ror.DansTypesUO, Text: "urgences", All: true}
	res, err := d.Search(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	smur, uos, prev := 0, 0, -1.0
	for _, eg := range res.All {
		if seen[eg.FINESS] {
			t.Errorf("%s (%s) listed twice", eg.Name, eg.FINESS)
		}
		seen[eg.FINESS] = true
		if *eg.DistanceKm < prev {
			t.Errorf("%s at %.1f km after %.1f km", eg.Name, *eg.DistanceKm, prev)
		}
		prev = *eg.DistanceKm
		uos += len(eg.UOs)
		for _, u := range eg.UOs {
			if u.Intervient != "" {
				smur++
				if *eg.DistanceKm == 0 && eg.Commune.INSEE != "75110" {
					t.Errorf("%s: mobile unit %s at 0 km from a base in %s", eg.Name, u.ID, eg.Commune.Name)
				}
			}
		}
	}
	if smur < 3 {
		t.Errorf("%d mobile units say they intervene at Paris 10, want at least 3 (the SMUR of Paris)", smur)
	}
	if res.Summary.Etablissements != len(seen) || res.Summary.UO != uos {
		t.Errorf("summary %d établissements, %d UO; the list %d, %d", res.Summary.Etablissements, res.Summary.UO, len(seen), uos)
	}
	// Every page: each établissement once, and once across the pages.
	across := map[string]bool{}
	for p := 1; p <= res.Pages; p++ {
		q.All, q.Page = false, p
		page, err := d.Search(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, eg := range page.Etablissements {
			if across[eg.FINESS] {
				t.Errorf("page %d: %s listed again", p, eg.Name)
			}
			across[eg.FINESS] = true
		}
	}
	if len(across) != len(seen) {
		t.Errorf("the pages hold %d établissements, the list %d", len(across), len(seen))
	}
}

// The 200 cap counts établissements: a broad search listing mobile units
// fills 200 distinct rows.
func TestCapCountsDistinctEstablishments(t *testing.T) {
	d := directory(t)
	res, err := d.Search(context.Background(), ror.Query{Ou: "91174", Dans: ror.DansTypesUO, Codes: []string{"28", "30"}, All: true})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, eg := range res.All {
		seen[eg.FINESS] = true
	}
	if len(res.All) != ror.MaxResults || len(seen) != ror.MaxResults || !res.Summary.Truncated {
		t.Errorf("SSIAD and SAAD from Corbeil: %d rows, %d établissements, truncated %v; want %d distinct, cut", len(res.All), len(seen), res.Summary.Truncated, ror.MaxResults)
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

func BenchmarkProximity(b *testing.B) {
	d := directory(b)
	ctx := context.Background()
	for i, q := range []ror.NearQuery{
		{Ou: "91228", Besoin: "obesite-severe", Limit: 10},
		{Ou: "75110", Require: []ror.Requirement{{Facet: ror.FacetTypeUO, AnyOf: []string{"121"}}}, MinLits: 1, Limit: 10},
	} {
		b.Run(fmt.Sprint(i), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := d.Nearby(ctx, q, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
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

// Proximité: a SMUR is at its base's real distance and says that it
// intervenes at the commune asked from.
func TestNearbySaysWhereAMobileUnitIntervenes(t *testing.T) {
	d := directory(t)
	hits, _, err := d.Nearby(context.Background(), ror.NearQuery{Ou: "75110",
		Require: []ror.Requirement{{Facet: ror.FacetTypeUO, AnyOf: []string{"247"}}}, Limit: 5}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	intervening := 0
	for _, h := range hits {
		if h.UO.Intervient == "Paris 10" {
			intervening++
		}
		if h.DistanceKm == 0 || h.DurationMin == nil {
			t.Errorf("%s: SMUR at %.1f km, %v min; want its base's distance and time", h.EG.Name, h.DistanceKm, h.DurationMin)
		}
	}
	if len(hits) == 0 || intervening == 0 {
		t.Errorf("%d SMUR, %d saying « intervient à Paris 10 »", len(hits), intervening)
	}
}
