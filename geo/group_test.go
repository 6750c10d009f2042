package geo_test

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

// TestNearestGroupsPlaces: places added after the start (lieux de
// réalisation) stand for a group (their EG); walk and scan both give each
// group once, at its nearest place that Keep takes, in the brute force's
// order, and the N first groups whatever the number of places.
func TestNearestGroupsPlaces(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	const egs = 3000
	pts := randomPoints(r, egs)
	tree := geo.NewTree(slices.Clone(pts))
	group := make([]uint32, egs)
	for i := range group {
		group[i] = uint32(i)
	}
	// 600 lieux on 300 EGs, some far from their EG.
	for j := 0; j < 600; j++ {
		g := uint32(r.IntN(300) * 10)
		p := ror.Point{Lon: -4.8 + r.Float64()*13, Lat: 42.3 + r.Float64()*8.8}
		tree.SetPlace(uint32(len(group)), p)
		pts = append(pts, p)
		group = append(group, g)
	}
	// A moved place is ranked at its new position.
	moved := ror.Point{Lon: 2.36, Lat: 48.87}
	tree.SetPlace(uint32(egs+5), moved)
	pts[egs+5] = moved
	keep := func(ord uint32, _ float64) bool { return ord%7 != 3 } // Keep refuses some places
	for _, from := range []ror.Point{{Lon: 2.361, Lat: 48.876}, {Lon: -1.55, Lat: 47.21}, {Lon: 55.45, Lat: -20.88}} {
		type hit struct {
			place uint32
			km    float64
		}
		best := map[uint32]hit{}
		for i, p := range pts {
			if !p.Valid() || !keep(uint32(i), 0) {
				continue
			}
			km := geo.DistanceKm(from, p)
			if b, ok := best[group[i]]; !ok || km < b.km || km == b.km && uint32(i) < b.place {
				best[group[i]] = hit{uint32(i), km}
			}
		}
		var want []hit
		for _, h := range best {
			want = append(want, h)
		}
		slices.SortFunc(want, func(a, b hit) int { return cmp.Or(cmp.Compare(a.km, b.km), cmp.Compare(a.place, b.place)) })
		for _, n := range []int{1, 50, 200} {
			for _, scan := range []bool{false, true} {
				q := ror.Nearest{Rank: tree.ByDistance(from), N: n, WantMore: true, Keep: keep,
					Group: func(p uint32) uint32 { return group[p] }}
				if scan {
					q.Len = len(pts)
					q.Each = func(yield func(uint32) bool) {
						for i := range pts { // every place, EGs and lieux
							if !yield(uint32(i)) {
								return
							}
						}
					}
				}
				var got []hit
				more := tree.Nearest(q, func(ord uint32, km float64) bool {
					got = append(got, hit{ord, km})
					return true
				})
				if len(got) != n || !more {
					t.Fatalf("from %v, N %d, scan %v: %d groups, more %v; want %d and more", from, n, scan, len(got), more, n)
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("from %v, N %d, scan %v: rank %d got place %d (group %d) at %.3f km, want %d (group %d) at %.3f km",
							from, n, scan, i, got[i].place, group[got[i].place], got[i].km, want[i].place, group[want[i].place], want[i].km)
					}
				}
			}
		}
	}
}
