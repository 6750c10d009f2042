package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleNearby is GET /api/v1/proximite?ou=&equipement=&acte=&activite=&
// lits_disponibles=&patientele=&besoin=&limit=: the units nearest by travel
// time that carry every required code, with their beds.
func (s reads) handleNearby(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	q, err := ParseNearQuery(queryValues(c))
	if err != nil {
		return err
	}
	start := time.Now()
	list, from, err := svc.Nearby.Nearby(c.UserContext(), q, start)
	if err != nil {
		return err
	}
	origin := ror.CommuneRef{Name: from.Name, INSEE: from.INSEE}
	if from.INSEE != "" {
		origin.Label = from.Label()
	}
	return sendJSON(c, fiber.Map{
		"origine":   origin,
		"resultats": presentNear(list),
		"duree_ms":  float64(time.Since(start).Microseconds()) / 1000,
	})
}

// handlePresets is GET /api/v1/besoins: the needs that besoin= expands
// (data/presets.json), each with its label and required codes, for the
// page's SAMU view.
func (s reads) handlePresets(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	list := svc.Nearby.Presets()
	if list == nil {
		list = []ror.Preset{}
	}
	return sendJSON(c, fiber.Map{"besoins": list})
}
