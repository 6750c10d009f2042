package search_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/data/synth"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/search"
)

// proParts are the real adapters over the real communes and nomenclature.
func proParts(tb testing.TB) (search.ProParts, *geo.Gazetteer) {
	tb.Helper()
	o := realOffer(tb)
	if err := data.AddProfessionCodes(o.Nomenclature); err != nil {
		tb.Fatal(err)
	}
	g := geo.NewGazetteer(o.Communes, o.Departments)
	return search.ProParts{Nomenclature: o.Nomenclature, Gazetteer: g, Router: geo.NewRouterFor(o.Communes),
		Locate: func(p []ror.Point) ror.Locator { return geo.NewTree(p) }}, g
}

// atMantes is proParts and Mantes-la-Jolie, where the seed's kinés are.
func atMantes(tb testing.TB) (search.ProParts, ror.Commune) {
	tb.Helper()
	parts, g := proParts(tb)
	mantes, ok := g.Commune("78361")
	if !ok {
		tb.Fatal("no Mantes-la-Jolie")
	}
	return parts, mantes
}

// north moves p km northwards.
func north(p ror.Point, km float64) ror.Point { return ror.Point{Lon: p.Lon, Lat: p.Lat + km/111.195} }

func kine(rpps, nom string, at ror.Point, insee string, acts []string, modes []string, zoneKm float64) ror.Professional {
	return ror.Professional{RPPS: rpps, Nom: nom, Profession: ror.ProfessionKine, Source: ror.SourceDeclared,
		Lieux: []ror.PracticePlace{{ID: rpps + "-1", Kind: ror.LieuCabinet, Name: "Cabinet " + nom, Commune: insee, Point: at, Placement: ror.PlacementDeclare,
			TypeOffre: "195", Activites: acts, Modes: modes, ZoneKm: zoneKm}}}
}

func TestProfessionalsNearestWithTheirSpecificite(t *testing.T) {
	parts, mantes := atMantes(t)
	home := []string{ror.ModePresentiel, ror.ModeDomicile}
	ps := search.NewProfessionals(parts, []ror.Professional{
		kine("899990000101", "PREMIER", north(mantes.Point, 0.5), "78361", []string{"339", "419"}, home, 10),
		kine("899990000102", "DEUXIEME", north(mantes.Point, 2), "78361", []string{"339"}, home, 10),
		kine("899990000103", "TROISIEME", north(mantes.Point, 15), "78361", []string{"419"}, []string{ror.ModePresentiel}, 0),
		{RPPS: "899990000104", Nom: "SAGE", Profession: ror.ProfessionSageFemme, Source: ror.SourceDeclared,
			Lieux: []ror.PracticePlace{{ID: "899990000104-1", Commune: "78361", Point: mantes.Point, TypeOffre: "213", Actes: []string{"1332"}, Modes: []string{ror.ModePresentiel}}}},
	})
	ans, err := ps.Search(context.Background(), ror.ProQuery{Ou: "78361", Text: "kiné respiratoire"})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range ans.Lieux {
		for _, p := range l.Pros {
			names = append(names, p.Name)
		}
	}
	if len(ans.Lieux) != 2 || ans.Lieux[0].Pros[0].RPPS != "899990000101" || ans.Lieux[1].Pros[0].RPPS != "899990000103" {
		t.Fatalf("got %v, want PREMIER then TROISIEME, never DEUXIEME", names)
	}
	first, third := ans.Lieux[0], ans.Lieux[1]
	if !first.Domicile || third.Domicile {
		t.Errorf("« se déplace à domicile »: first %v, third %v; want the first only", first.Domicile, third.Domicile)
	}
	if first.DistanceKm == nil || *first.DistanceKm > 1 || third.DistanceKm == nil || *third.DistanceKm < 14 || third.DurationMin == nil {
		t.Errorf("distances %v %v, minutes %v", first.DistanceKm, third.DistanceKm, third.DurationMin)
	}
	// Facets count over the matches: two kinés of orientation respiratoire.
	for _, f := range ans.Facets {
		if f.Facet == ror.ProFacetSpecificite {
			for _, v := range f.Values {
				if v.Code == "J17:419" && v.Count != 2 {
					t.Errorf("J17:419 counted %d, want 2", v.Count)
				}
			}
		}
	}
	// Within 10 km only the first is left, and the facets count it alone;
	// a map view around the third keeps the third alone.
	for _, c := range []struct {
		name string
		q    ror.ProQuery
		want string
	}{
		{"rayon 10 km", ror.ProQuery{Ou: "78361", Text: "kiné respiratoire", MaxKm: 10}, "899990000101"},
		{"map view", ror.ProQuery{Ou: "78361", Text: "kiné respiratoire", BBox: &ror.BBox{Min: north(mantes.Point, 14), Max: ror.Point{Lon: mantes.Point.Lon + 0.1, Lat: north(mantes.Point, 16).Lat}}}, "899990000103"},
	} {
		ans, err := ps.Search(context.Background(), c.q)
		if err != nil || len(ans.Lieux) != 1 || ans.Lieux[0].Pros[0].RPPS != c.want {
			t.Errorf("%s: %+v %v, want %s alone", c.name, ans, err, c.want)
			continue
		}
		for _, f := range ans.Facets {
			for _, v := range f.Values {
				if v.Code == "J17:419" && v.Count != 1 {
					t.Errorf("%s: J17:419 counted %d, want 1 (what the list shows)", c.name, v.Count)
				}
			}
		}
	}
	// Filter by mode: home visits only.
	ans, err = ps.Search(context.Background(), ror.ProQuery{Ou: "78361", Text: "kine", Filters: ror.ProFilters{Mode: []string{ror.ModeDomicile}}})
	if err != nil || len(ans.Lieux) != 2 || ans.Lieux[0].Pros[0].Name != "PREMIER" || ans.Lieux[1].Pros[0].Name != "DEUXIEME" {
		t.Errorf("mode 05: %+v %v", ans, err)
	}
	// The sage-femme by her acte spécifique (diabète gestationnel).
	ans, err = ps.Search(context.Background(), ror.ProQuery{Ou: "Mantes-la-Jolie", Text: "sage-femme diabète gestationnel"})
	if err != nil || len(ans.Lieux) != 1 || ans.Lieux[0].Pros[0].Name != "SAGE" {
		t.Errorf("sage-femme: %+v %v", ans, err)
	}
	if _, err := ps.Search(context.Background(), ror.ProQuery{Filters: ror.ProFilters{Profession: []string{"99"}}}); ror.ErrorKind(err) != ror.Invalid {
		t.Errorf("unknown profession filter: %v, want Invalid", err)
	}
	if ans.Source == "" || !strings.Contains(ans.Source, "Aucune extraction RPPS") {
		t.Errorf("source %q: want it to say no RPPS extract is loaded", ans.Source)
	}
}

