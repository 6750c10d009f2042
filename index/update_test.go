package index_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/index"
)

// smallFilieres are two filières written for the tests.
var smallFilieres = []ror.Filiere{
	{ID: "urgences", Label: "Urgences", Synonyms: []string{"sau"}, Codes: map[ror.ValueSet][]string{ror.VSTypeUO: {"20", "311"}}},
	{ID: "smr", Label: "Soins médicaux et de réadaptation (SMR)", Synonyms: []string{"ssr"}, Codes: map[ror.ValueSet][]string{ror.VSTypeUO: {"100"}}},
}

// smallCatalog is three établissements and five units over real codes.
func smallCatalog() *ror.Catalog {
	egs := []ror.EG{
		{FINESS: "750000001", Name: "Hôpital Lariboisière", Commune: "75110", Department: "75", Point: ror.Point{Lon: 2.35, Lat: 48.88}},
		{FINESS: "920000002", Name: "Clinique du Parc", Commune: "92012", Department: "92", Point: ror.Point{Lon: 2.24, Lat: 48.83}},
		{FINESS: "930000003", Name: "Centre de réadaptation Les Tilleuls", Commune: "93008", Department: "93"},
	}
	uos := []ror.UO{
		{ID: "750000001-URG", EG: "750000001", TypeUO: "20", ChampActivite: "01", Modes: []string{"01"}, Patientele: ror.Patientele{Adulte: true}, Statut: ror.StatutActif},
		{ID: "750000001-URP", EG: "750000001", TypeUO: "311", ChampActivite: "01", Modes: []string{"01"}, Patientele: ror.Patientele{Enfant: true}, Statut: ror.StatutActif},
		{ID: "750000001-MAT", EG: "750000001", TypeUO: "290", ChampActivite: "01", Patientele: ror.Patientele{Adulte: true}, Statut: ror.StatutActif},
		{ID: "920000002-URG", EG: "920000002", TypeUO: "20", ChampActivite: "01", Modes: []string{"01", "02"}, Patientele: ror.Patientele{Adulte: true}, Statut: ror.StatutFermeTemporair},
		{ID: "930000003-SMR", EG: "930000003", TypeUO: "100", ChampActivite: "02", Patientele: ror.Patientele{Adulte: true}, Statut: ror.StatutActif},
	}
	return ror.NewCatalog(egs, uos)
}

