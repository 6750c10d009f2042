package synth_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/data/synth"
	"github.com/ror-recherche/ror/internal/sources"
)

// generated writes a small national set beside links to the real
// reference files, as `ror gen` does with copies.
func generated(t *testing.T, seed uint64) string {
	t.Helper()
	src := sources.Dir(t)
	out := t.TempDir()
	for _, f := range []string{"communes.csv", "departements.geojson", "nomenclatures"} {
		if err := os.Symlink(filepath.Join(src, f), filepath.Join(out, f)); err != nil {
			t.Fatal(err)
		}
	}
	f, _ := os.Open(filepath.Join(src, "communes.csv"))
	defer f.Close()
	communes, err := data.ReadCommunes(f)
	if err != nil {
		t.Fatal(err)
	}
	nom, err := data.LoadNomenclature(filepath.Join(src, "nomenclatures"))
	if err != nil {
		t.Fatal(err)
	}
	if err := synth.Generate(out, communes, nom, synth.Options{EGs: 2000, Seed: seed}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGeneratedSetImports(t *testing.T) {
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	o, err := data.Import(context.Background(), generated(t, 1), now)
	if err != nil {
		t.Fatalf("the importer refuses the generated set: %v", err)
	}
	if len(o.EGs) != 2000 {
		t.Errorf("got %d EGs, want 2000", len(o.EGs))
	}
	if len(o.UOs) < 8000 {
		t.Errorf("got %d UOs, want about five per EG", len(o.UOs))
	}
	geo := 0
	types := map[string]int{}
	for _, eg := range o.EGs {
		if eg.Geolocated() {
			geo++
		}
	}
	for _, u := range o.UOs {
		types[u.TypeUO]++
	}
	if share := float64(len(o.EGs)-geo) / float64(len(o.EGs)); share < 0.01 || share > 0.06 {
		t.Errorf("%.1f %% of EGs without coordinates, want a few", 100*share)
	}
	if len(types) < 100 {
		t.Errorf("only %d types d'UO drawn: want a long tail of rare codes", len(types))
	}
	t.Run("same seed, same set", func(t *testing.T) {
		again, err := data.Import(context.Background(), generated(t, 1), now)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again.UOs, o.UOs) {
			t.Error("two runs with seed 1 differ")
		}
	})
}
