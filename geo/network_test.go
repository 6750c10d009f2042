package geo_test

import (
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

// TestNoRoadAcrossTheSea checks that places on different road networks get
// no driving time, and places on one network do.
func TestNoRoadAcrossTheSea(t *testing.T) {
	g := gazetteer(t)
	r := geo.NewRouterFor(allCom)
	com := func(insee string) ror.Commune {
		c, ok := g.Commune(insee)
		if !ok {
			t.Fatalf("no commune %s", insee)
		}
		return c
	}
	tests := []struct {
		from, to string
		road     bool
		why      string
	}{
		{"2A004", "06088", false, "Ajaccio → Nice: Corse is an island"},
		{"2A004", "2B033", true, "Ajaccio → Bastia: one island"},
		{"97101", "29019", false, "Les Abymes → Brest: Guadeloupe is overseas"},
		{"97101", "97105", true, "Les Abymes → Basse-Terre: Grande-Terre and Basse-Terre have bridges"},
		{"97120", "97112", false, "Pointe-à-Pitre → Grand-Bourg: Marie-Galante is an island of its own"},
		{"97411", "97416", true, "Saint-Denis → Saint-Pierre (974): one island"},
		{"97411", "97209", false, "Saint-Denis (974) → Fort-de-France"},
		{"97302", "97311", true, "Cayenne → Saint-Laurent-du-Maroni: the coastal road"},
		{"97302", "97353", false, "Cayenne → Maripasoula: by river or air only"},
		{"97611", "97608", false, "Mamoudzou → Dzaoudzi: Petite-Terre by barge"},
		{"56152", "56241", true, "Le Palais → Sauzon: both on Belle-Île"},
		{"56152", "56186", false, "Le Palais → Quiberon: by ferry"},
		{"85113", "85012", false, "L'Île-d'Yeu → La Barre-de-Monts (Fromentine)"},
		{"83069", "83137", true, "Hyères (Porquerolles' commune) → Toulon: Hyères is on the mainland"},
		{"17369", "17300", true, "Saint-Martin-de-Ré → La Rochelle: Ré has a bridge"},
	}
	for _, tt := range tests {
		t.Run(tt.why, func(t *testing.T) {
			a, b := com(tt.from), com(tt.to)
			tr := r.Trip(a, b.Point, b.INSEE, geo.DistanceKm(a.Point, b.Point))
			if tr.Reachable != tt.road || (tr.Duration > 0) != tt.road {
				t.Errorf("got reachable %v, %s; want reachable %v", tr.Reachable, tr.Duration, tt.road)
			}
			// the search compares the networks of its rows with the origin's
			if got := r.Network(a.INSEE, a.Point) == r.Network(b.INSEE, b.Point); got != tt.road {
				t.Errorf("networks %q and %q: equal %v, want %v", r.Network(a.INSEE, a.Point), r.Network(b.INSEE, b.Point), got, tt.road)
			}
			if got := r.Network("", a.Point) == r.Network(b.INSEE, b.Point); got != tt.road {
				t.Errorf("from %s's centroid as a position: networks equal %v, want %v", a.Name, got, tt.road)
			}
			// a position typed as "lat,lon" is on its nearest commune's network
			if got := r.Reachable(ror.Commune{Name: "position", Point: a.Point}, b.Point, ""); got != tt.road {
				t.Errorf("from %s's centroid as a position: got reachable %v, want %v", a.Name, got, tt.road)
			}
		})
	}
}

// TestNetworksListRealCommunes checks networks.json against the COG: every
// commune it lists exists under that name.
func TestNetworksListRealCommunes(t *testing.T) {
	g := gazetteer(t)
	for _, c := range geo.NetworkCommunes() {
		got, ok := g.Commune(c.INSEE)
		if !ok || got.Name != c.Name {
			t.Errorf("%s: got %q in communes.csv, networks.json says %q", c.INSEE, got.Name, c.Name)
		}
	}
}