// smallIndex builds the index of smallCatalog.
func smallIndex(t testing.TB, o index.Options) (*index.Index, *ror.Catalog) {
	t.Helper()
	c := smallCatalog()
	o.Filieres, o.Synonyms = smallFilieres, [][]string{{"smr", "ssr"}, {"urgences", "sau"}}
	x, err := index.Build(c, loadNomenclature(t), o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x, c
}

// ids lists the UO ids of a match, sorted.
func ids(t testing.TB, x *index.Index, c *ror.Catalog, q ror.Query) []string {
	t.Helper()
	m, err := x.Match(context.Background(), &q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	m.Units.Each(func(o uint32) bool { out = append(out, c.UOs[o].ID); return true })
	slices.Sort(out)
	return out
}

func TestUpdate(t *testing.T) {
	x, c := smallIndex(t, index.Options{})
	urgences := ror.Query{Dans: ror.DansTypesUO, Codes: []string{"20"}}
	if got := ids(t, x, c, urgences); len(got) != 2 {
		t.Fatalf("before: got %v, want the two emergency units", got)
	}
	// The maternity becomes an emergency unit and the clinic's one closes.
	mat, _ := c.UOOrdinal("750000001-MAT")
	c.UOs[mat].TypeUO = "20"
	clin, _ := c.UOOrdinal("920000002-URG")
	c.UOs[clin].Statut = ror.StatutFerme
	// A new unit opens at the end of the catalog, with a code no unit had.
	eg, _ := c.EGOrdinal("930000003")
	c.EGs[eg].Point = ror.Point{Lon: 2.45, Lat: 48.9} // and its EG is now located
	c.UOs = append(c.UOs, ror.UO{ID: "930000003-URG", EG: "930000003", TypeUO: "20", ChampActivite: "01",
		Equipements: []string{"091"}, Statut: ror.StatutActif})
	c.EGOf = append(c.EGOf, eg)
	c.UOsOf[eg] = append(c.UOsOf[eg], uint32(len(c.UOs)-1))
	// Texts and facet counts searched before are cached: they must follow the update.
	for _, text := range []string{"urgences polyvalentes", "urgences"} {
		ids(t, x, c, ror.Query{Dans: ror.DansTypesUO, Text: text})
	}
	ids(t, x, c, ror.Query{})
	x.Reindex(c, []uint32{mat, clin, uint32(len(c.UOs) - 1)})

	t.Run("a changed type d'UO is found by its new code", func(t *testing.T) {
		got := ids(t, x, c, urgences)
		want := []string{"750000001-MAT", "750000001-URG", "920000002-URG", "930000003-URG"}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("and no longer by its old one", func(t *testing.T) {
		if got := ids(t, x, c, ror.Query{Dans: ror.DansTypesUO, Codes: []string{"290"}}); len(got) != 0 {
			t.Errorf("got %v, want none", got)
		}
	})
	t.Run("a changed statut filters at once", func(t *testing.T) {
		q := urgences
		q.Filters = ror.Filters{ror.FacetStatut: {string(ror.StatutFerme)}}
		if got := ids(t, x, c, q); !slices.Equal(got, []string{"920000002-URG"}) {
			t.Errorf("got %v, want the closed clinic unit", got)
		}
	})
	t.Run("a new unit is in its filière, its EG's name and the text criterion", func(t *testing.T) {
		for _, q := range []ror.Query{
			{Dans: ror.DansFilieres, Codes: []string{"urgences"}},
			{Dans: ror.DansNoms, Codes: []string{"930000003"}},
			{Dans: ror.DansTypesUO, Text: "urgences polyvalentes"},
			{Dans: ror.DansTypesUO, Text: "  Urgences "},
			{Dans: ror.DansEquipements, Codes: []string{"091"}},
		} {
			if got := ids(t, x, c, q); !slices.Contains(got, "930000003-URG") {
				t.Errorf("%+v: got %v, want 930000003-URG among them", q, got)
			}
		}
	})
	t.Run("units of an EG that got a position count as geolocated", func(t *testing.T) {
		q := ror.Query{Dans: ror.DansNoms, Codes: []string{"930000003"}, Filters: ror.Filters{ror.FacetOrigine: {ror.OrigineGeo}}}
		if got := ids(t, x, c, q); len(got) != 2 {
			t.Errorf("got %v, want both units of the EG", got)
		}
	})
	t.Run("facet counts follow", func(t *testing.T) {
		m, err := x.Match(context.Background(), &ror.Query{})
		if err != nil {
			t.Fatal(err)
		}
		for _, fc := range m.Facets {
			for _, v := range fc.Values {
				if fc.Facet == ror.FacetTypeUO && v.Code == "20" && v.Count != 4 {
					t.Errorf("facet type_uo 20 counts %d, want 4", v.Count)
				}
			}
		}
	})
	t.Run("counts follow", func(t *testing.T) {
		if got := x.Count(ror.VSTypeUO, "20"); got != 4 {
			t.Errorf("got %d units of type 20, want 4", got)
		}
		if !x.Has(ror.FacetStatut, string(ror.StatutFerme), clin) {
			t.Error("the closed unit is not filed as closed")
		}
	})
}

// TestUpdateWhileSearching runs updates beside searches that rank their
// results; run with -race.
func TestUpdateWhileSearching(t *testing.T) {
	x, c := smallIndex(t, index.Options{})
	mat, _ := c.UOOrdinal("750000001-MAT")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 200 {
			x.Reindex(c, []uint32{mat}) // the catalog is not changed: only the index is written
		}
	}()
	for range 200 {
		m, err := x.Match(context.Background(), &ror.Query{Text: "urgences", Explain: true})
		if err != nil {
			t.Fatal(err)
		}
		m.Units.Each(func(o uint32) bool { m.Score(o); m.Explain(o); return true })
	}
	wg.Wait()
}

func TestVocabularyOnDisk(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vocab")
	x, c := smallIndex(t, index.Options{Dir: dir, Stamp: "import-1"})
	want := ids(t, x, c, ror.Query{Dans: ror.DansTypesUO, Text: "urgences"})
	x.Close()
	meta := func() int64 {
		fi, err := os.Stat(filepath.Join(dir, "index_meta.json"))
		if err != nil {
			t.Fatal(err)
		}
		return fi.ModTime().UnixNano()
	}
	before := meta()
	t.Run("the same stamp reuses the index and finds the same units", func(t *testing.T) {
		y, c := smallIndex(t, index.Options{Dir: dir, Stamp: "import-1"})
		if got := ids(t, y, c, ror.Query{Dans: ror.DansTypesUO, Text: "urgences"}); !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		y.Close()
		if after := meta(); after != before {
			t.Errorf("index_meta.json rewritten (%d, was %d): the index was rebuilt", after, before)
		}
	})
	t.Run("another stamp rebuilds it", func(t *testing.T) {
		y, c := smallIndex(t, index.Options{Dir: dir, Stamp: "import-2"})
		if got := ids(t, y, c, ror.Query{Dans: ror.DansTypesUO, Text: "urgences"}); !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
		y.Close()
		if meta() == before {
			t.Error("index_meta.json untouched: the index was not rebuilt")
		}
	})
	t.Run("a directory holding other files is never overwritten", func(t *testing.T) {
		other := t.TempDir()
		if err := os.WriteFile(filepath.Join(other, "store.vlog"), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := index.Build(smallCatalog(), loadNomenclature(t), index.Options{Dir: other})
		if err == nil {
			t.Fatal("got no error, want a refusal")
		}
		if _, err := os.Stat(filepath.Join(other, "store.vlog")); err != nil {
			t.Errorf("the other file is gone: %v", err)
		}
	})
}

// FuzzSuggest types anything in "Rechercher dans": never an error, never a
// panic, at most limit suggestions per category, each with a code.
func FuzzSuggest(f *testing.F) {
	for _, s := range []string{"urg", "urgense", "l'hôpital", "obésité", "a", "", "cso", "*", "\"", "\\", "réa ~2", "hôpital de jour", "AND OR NOT", "°#!?"} {
		f.Add(s)
	}
	x, _ := smallIndex(f, index.Options{})
	f.Fuzz(func(t *testing.T, text string) {
		text, err := ror.ParseText("q", text)
		if err != nil {
			return // refused before the index, as the API does
		}
		got, err := x.Suggest(context.Background(), text, ror.DansTout, 2)
		if err != nil {
			t.Fatalf("Suggest(%q): %v", text, err)
		}
		per := map[ror.Dans]int{}
		for _, s := range got {
			if per[s.Dans]++; per[s.Dans] > 2 || s.Code == "" {
				t.Fatalf("Suggest(%q): %+v", text, got)
			}
		}
		if _, err := x.Match(context.Background(), &ror.Query{Dans: ror.DansTout, Text: text}); err != nil {
			t.Fatalf("Match(%q): %v", text, err)
		}
	})
}

// A renamed EG is found by its new name at once, by text and suggestions,
// and no longer by its old one, even when that was searched before.
func TestUpdateRenamedEG(t *testing.T) {
	for _, o := range []index.Options{{}, {Dir: filepath.Join(t.TempDir(), "vocab"), Stamp: "1"}} {
		x, c := smallIndex(t, o)
		old := ror.Query{Dans: ror.DansNoms, Text: "tilleuls"}
		if got := ids(t, x, c, old); len(got) != 1 {
			t.Fatalf("before: got %v, want the unit of the Tilleuls", got)
		}
		eg, _ := c.EGOrdinal("930000003")
		c.EGs[eg].Name = "Clinique Zorglub"
		x.Reindex(c, c.UOsOf[eg])
		if got := ids(t, x, c, ror.Query{Dans: ror.DansNoms, Text: "zorglub"}); len(got) != 1 {
			t.Errorf("dir %q: zorglub: got %v, want the unit", o.Dir, got)
		}
		if got := ids(t, x, c, old); len(got) != 0 {
			t.Errorf("dir %q: tilleuls: got %v, want none", o.Dir, got)
		}
		s, err := x.Suggest(context.Background(), "zorg", ror.DansNoms, 5)
		if err != nil || len(s) != 1 || s[0].Label != "Clinique Zorglub" {
			t.Errorf("dir %q: suggest zorg: got %+v %v, want the new name", o.Dir, s, err)
		}
		if o.Dir != "" {
			x.Close()
			c.EGs[eg].Name = "Centre de réadaptation Les Tilleuls" // as if the rename never reached the store
			y, err := index.Build(c, loadNomenclature(t), index.Options{Dir: o.Dir, Stamp: "1", Filieres: smallFilieres})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(t, y, c, old); len(got) != 1 {
				t.Errorf("restart: tilleuls: got %v, want the unit (the index on disk was rebuilt)", got)
			}
			y.Close()
		}
	}
}
