package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleAnomalyPost is POST /api/v1/anomalies: "Signaler une anomalie" on a
// fiche. The reporter leaves an e-mail address to be answered.
func (s *Server) handleAnomalyPost(c *fiber.Ctx) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	var a ror.Anomaly
	if err := decodeJSON(c.Body(), &a); err != nil {
		return err
	}
	saved, err := d.ReportAnomaly(c.UserContext(), a, time.Now())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"id":      saved.ID,
		"message": "Merci : votre signalement n° " + saved.ID + " est enregistré et sera transmis aux référents de l'établissement.",
	})
}
