package geo

import (
	"math"

	"github.com/ror-recherche/ror"
)

// densityRadiusKm is the radius of the population density kernel: a
// commune's own area is not in the sources (communes.csv has population and
// centroid only), so density is the population of the communes whose
// centroid lies within this radius, weighted 1 − (r/R)², over the kernel's
// area πR²/2. 6 km spans a small town and its outskirts; Paris 10 gets about
// 20,000 inhabitants/km², a Lozère village under 10.
const densityRadiusKm = 6.0

// cellDeg is the side of a grid cell of the commune index, in degrees: at
// least densityRadiusKm in latitude and in longitude up to 51°N.
const cellDeg = 0.1

// places indexes commune centroids on a grid: the commune nearest a point
// (its département and road network) and the population density around it.
type places struct {
	communes []ror.Commune
	byINSEE  map[string]int
	grid     map[[2]int32][]int32
	rho      []float64 // density at each commune's centroid
}

// cities are counted through their arrondissements (rows of their own).
var plmCities = map[string]bool{"75056": true, "69123": true, "13055": true}

func newPlaces(communes []ror.Commune) *places {
	p := &places{byINSEE: make(map[string]int, len(communes)), grid: map[[2]int32][]int32{}}
	for _, c := range communes {
		if !c.Point.Valid() {
			continue
		}
		i := len(p.communes)
		p.byINSEE[c.INSEE] = i
		if plmCities[c.INSEE] {
			// known by its code (an EG filed under the city), never
			// counted nor found as the nearest: its arrondissements are
			c.Population = 0
			p.communes = append(p.communes, c)
			continue
		}
		p.communes = append(p.communes, c)
		k := cellOf(c.Point)
		p.grid[k] = append(p.grid[k], int32(i))
	}
	p.rho = make([]float64, len(p.communes))
	for i, c := range p.communes {
		p.rho[i] = p.density(c.Point)
	}
	return p
}

func cellOf(pt ror.Point) [2]int32 {
	return [2]int32{int32(math.Floor(pt.Lon / cellDeg)), int32(math.Floor(pt.Lat / cellDeg))}
}

// around calls fn with the communes of the cells within ring cells of pt's.
func (p *places) around(pt ror.Point, ring int32, fn func(i int32)) {
	k := cellOf(pt)
	for dx := -ring; dx <= ring; dx++ {
		for dy := -ring; dy <= ring; dy++ {
			for _, i := range p.grid[[2]int32{k[0] + dx, k[1] + dy}] {
				fn(i)
			}
		}
	}
}

// nearest returns the commune whose centroid is nearest pt, looking up to
// a few cells away (about 50 km); false when there is none.
func (p *places) nearest(pt ror.Point) (ror.Commune, bool) {
	// Equirectangular squared distance: ranks the few neighbours alike
	// at a fraction of haversine's cost.
	best, bestD := int32(-1), math.Inf(1)
	k := math.Cos(pt.Lat * math.Pi / 180)
	for ring := int32(1); ring <= 5 && best < 0; ring += 2 {
		p.around(pt, ring, func(i int32) {
			c := p.communes[i].Point
			dx, dy := (c.Lon-pt.Lon)*k, c.Lat-pt.Lat
			if d := dx*dx + dy*dy; d < bestD {
				best, bestD = i, d
			}
		})
	}
	if best < 0 {
		return ror.Commune{}, false
	}
	return p.communes[best], true
}

// density is the population density around pt, inhabitants per km².
func (p *places) density(pt ror.Point) float64 {
	sum := 0.0
	p.around(pt, 1, func(i int32) {
		c := &p.communes[i]
		if math.Abs(c.Point.Lat-pt.Lat)*kmPerDegree > densityRadiusKm {
			return
		}
		if r := DistanceKm(pt, c.Point) / densityRadiusKm; r < 1 {
			sum += float64(c.Population) * (1 - r*r)
		}
	})
	return sum / (math.Pi * densityRadiusKm * densityRadiusKm / 2)
}
