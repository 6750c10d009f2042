package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleNearby is GET /api/v1/proximite?ou=&equipement=&acte=&activite=&
// lits_disponibles=&patientele=&besoin=&limit=: the units nearest by travel
// time that carry every required code, with their beds.
func (s *Server) handleNearby(c *fiber.Ctx) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	q, err := ror.ParseNearQuery(queryValues(c))
	if err != nil {
		return err
	}
	start := time.Now()
	list, from, err := d.Nearby(c.UserContext(), q, start)
	if err != nil {
		return err
	}
	origin := ror.CommuneRef{Name: from.Name, INSEE: from.INSEE}
	if from.INSEE != "" {
		origin.Label = from.Label()
	}
	return sendJSON(c, fiber.Map{
		"origine":   origin,
		"resultats": list,
		"duree_ms":  float64(time.Since(start).Microseconds()) / 1000,
	})
}
