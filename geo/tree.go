package geo

import (
	"math"
	"sync"

	"github.com/tidwall/rtree"

	"github.com/ror-recherche/ror"
)

// Tree is an R-tree of EG positions, keyed by EG ordinal, and the one
// nearest-K search of the project (ror.Locator). Its places are the EGs'
// positions (from FINESS, a dossier never moves them) and, after them, the
// lieux de réalisation that dossiers declare (SetPlace).
type Tree struct {
	tr    rtree.RTreeG[uint32]
	pts   []ror.Point // by ordinal: the positions, dense for the scans
	marks sync.Pool   // *marks, for the scans
}

// NewTree indexes points[i] under ordinal i; invalid points (EGs without
// coordinates) are left out. The tree keeps points: the caller must not
// change it.
func NewTree(points []ror.Point) *Tree {
	t := &Tree{pts: points}
	for i, p := range points {
		if p.Valid() {
			xy := [2]float64{p.Lon, p.Lat}
			t.tr.Insert(xy, xy, uint32(i))
		}
	}
	return t
}

// SetPlace implements ror.Locator: ord == len(positions) appends a place,
// a smaller ord moves one. The caller excludes concurrent searches.
func (t *Tree) SetPlace(ord uint32, p ror.Point) {
	switch {
	case int(ord) == len(t.pts):
		t.pts = append(t.pts, p)
	case int(ord) < len(t.pts):
		if old := t.pts[ord]; old.Valid() {
			xy := [2]float64{old.Lon, old.Lat}
			t.tr.Delete(xy, xy, ord)
		}
		t.pts[ord] = p
	default:
		panic("geo: SetPlace past the end of the places")
	}
	if p.Valid() {
		xy := [2]float64{p.Lon, p.Lat}
		t.tr.Insert(xy, xy, ord)
	}
}

// Within implements ror.Locator: the R-tree's boxes under the circle's
// bounding box, each place then measured. The box's half-width in longitude
// is taken at the latitude farthest from the equator, 1 % wider (the arc's
// asin beyond its small-angle value); near a pole or across the
// antimeridian the whole band of latitudes is searched.
func (t *Tree) Within(c ror.Point, km float64, visit func(ord uint32)) {
	if !c.Valid() || km <= 0 {
		return
	}
	dLat := km / kmPerDegree
	dLon := 360.0
	if edge := math.Abs(c.Lat) + dLat; edge < 89 {
		dLon = 1.01 * dLat / math.Cos(edge*math.Pi/180)
	}
	lo, hi := [2]float64{c.Lon - dLon, c.Lat - dLat}, [2]float64{c.Lon + dLon, c.Lat + dLat}
	if lo[0] < -180 || hi[0] > 180 {
		lo[0], hi[0] = -180, 180
	}
	t.tr.Search(lo, hi, func(p, _ [2]float64, ord uint32) bool {
		if DistanceKm(c, ror.Point{Lon: p[0], Lat: p[1]}) <= km {
			visit(ord)
		}
		return true
	})
}

// Len is the number of positions in the tree.
func (t *Tree) Len() int { return t.tr.Len() }

// Positions returns the positions by ordinal (shared: read only).
func (t *Tree) Positions() []ror.Point { return t.pts }

// DistanceKm is the great-circle distance between a and b.
func (t *Tree) DistanceKm(a, b ror.Point) float64 { return DistanceKm(a, b) }

// ByDistance is the great-circle order from p: the key is in km, boxes are
// bounded by boxLowerBoundKm and a place is told farther by its latitude
// gap alone (every path crosses it) before any trigonometry.
func (t *Tree) ByDistance(p ror.Point) ror.Rank {
	return ror.Rank{
		Of: func(q ror.Point) float64 { return DistanceKm(p, q) },
		Bound: func(min, max ror.Point) float64 {
			return boxLowerBoundKm(p, [2]float64{min.Lon, min.Lat}, [2]float64{max.Lon, max.Lat})
		},
		Cheap: func(q ror.Point) float64 { return math.Abs(p.Lat-q.Lat) * kmPerDegree },
	}
}
