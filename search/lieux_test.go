package search_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/search"
)

// directoryWithLieux builds a Directory over the real offer where the
// units of one EG in every declares a second lieu, about 20 km north of
// its EG (a benchmark's worst plausible case: many antennas).
func directoryWithLieux(tb testing.TB, every int) (*search.Directory, []ror.Lieu) {
	tb.Helper()
	o := realOffer(tb)
	egs, uos := slices.Clone(o.EGs), slices.Clone(o.UOs)
	var lieux []ror.Lieu
	with, hasUO := map[string]string{}, map[string]bool{}
	for _, u := range uos {
		hasUO[u.EG] = true
	}
	for i, eg := range egs {
		if i%every != 0 || !eg.Geolocated() || !hasUO[eg.FINESS] {
			continue
		}
		l := ror.Lieu{ID: eg.FINESS + "-L1", EG: eg.FINESS, Name: "Antenne de " + eg.Name, Fonction: ror.FonctionAdresse,
			Commune: eg.Commune, Point: ror.Point{Lon: eg.Point.Lon, Lat: eg.Point.Lat + 0.18}, Statut: ror.StatutActif, Version: 1}
		lieux = append(lieux, l)
		with[eg.FINESS] = l.ID
	}
	for i := range uos {
		if id, ok := with[uos[i].EG]; ok {
			uos[i].Lieux = []string{uos[i].EG, id}
		}
	}
	fil, _ := data.Filieres(o.Nomenclature)
	presets, _ := data.Presets(o.Nomenclature)
	cat := ror.NewCatalog(egs, uos)
	cat.SetLieux(lieux)
	idx, err := index.Build(cat, o.Nomenclature, index.Options{Filieres: fil, Synonyms: data.Synonyms()})
	if err != nil {
		tb.Fatal(err)
	}
	return search.NewDirectory(search.Parts{Catalog: cat, Nomenclature: o.Nomenclature, Index: idx,
		Gazetteer: geo.NewGazetteer(o.Communes, o.Departments), Locator: geo.NewTree(cat.PlacePoints()),
		Router: geo.NewRouterFor(o.Communes), EJs: o.EJs, Presets: presets}), lieux
}

// TestLieuxThroughUpdate: with an antenna 20 km north of every 50th EG, a
// search lists each établissement once, by distance; a lieu moved through
// Update onto a far commune places its EG there at once, the lieu named,
// and the proximity lookup measures its units from it.
func TestLieuxThroughUpdate(t *testing.T) {
	d, lieux := directoryWithLieux(t, 50)
	ctx := context.Background()
	l := lieux[len(lieux)/2]
	res, err := d.Search(ctx, ror.Query{Ou: l.Commune, All: true, Dans: ror.DansTout})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	prev := -1.0
	for _, r := range res.All {
		if slices.ContainsFunc(r.UOs, func(u ror.UOResult) bool { return u.Intervient != "" }) {
			continue // a mobile team serving the commune: listed first, its base's other units in their own row
		}
		if seen[r.FINESS] {
			t.Fatalf("%s listed twice", r.FINESS)
		}
		seen[r.FINESS] = true
		if r.DistanceKm != nil {
			if *r.DistanceKm < prev {
				t.Fatalf("%s at %.1f km after %.1f km", r.FINESS, *r.DistanceKm, prev)
			}
			prev = *r.DistanceKm
		}
	}
	// Another EG, far away, with a commune: the lieu moves there.
	var home, far ror.EG
	d.Read(func(r ror.Records) { home, _ = r.EG(l.EG) })
	d.Raw().EachEG(func(eg *ror.EG) bool {
		if eg.Geolocated() && eg.Commune != "" && geo.DistanceKm(eg.Point, home.Point) > 300 {
			far = *eg
			return false
		}
		return true
	})
	moved := l
	moved.Point, moved.Commune, moved.Version = far.Point, far.Commune, 2
	if err := d.Update(ctx, func(r ror.Records) (*ror.Update, error) { return &ror.Update{Lieux: []ror.Lieu{moved}}, nil }); err != nil {
		t.Fatal(err)
	}
	res, err = d.Search(ctx, ror.Query{Ou: far.Commune, All: true, Dans: ror.DansTout})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range res.All {
		if r.FINESS == l.EG {
			found = true
			if r.Lieu == nil || r.Lieu.ID != l.ID || r.DistanceKm == nil || *r.DistanceKm > 15 {
				t.Errorf("the moved lieu's EG: %v km, lieu %+v; want a few km, at %s", r.DistanceKm, r.Lieu, l.ID)
			}
		}
	}
	if !found {
		t.Errorf("from %s, the EG %s of the moved lieu is not among the %d nearest", far.Commune, l.EG, len(res.All))
	}
	near, _, err := d.Nearby(ctx, ror.NearQuery{Ou: far.Commune, Limit: ror.NearMaxLimit}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	units := 0
	for _, h := range near {
		if h.EG.FINESS == l.EG {
			units++
			if h.Lieu == nil || h.Lieu.ID != l.ID || h.DistanceKm > 15 {
				t.Errorf("proximity: unit %s at %.1f km, lieu %+v; want at %s", h.UO.ID, h.DistanceKm, h.Lieu, l.ID)
			}
		}
	}
	if units == 0 {
		t.Errorf("proximity from %s lists no unit of %s", far.Commune, l.EG)
	}
}

func BenchmarkDirectorySearchWithLieux(b *testing.B) {
	d, _ := directoryWithLieux(b, 20) // 5 % of the EGs
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    ror.Query
	}{
		{"selective", ror.Query{Ou: "75110", Dans: ror.DansTypesUO, Codes: []string{"20"}}},
		{"broad", ror.Query{Ou: "75110", Dans: ror.DansTout, Text: "centre"}},
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
