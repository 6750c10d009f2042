package data

import "math"

// Lambert 93 (EPSG:2154) on GRS80: the projection of the FINESS
// geolocalisation lines for mainland France. Constants of the IGN
// (NTG_71): n, C, Xs, Ys, λ0 = 3° E.
const (
	l93N  = 0.7256077650532670
	l93C  = 11754255.4260960
	l93Xs = 700000.0
	l93Ys = 12655612.0499
	l93L0 = 3 * math.Pi / 180
	grs80 = 0.0818191910428158 // first eccentricity
)

// Lambert93ToWGS84 converts projected metres to longitude and latitude in
// degrees by the inverse Lambert conformal conic (IGN algorithms ALG0004
// and ALG0001, iterated to 1e-12 rad).
func Lambert93ToWGS84(x, y float64) (lon, lat float64) {
	dx, dy := x-l93Xs, l93Ys-y
	r := math.Hypot(dx, dy)
	gamma := math.Atan(dx / dy)
	lon = l93L0 + gamma/l93N
	iso := -math.Log(r/l93C) / l93N
	phi := 2*math.Atan(math.Exp(iso)) - math.Pi/2
	for i := 0; i < 20; i++ {
		s := grs80 * math.Sin(phi)
		next := 2*math.Atan(math.Pow((1+s)/(1-s), grs80/2)*math.Exp(iso)) - math.Pi/2
		if math.Abs(next-phi) < 1e-12 {
			phi = next
			break
		}
		phi = next
	}
	return lon * 180 / math.Pi, phi * 180 / math.Pi
}
