package search

import (
	"math"
	"slices"
	"sort"

	"github.com/ror-recherche/ror"
)

// nearHit is a unit of the proximity lookup with its trip.
type nearHit struct {
	eg, uo  uint32
	km      float64
	to      ror.Point
	toINSEE string
	trip    ror.Trip
	minutes int // as shown, rounded up; unused when not reachable
}

// before is the proximity order: reached by road first, by minutes as
// shown, then by distance; across the sea by distance.
func (a *nearHit) before(b *nearHit) bool {
	if a.trip.Reachable != b.trip.Reachable {
		return a.trip.Reachable
	}
	if a.trip.Reachable && a.minutes != b.minutes {
		return a.minutes < b.minutes
	}
	return a.km < b.km
}

// nearestByTime keeps the limit first units in the proximity order, and
// says how far a unit may be and still enter (reachKm).
type nearestByTime struct {
	limit  int
	router ror.Router
	from   ror.Commune
	hits   []nearHit // sorted
	grid   []float64 // km, geometric: 0.25·1.1^i up to 10,000 km
	bound  []float64 // the Router's lower bound at each grid km, minutes
}

func (n *nearestByTime) add(eg, uo uint32, km float64, toINSEE string, to ror.Point) {
	h := nearHit{eg: eg, uo: uo, km: km, to: to, toINSEE: toINSEE, trip: n.router.Trip(n.from, to, toINSEE, km)}
	h.minutes = int(math.Ceil(h.trip.Duration.Minutes()))
	if len(n.hits) == n.limit && !h.before(&n.hits[len(n.hits)-1]) {
		return
	}
	i, _ := slices.BinarySearchFunc(n.hits, &h, func(x nearHit, y *nearHit) int {
		if y.before(&x) {
			return 1
		}
		return -1
	})
	if len(n.hits) == n.limit {
		n.hits = n.hits[:len(n.hits)-1]
	}
	n.hits = slices.Insert(n.hits, i, h)
}

// reachKm is the distance past which no unit comes before the worst kept:
// the Router's lower bound there exceeds its minutes. Infinite until limit
// units are kept, or while the worst is across the sea (a unit reached by
// road comes before it, however far).
func (n *nearestByTime) reachKm() float64 {
	if len(n.hits) < n.limit || n.limit == 0 || !n.hits[len(n.hits)-1].trip.Reachable {
		return math.Inf(1)
	}
	w := &n.hits[len(n.hits)-1]
	if n.grid == nil {
		// The bound tabled once per lookup: a distance past the first grid
		// point whose bound exceeds the worst is too far (a few units
		// short of it are measured for nothing, none is missed).
		for km := 0.25; km < 10000; km *= 1.1 {
			n.grid = append(n.grid, km)
			n.bound = append(n.bound, n.router.LowerBound(n.from, km).Minutes())
		}
	}
	i := sort.SearchFloat64s(n.bound, math.Nextafter(float64(w.minutes), math.Inf(1)))
	if i == len(n.grid) {
		return math.Inf(1)
	}
	return max(n.grid[i], w.km)
}

// retime times the kept units again in one request when the router is a
// TripTable (a routing engine), and orders them by those times: the
// candidates are the nearest by the model, ranked by the engine.
func (n *nearestByTime) retime() {
	tt, ok := n.router.(ror.TripTable)
	if !ok || len(n.hits) == 0 {
		return
	}
	places := make([]ror.Place, len(n.hits))
	for i, h := range n.hits {
		places[i] = ror.Place{Point: h.to, INSEE: h.toINSEE, DistanceKm: h.km}
	}
	for i, t := range tt.Trips(n.from, places) {
		n.hits[i].trip, n.hits[i].minutes = t, int(math.Ceil(t.Duration.Minutes()))
	}
	slices.SortStableFunc(n.hits, func(a, b nearHit) int {
		switch {
		case a.before(&b):
			return -1
		case b.before(&a):
			return 1
		}
		return 0
	})
}
