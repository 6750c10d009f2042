package ror

import "math"

// Point is a WGS84 position in GeoJSON order: longitude then latitude, in
// decimal degrees.
type Point struct {
	Lon float64 `json:"lon"`
	Lat float64 `json:"lat"`
}

// Valid reports whether p is a finite position on Earth. The zero Point (in
// the Gulf of Guinea) is treated as "no position": nothing French is there.
func (p Point) Valid() bool {
	if math.IsNaN(p.Lon) || math.IsNaN(p.Lat) || math.IsInf(p.Lon, 0) || math.IsInf(p.Lat, 0) {
		return false
	}
	if p.Lon == 0 && p.Lat == 0 {
		return false
	}
	return p.Lon >= -180 && p.Lon <= 180 && p.Lat >= -90 && p.Lat <= 90
}
