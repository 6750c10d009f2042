package geo_test

import (
	"math/rand/v2"
	"slices"
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
		tree.Nearest(ror.Nearest{Rank: tree.ByDistance(from), Len: len(pts)}, func(ord uint32, km float64) bool {
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

// The scan of few candidates and the walk of the tree answer the same
// nearest-K list, by distance and by a travel-time-like key (minutes, with a
// bound per box derived from the distance's): N places at most, only those
// Keep takes and within Max, and whether there were more.
func TestScanAndWalkAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	pts := randomPoints(r, 30000)
	tree := geo.NewTree(pts)
	from := ror.Point{Lon: 2.361, Lat: 48.876}
	byKm := tree.ByDistance(from)
	minutes := ror.Rank{
		Of:    func(p ror.Point) float64 { return 3 + byKm.Of(p)/1.2 },
		Bound: func(min, max ror.Point) float64 { return 3 + byKm.Bound(min, max)/1.2 },
	}
	var cands []uint32 // every third place, some twice and out of order
	for i := 0; i < len(pts); i += 3 {
		cands = append(cands, uint32(i))
		if i%7 == 0 {
			cands = append(cands, uint32(i), uint32(len(pts)-1-i))
		}
	}
	isCand := map[uint32]bool{}
	for _, c := range cands {
		isCand[c] = true
	}
	keep := func(ord uint32, _ float64) bool { return ord%5 != 0 }
	for _, c := range []struct {
		name string
		rank ror.Rank
		n    int
		max  float64
	}{
		{"the 200 nearest", byKm, 200, 0},           // more than 200 candidates: cut
		{"within 30 km", byKm, 0, 30},               // every candidate of the circle
		{"the 10 first by minutes", minutes, 10, 0}, // another key, same exactness
		{"the 200 first within 5 km", byKm, 200, 5}, // fewer than N: not cut
		{"the 50 first by minutes within 40", minutes, 50, 40},
	} {
		t.Run(c.name, func(t *testing.T) {
			var want []uint32
			for ord := range isCand {
				k := c.rank.Of(pts[ord])
				if pts[ord].Valid() && keep(ord, k) && (c.max == 0 || k <= c.max) {
					want = append(want, ord)
				}
			}
			sort.Slice(want, func(i, j int) bool {
				ki, kj := c.rank.Of(pts[want[i]]), c.rank.Of(pts[want[j]])
				return ki < kj || ki == kj && want[i] < want[j]
			})
			wantMore := c.n > 0 && len(want) > c.n
			if wantMore {
				want = want[:c.n]
			}
			q := ror.Nearest{Rank: c.rank, N: c.n, Max: c.max, Keep: keep, WantMore: true,
				Each: func(yield func(uint32) bool) {
					for _, o := range cands {
						if !yield(o) {
							return
						}
					}
				},
				Has: func(ord uint32) bool { return isCand[ord] },
			}
			for _, way := range []struct {
				name string
				len  int
			}{{"scan", len(cands)}, {"walk", geo.DirectScanMax + 1}} {
				q.Len = way.len
				var got []uint32
				more := tree.Nearest(q, func(ord uint32, _ float64) bool { got = append(got, ord); return true })
				if more != wantMore {
					t.Errorf("%s: more = %v, want %v", way.name, more, wantMore)
				}
				if len(got) != len(want) {
					t.Fatalf("%s: %d places, want %d", way.name, len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%s: rank %d is %d, want %d", way.name, i, got[i], want[i])
					}
				}
			}
			// Without WantMore, the same list (farther places dropped unchecked).
			q.WantMore = false
			for _, l := range []int{len(cands), geo.DirectScanMax + 1} {
				q.Len = l
				var got []uint32
				tree.Nearest(q, func(ord uint32, _ float64) bool { got = append(got, ord); return true })
				if len(got) != len(want) || len(got) > 0 && got[len(got)-1] != want[len(want)-1] {
					t.Fatalf("Len %d without WantMore: %d places, want %d", l, len(got), len(want))
				}
			}
		})
	}
}

func TestDistanceKm(t *testing.T) {
	paris10, evry := ror.Point{Lon: 2.36111, Lat: 48.87603}, ror.Point{Lon: 2.44008, Lat: 48.62948}
	if d := geo.DistanceKm(paris10, evry); d < 27 || d > 28.5 {
		t.Errorf("Paris 10 – Évry: got %.2f km, want about 27.9", d)
	}
}

// TestCheapBoundNeverExceedsTheDistance checks the cheap bound of the
// nearest-first scans: it is never more than the distance, so a place it
// tells farther than the worst kept really is, and it does tell some.
func TestCheapBoundNeverExceedsTheDistance(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pts := randomPoints(r, 20000)
	tree := geo.NewTree(pts)
	from := ror.Point{Lon: 2.361, Lat: 48.876}
	rank := tree.ByDistance(from)
	dropped := 0
	for _, p := range pts {
		if !p.Valid() {
			continue
		}
		km, cheap := geo.DistanceKm(from, p), rank.Cheap(p)
		if cheap > km {
			t.Fatalf("%v at %.3f km: cheap bound %.3f km", p, km, cheap)
		}
		if cheap > 50 {
			dropped++
		}
	}
	if dropped == 0 {
		t.Error("the bound never tells a place farther than 50 km: it saves nothing")
	}
}

func BenchmarkNearby(b *testing.B) {
	r := rand.New(rand.NewPCG(3, 4))
	tree := geo.NewTree(randomPoints(r, 100_000))
	from := ror.Point{Lon: 2.361, Lat: 48.876}
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		tree.Nearest(ror.Nearest{Rank: tree.ByDistance(from), Len: 100_000}, func(uint32, float64) bool { n++; return n < 200 })
	}
}

// The scan asks Keep for each candidate of a place until one is taken: a
// place whose first candidate is refused is kept for its second.
func TestScanAsksKeepPerCandidate(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	pts := randomPoints(r, 1000)
	tree := geo.NewTree(pts)
	asked := map[uint32]int{}
	var got []uint32
	tree.Nearest(ror.Nearest{
		Rank: tree.ByDistance(ror.Point{Lon: 2.361, Lat: 48.876}), Len: 2000, N: 20,
		Each: func(yield func(uint32) bool) {
			for i := range uint32(len(pts)) {
				for range 2 { // two candidates per place, in a run
					if !yield(i) {
						return
					}
				}
			}
		},
		Keep: func(ord uint32, _ float64) bool { asked[ord]++; return asked[ord] == 2 },
	}, func(ord uint32, _ float64) bool { got = append(got, ord); return true })
	var want []uint32
	tree.Nearest(ror.Nearest{Rank: tree.ByDistance(ror.Point{Lon: 2.361, Lat: 48.876}), Len: len(pts), N: 20},
		func(ord uint32, _ float64) bool { want = append(want, ord); return true })
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want the 20 nearest %v", got, want)
	}
}

