package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// communeOut is a commune as the "Où ?" list shows it.
type communeOut struct {
	INSEE       string    `json:"insee"`
	Name        string    `json:"nom"`
	Label       string    `json:"libelle"`
	PostalCodes []string  `json:"codes_postaux"`
	Department  string    `json:"departement"`
	Point       ror.Point `json:"centre"`
}

// handleCommunes is GET /api/v1/communes?q=: communes by name prefix, postal
// code or INSEE code, labelled "Paris 10 (75010)".
func (s reads) handleCommunes(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	q := queryValues(c).Get("q")
	if q == "" {
		return ror.Errorf(ror.Invalid, "q", "Saisir le début d'un nom de commune ou d'un code postal.")
	}
	list, err := svc.Communes.Communes(q, 10)
	if err != nil {
		return err
	}
	out := make([]communeOut, len(list))
	for i, cm := range list {
		out[i] = communeOut{INSEE: cm.INSEE, Name: cm.Name, Label: cm.Label(), PostalCodes: cm.PostalCodes, Department: cm.Department, Point: cm.Point}
	}
	return sendJSON(c, fiber.Map{"communes": out})
}

// placeMinPopulation bounds the communes named on the offline map: about
// 2,000 communes of 5,000 inhabitants or more, 150 kB of GeoJSON gzipped to
// 40, fetched once when the map first opens.
const placeMinPopulation = 5000

// placeProps are the properties of a named place of the map.
type placeProps struct {
	INSEE      string `json:"insee"`
	Name       string `json:"nom"`
	Population int    `json:"population"`
}

type placeFeature struct {
	Type       string     `json:"type"`
	Geometry   geometry   `json:"geometry"`
	Properties placeProps `json:"properties"`
}

// handlePlaces is GET /api/v1/communes.geojson: the communes of 5,000
// inhabitants or more (COG, INSEE populations) as RFC 7946 points, the most
// populous first, for the names written on the offline map.
func (s reads) handlePlaces(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	list := svc.Communes.PlaceNames(placeMinPopulation)
	fs := make([]placeFeature, len(list))
	for i, cm := range list {
		fs[i] = placeFeature{Type: "Feature",
			Geometry:   geometry{Type: "Point", Coordinates: [2]float64{cm.Point.Lon, cm.Point.Lat}},
			Properties: placeProps{INSEE: cm.INSEE, Name: cm.ShortName(), Population: cm.Population}}
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return sendJSON(c, fiber.Map{"type": "FeatureCollection", "features": fs}, "application/geo+json")
}
