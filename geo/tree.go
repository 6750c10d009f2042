package geo

import (
	"math"
	"sync"

	"github.com/tidwall/rtree"

	"github.com/ror-recherche/ror"
)

// Tree is an R-tree of EG positions, keyed by EG ordinal. It implements
// ror.Locator: Nearest walks it in true great-circle order.
type Tree struct {
	mu  sync.RWMutex
	tr  rtree.RTreeG[uint32]
	pos map[uint32]ror.Point
}

// NewTree indexes points[i] under ordinal i; invalid points (EGs without
// coordinates) are left out.
func NewTree(points []ror.Point) *Tree {
	t := &Tree{pos: make(map[uint32]ror.Point, len(points))}
	for i, p := range points {
		if p.Valid() {
			t.insert(uint32(i), p)
		}
	}
	return t
}

func (t *Tree) insert(ord uint32, p ror.Point) {
	xy := [2]float64{p.Lon, p.Lat}
	t.tr.Insert(xy, xy, ord)
	t.pos[ord] = p
}

// Set places ordinal ord at p (or removes it when p is not valid): an EG
// created or moved after the start.
func (t *Tree) Set(ord uint32, p ror.Point) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if old, ok := t.pos[ord]; ok {
		xy := [2]float64{old.Lon, old.Lat}
		t.tr.Delete(xy, xy, ord)
		delete(t.pos, ord)
	}
	if p.Valid() {
		t.insert(ord, p)
	}
}

// Len is the number of positions in the tree.
func (t *Tree) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.tr.Len()
}

// Nearest calls visit nearest-first from p with each ordinal and its
// great-circle distance in km, until visit returns false.
func (t *Tree) Nearest(p ror.Point, visit func(ord uint32, distKm float64) bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	t.tr.Nearby(
		func(min, max [2]float64, _ uint32, item bool) float64 {
			if item {
				return DistanceKm(p, ror.Point{Lon: min[0], Lat: min[1]})
			}
			return boxLowerBoundKm(p, min, max)
		},
		func(_, _ [2]float64, ord uint32, dist float64) bool {
			return visit(ord, dist)
		},
	)
}

// Within calls visit with every ordinal inside the box, until it returns
// false: the map view's "search in this area".
func (t *Tree) Within(b ror.BBox, visit func(ord uint32) bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	t.tr.Search([2]float64{b.Min.Lon, b.Min.Lat}, [2]float64{b.Max.Lon, b.Max.Lat},
		func(_, _ [2]float64, ord uint32) bool { return visit(ord) })
}

// DistanceKm is the great-circle distance between a and b.
func (t *Tree) DistanceKm(a, b ror.Point) float64 { return DistanceKm(a, b) }

// DistanceWithinKm is the great-circle distance between a and b, or false
// when the latitude gap alone is more than maxKm (every path crosses it):
// a scan for the nearest drops most places without trigonometry.
func (t *Tree) DistanceWithinKm(a, b ror.Point, maxKm float64) (float64, bool) {
	if math.Abs(a.Lat-b.Lat)*kmPerDegree > maxKm {
		return 0, false
	}
	return DistanceKm(a, b), true
}
