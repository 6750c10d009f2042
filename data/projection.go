package data

import (
	"strings"

	"github.com/wroge/wgs84"
)

// FINESS stores each établissement's position (geolocalisation lines) in
// the legal projection of its territory: Lambert 93 (RGF93, EPSG:2154) for
// mainland France and Corsica, UTM elsewhere. The overseas datums (RGAF09,
// RGFG95, RGR92, RGM04, RGSPM06) are ITRF realisations that agree with
// WGS84 to a few centimetres, so the UTM zones on WGS84 place them exactly
// enough. The projections are github.com/wroge/wgs84's (pure Go).
var (
	lambert93 = wgs84.From(wgs84.EPSG().Code(2154))
	utm       = map[string]wgs84.Func{
		"971": wgs84.From(wgs84.UTM(20, true)),  // Guadeloupe, RGAF09 / UTM 20N (EPSG:5490)
		"972": wgs84.From(wgs84.UTM(20, true)),  // Martinique, RGAF09 / UTM 20N
		"973": wgs84.From(wgs84.UTM(22, true)),  // Guyane, RGFG95 / UTM 22N (EPSG:2972)
		"974": wgs84.From(wgs84.UTM(40, false)), // La Réunion, RGR92 / UTM 40S (EPSG:2975)
		"975": wgs84.From(wgs84.UTM(21, true)),  // Saint-Pierre-et-Miquelon, RGSPM06 / UTM 21N (EPSG:4467)
		"976": wgs84.From(wgs84.UTM(38, false)), // Mayotte, RGM04 / UTM 38S (EPSG:4471)
		"977": wgs84.From(wgs84.UTM(20, true)),  // Saint-Barthélemy
		"978": wgs84.From(wgs84.UTM(20, true)),  // Saint-Martin
	}
)

// Lambert93ToWGS84 converts Lambert 93 metres to longitude and latitude in
// degrees.
func Lambert93ToWGS84(x, y float64) (lon, lat float64) {
	lon, lat, _ = lambert93(x, y, 0)
	return lon, lat
}

// FINESSToWGS84 converts a FINESS geolocalisation x/y of an établissement
// of department dep (COG code: "75", "2A", "971") to longitude and
// latitude; false for a territory whose projection is not known here.
func FINESSToWGS84(dep string, x, y float64) (lon, lat float64, ok bool) {
	if strings.HasPrefix(dep, "97") || strings.HasPrefix(dep, "98") {
		f, ok := utm[dep]
		if !ok {
			return 0, 0, false
		}
		lon, lat, _ = f(x, y, 0)
		return lon, lat, true
	}
	lon, lat = Lambert93ToWGS84(x, y)
	return lon, lat, true
}
