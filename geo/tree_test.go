package geo_test

import (
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

// randomPoints spreads n points over mainland France and the DOM.
func randomPoints(r *rand.Rand, n int) []ror.Point {
	pts := make([]ror.Point, n)
	for i := range pts {
		switch {
		case i%50 == 0: // La Réunion
			pts[i] = ror.Point{Lon: 55.2 + r.Float64()*0.6, Lat: -21.4 + r.Float64()*0.5}
		case i%70 == 0: // Guadeloupe
			pts[i] = ror.Point{Lon: -61.8 + r.Float64()*0.6, Lat: 15.9 + r.Float64()*0.6}
		case i%97 == 0: // no position
		default:
			pts[i] = ror.Point{Lon: -4.8 + r.Float64()*13, Lat: 42.3 + r.Float64()*8.8}
		}
	}
	return pts
}

func TestNearestIsGreatCircleOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pts := randomPoints(r, 5000)
	tree := geo.NewTree(pts)
	for _, from := range []ror.Point{{Lon: 2.361, Lat: 48.876}, {Lon: 55.45, Lat: -20.88}, {Lon: -1.55, Lat: 47.21}, {Lon: 7.75, Lat: 48.58}} {
		var want []int
		for i, p := range pts {
			if p.Valid() {
				want = append(want, i)
			}
		}
		sort.SliceStable(want, func(a, b int) bool { return geo.DistanceKm(from, pts[want[a]]) < geo.DistanceKm(from, pts[want[b]]) })
		var got []int
		prev := -1.0
		tree.Nearest(from, func(ord uint32, km float64) bool {
			if km < prev {
				t.Fatalf("from %v: %.3f km after %.3f km", from, km, prev)
			}
			prev = km
			got = append(got, int(ord))
			return true
		})
		if len(got) != len(want) {
			t.Fatalf("visited %d points, want %d (the ones with a position)", len(got), len(want))
		}
		for i := range got {
			if geo.DistanceKm(from, pts[got[i]]) != geo.DistanceKm(from, pts[want[i]]) {
				t.Fatalf("from %v: rank %d got %d, want %d", from, i, got[i], want[i])
			}
		}
	}
}

func TestDistanceKm(t *testing.T) {
	paris10, evry := ror.Point{Lon: 2.36111, Lat: 48.87603}, ror.Point{Lon: 2.44008, Lat: 48.62948}
	if d := geo.DistanceKm(paris10, evry); d < 27 || d > 28.5 {
		t.Errorf("Paris 10 – Évry: got %.2f km, want about 27.9", d)
	}
}

// TestDistanceWithinNeverDropsANearerPlace checks the cheap bound of the
// nearest-first scans: a place within the limit is always measured, and
// measured right; one told farther really is.
func TestDistanceWithinNeverDropsANearerPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pts := randomPoints(r, 20000)
	tree := geo.NewTree(pts)
	from := ror.Point{Lon: 2.361, Lat: 48.876}
	dropped := 0
	for _, limit := range []float64{1, 10, 50, 300} {
		for _, p := range pts {
			if !p.Valid() {
				continue
			}
			want := geo.DistanceKm(from, p)
			got, ok := tree.DistanceWithinKm(from, p, limit)
			switch {
			case !ok && want <= limit:
				t.Fatalf("%v at %.3f km told farther than %g km", p, want, limit)
			case ok && got != want:
				t.Fatalf("%v: got %.3f km, want %.3f", p, got, want)
			case !ok:
				dropped++
			}
		}
	}
	if dropped == 0 {
		t.Error("the bound never dropped a place: it saves nothing")
	}
}

func BenchmarkNearby(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	tree := geo.NewTree(randomPoints(r, 100_000))
	from := ror.Point{Lon: 2.361, Lat: 48.876}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		tree.Nearest(from, func(uint32, float64) bool { n++; return n < 200 })
	}
}
