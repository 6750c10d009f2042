package geo

import (
	"math"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"

	"github.com/ror-recherche/ror"
)

// earthRadiusKm is the mean Earth radius (IUGG), the R of the haversine
// formula.
const earthRadiusKm = 6371.0088

// kmPerDegree is the length of a degree of a great circle: of latitude
// along a meridian.
const kmPerDegree = earthRadiusKm * math.Pi / 180

// DistanceKm is the great-circle (haversine) distance between a and b.
func DistanceKm(a, b ror.Point) float64 {
	// orb's haversine uses its own radius (6378.1 km); scale to the mean one.
	return orbgeo.DistanceHaversine(orb.Point{a.Lon, a.Lat}, orb.Point{b.Lon, b.Lat}) / 1000 * earthRadiusKm / (orb.EarthRadius / 1000)
}

// boxLowerBoundKm is a lower bound of the great-circle distance from p to
// any point of the box [min, max] (lon, lat degrees): the larger of the
// latitude gap (every path crosses it) and, when p is east or west of the
// box, the cross-track distance to the nearer edge meridian's great circle.
// A lower bound keeps the R-tree's nearest-first walk exact.
func boxLowerBoundKm(p ror.Point, min, max [2]float64) float64 {
	latGap := 0.0
	if p.Lat < min[1] {
		latGap = min[1] - p.Lat
	} else if p.Lat > max[1] {
		latGap = p.Lat - max[1]
	}
	bound := latGap * math.Pi / 180 * earthRadiusKm
	var dLon float64
	switch {
	case p.Lon < min[0]:
		dLon = min[0] - p.Lon
	case p.Lon > max[0]:
		dLon = p.Lon - max[0]
	default:
		return bound
	}
	dLon = math.Min(dLon, 90) * math.Pi / 180
	cross := earthRadiusKm * math.Asin(math.Min(1, math.Cos(p.Lat*math.Pi/180)*math.Sin(dLon)))
	return math.Max(bound, cross)
}
