package api

import (
	"os"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// featureCollection is an RFC 7946 FeatureCollection of EG points.
type featureCollection struct {
	Type     string    `json:"type"`
	Features []feature `json:"features"`
	// NonGeolocalisees is a foreign member (RFC 7946 §6.1): the matching EGs
	// that have no position and so no feature.
	NonGeolocalisees []egProps `json:"non_geolocalisees"`
}

type feature struct {
	Type       string   `json:"type"`
	ID         string   `json:"id"`
	Geometry   geometry `json:"geometry"`
	Properties egProps  `json:"properties"`
}

type geometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // lon, lat (RFC 7946 §3.1.1)
}

type egProps struct {
	FINESS      string         `json:"finess"`
	Name        string         `json:"nom"`
	Commune     string         `json:"commune"`
	Department  string         `json:"departement"`
	Address     string         `json:"adresse"`
	Phone       string         `json:"telephone,omitempty"`
	DistanceKm  *float64       `json:"distance_km,omitempty"`
	DurationMin *int           `json:"duree_min,omitempty"`
	Estimated   bool           `json:"duree_estimee,omitempty"`
	Method      string         `json:"duree_methode,omitempty"`
	NoRoad      bool           `json:"hors_reseau_routier,omitempty"`
	NbUO        int            `json:"nb_uo"`
	UOs         []ror.UOResult `json:"uo"`
	Lieu        *ror.LieuRef   `json:"lieu,omitempty"` // the lieu de réalisation measured to, where the feature is placed
}

// handleSearchGeoJSON is GET /api/v1/search.geojson?<search parameters>: the
// EGs of every result (at most MaxResults) as a FeatureCollection for maps.
func (s reads) handleSearchGeoJSON(c *fiber.Ctx) error {
	res, _, err := s.search(c, true)
	if err != nil {
		return err
	}
	fc := featureCollection{Type: "FeatureCollection", Features: []feature{}, NonGeolocalisees: []egProps{}}
	for _, eg := range res.All {
		if eg.Point == nil {
			fc.NonGeolocalisees = append(fc.NonGeolocalisees, props(eg))
			continue
		}
		at := *eg.Point
		if eg.Lieu != nil && eg.Lieu.Point != nil {
			at = *eg.Lieu.Point // where the offer measured to is delivered
		}
		fc.Features = append(fc.Features, feature{
			Type: "Feature", ID: eg.FINESS,
			Geometry:   geometry{Type: "Point", Coordinates: [2]float64{at.Lon, at.Lat}},
			Properties: props(eg),
		})
	}
	for _, eg := range res.NonGeolocalisees {
		fc.NonGeolocalisees = append(fc.NonGeolocalisees, props(eg))
	}
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return sendJSON(c, fc, "application/geo+json")
}

func props(eg ror.EGResult) egProps {
	return egProps{FINESS: eg.FINESS, Name: eg.Name, Commune: eg.Commune.Name, Department: eg.Department.Name,
		Address: eg.Address, Phone: eg.Phone, DistanceKm: eg.DistanceKm, DurationMin: eg.DurationMin,
		Estimated: eg.Estimated, Method: eg.Method, NoRoad: eg.NoRoad,
		NbUO: eg.NbUO, UOs: eg.UOs, Lieu: eg.Lieu}
}

// handleDepartements is GET /api/v1/departements.geojson: the department
// outlines (IGN Admin Express) kept in the data dir at import, the base
// layer of the offline map.
func (s reads) handleDepartements(c *fiber.Ctx) error {
	if s.outlines == "" {
		return ror.Errorf(ror.NotFound, "", "Les contours des départements ne sont pas disponibles.")
	}
	body, err := os.ReadFile(s.outlines)
	if os.IsNotExist(err) {
		return ror.Errorf(ror.NotFound, "", "Les contours des départements ne sont pas disponibles.")
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderContentType, "application/geo+json")
	return c.Send(body)
}