// BenchmarkProfessionalsSearch runs the professionals' searches at national
// density (the generator's 213,000, a third having described their offer).
func BenchmarkProfessionalsSearch(b *testing.B) {
	parts, _ := proParts(b)
	o := realOffer(b)
	list := synth.Professionals(o.Communes, o.Nomenclature, synth.ProOptions{Seed: 1})
	start := time.Now()
	ps := search.NewProfessionals(parts, list)
	b.Logf("built %d professionals in %s", len(list), time.Since(start))
	for _, c := range []struct {
		name string
		q    ror.ProQuery
	}{
		{"kine-paris", ror.ProQuery{Ou: "75110", Text: "kiné"}},
		{"kine-respiratoire-mantes", ror.ProQuery{Ou: "insee:78361", Text: "kiné respiratoire"}},
		{"sage-femme-diabete-lyon", ror.ProQuery{Ou: "69383", Text: "sage-femme diabète gestationnel"}},
		{"domicile-facet", ror.ProQuery{Ou: "33063", Text: "kine", Filters: ror.ProFilters{Mode: []string{ror.ModeDomicile}}}},
		{"name", ror.ProQuery{Text: "SYNTH-001234"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ps.Search(context.Background(), c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("change", func(b *testing.B) {
		for b.Loop() {
			if _, err := ps.Change(context.Background(), list[0].RPPS, func(cur ror.Professional, ok bool) (ror.Professional, func(context.Context) error, error) {
				return cur, nil, nil
			}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkProfessionalsBuild(b *testing.B) {
	parts, _ := proParts(b)
	o := realOffer(b)
	list := synth.Professionals(o.Communes, o.Nomenclature, synth.ProOptions{Seed: 1})
	for b.Loop() {
		search.NewProfessionals(parts, list)
	}
}

// Professionals who describe themselves together are published together:
// each change is read back at once by its author (Professional), every one
// reaches the searches, and the changes written while a snapshot is built
// go into the next one. On 30,000 professionals a snapshot takes long
// enough that forty changes at once need far fewer than forty builds (one
// build each queued the writers behind one another at national scale).
func TestProfessionalsChangesArePublishedTogether(t *testing.T) {
	parts, mantes := atMantes(t)
	home := []string{ror.ModePresentiel, ror.ModeDomicile}
	var list []ror.Professional
	for i := range 30000 {
		list = append(list, kine(fmt.Sprintf("8%011d", i), fmt.Sprintf("KINE%d", i), north(mantes.Point, float64(i%50)), "78361", []string{"339"}, home, 10))
	}
	ps := search.NewProfessionals(parts, list)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rpps := fmt.Sprintf("8%011d", i*7)
			_, err := ps.Change(context.Background(), rpps, func(cur ror.Professional, ok bool) (ror.Professional, func(context.Context) error, error) {
				if !ok {
					return cur, nil, fmt.Errorf("%s unknown", rpps)
				}
				cur.Nom = fmt.Sprintf("CHANGE%d", i)
				return cur, nil, nil
			})
			if err == nil {
				if p, _ := ps.Professional(rpps); p.Nom != fmt.Sprintf("CHANGE%d", i) {
					err = fmt.Errorf("%s read back as %q right after its change", rpps, p.Nom)
				}
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for deadline := time.Now().Add(time.Minute); ; {
		ans, err := ps.Search(context.Background(), ror.ProQuery{Text: "change", All: true})
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, l := range ans.All {
			found += len(l.Pros)
		}
		if found == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the searches find %d of the %d changed professionals", found, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("%d snapshots built for %d changes", search.SnapshotsBuilt(ps), n)
	if b := search.SnapshotsBuilt(ps); b < 1 || b > n/2 {
		t.Errorf("%d snapshots built for %d changes at once, want between 1 and %d", b, n, n/2)
	}
}