// Within is exactly the places at most km away, measured one by one:
// mainland France and the DOM, Wallis-et-Futuna across the antimeridian,
// and points near a pole.
func TestWithinIsTheRadius(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pts := randomPoints(r, 20000)
	for range 300 { // Wallis-et-Futuna, both sides of ±180°
		pts = append(pts, ror.Point{Lon: 179.5 + r.Float64(), Lat: -13.5 + r.Float64()})
		if p := &pts[len(pts)-1]; p.Lon > 180 {
			p.Lon -= 360
		}
	}
	for range 100 {
		pts = append(pts, ror.Point{Lon: -180 + 360*r.Float64(), Lat: 88 + 2*r.Float64()})
	}
	tr := geo.NewTree(pts)
	centers := []ror.Point{{Lon: 2.35, Lat: 48.85}, {Lon: 55.45, Lat: -21.1}, {Lon: 179.99, Lat: -13.0}, {Lon: -179.9, Lat: -13.2}, {Lon: 10, Lat: 89.5}}
	for range 40 {
		centers = append(centers, pts[r.IntN(len(pts))])
	}
	for _, c := range centers {
		if !c.Valid() {
			continue
		}
		for _, km := range []float64{0.5, 5, 30, 50, 200} {
			var got, want []uint32
			tr.Within(c, km, func(ord uint32) { got = append(got, ord) })
			for i, p := range pts {
				if p.Valid() && geo.DistanceKm(c, p) <= km {
					want = append(want, uint32(i))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Fatalf("Within(%v, %g km): %d places, want %d", c, km, len(got), len(want))
			}
		}
	}
}
