package data_test

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/internal/sources"
)

// Points the projections define: the false origins and central meridians.
func TestProjectionKnownPoints(t *testing.T) {
	for _, c := range []struct {
		name     string
		dep      string
		x, y     float64
		lon, lat float64
	}{
		{"Lambert 93 origin", "75", 700000, 6600000, 3, 46.5},
		{"UTM 20N central meridian on the equator", "971", 500000, 0, -63, 0},
		{"UTM 22N central meridian on the equator", "973", 500000, 0, -51, 0},
		{"UTM 40S central meridian on the equator", "974", 500000, 10000000, 57, 0},
		{"UTM 38S central meridian on the equator", "976", 500000, 10000000, 45, 0},
	} {
		lon, lat, ok := data.FINESSToWGS84(c.dep, c.x, c.y)
		if !ok || math.Abs(lon-c.lon) > 1e-7 || math.Abs(lat-c.lat) > 1e-7 {
			t.Errorf("%s: got %.9f, %.9f, want %v, %v", c.name, lon, lat, c.lon, c.lat)
		}
	}
}

// The reader of the official extract places every territory where its
// commune is (within 25 km of the La Poste points of communes.csv, an
// independent source; a wrong projection lands hundreds of km away):
// a fixture of the official layout with one établissement per projection.
func TestEtalabExtractPlacesOverseas(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "etalab-cs1100507-stock-fixture.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	egs, err := data.ReadFINESS(f, "etalab-cs1100507-stock-fixture.csv")
	if err != nil {
		t.Fatal(err)
	}
	cf, err := os.Open(filepath.Join(sources.Dir(t), "communes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer cf.Close()
	communes, err := data.ReadCommunes(cf)
	if err != nil {
		t.Fatal(err)
	}
	at := map[string]ror.Point{}
	for _, c := range communes {
		at[c.INSEE] = c.Point
	}
	want := map[string]string{"750000341": "75105", "2A0000154": "2A004", "970100442": "97101", "970211207": "97209",
		"970302022": "97302", "970408589": "97411", "970600010": "97611"}
	if len(egs) != len(want) {
		t.Fatalf("got %d établissements, want %d", len(egs), len(want))
	}
	for _, eg := range egs {
		if eg.Commune != want[eg.FINESS] {
			t.Errorf("%s: commune %s, want %s", eg.FINESS, eg.Commune, want[eg.FINESS])
		}
		c := at[eg.Commune]
		if d := km(eg.Point, c); !eg.Point.Valid() || d > 25 {
			t.Errorf("%s (%s, %s): placed at %v, %.0f km from its commune", eg.Name, eg.Commune, eg.Department, eg.Point, d)
		}
		if eg.UpdatedAt.Format("2006-01-02") != "2020-06-30" {
			t.Errorf("%s: updated %v, want datemaj 2020-06-30", eg.FINESS, eg.UpdatedAt)
		}
	}
}

// An official extract in a sources directory is the national base.
func TestEtalabExtractIsTheBase(t *testing.T) {
	src := sources.Dir(t)
	dir := t.TempDir()
	for _, f := range []string{"communes.csv", "departements.geojson", "nomenclatures", data.FileFINESS2021} {
		if err := os.Symlink(filepath.Join(src, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	abs, _ := filepath.Abs(filepath.Join("testdata", "etalab-cs1100507-stock-fixture.csv"))
	if err := os.Symlink(abs, filepath.Join(dir, "etalab-cs1100507-stock-fixture.csv")); err != nil {
		t.Fatal(err)
	}
	o, rep, err := data.ImportWith(context.Background(), dir, now, data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.EGs) != 7 || rep.Sources[0].File != "etalab-cs1100507-stock-fixture.csv" {
		t.Errorf("got %d EGs, base %s; want the extract's 7 as the base", len(o.EGs), rep.Sources[0].File)
	}
}

func km(a, b ror.Point) float64 {
	dx := (a.Lon - b.Lon) * 111.32 * math.Cos(a.Lat*math.Pi/180)
	dy := (a.Lat - b.Lat) * 110.57
	return math.Hypot(dx, dy)
}
