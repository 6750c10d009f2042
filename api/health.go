package api

import "github.com/gofiber/fiber/v2"

// handleHealth is GET /healthz: the process is up.
func (s *Server) handleHealth(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"statut": "ok"})
}

// handleReady is GET /readyz: the directory is loaded and searchable.
func (s *Server) handleReady(c *fiber.Ctx) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"statut": "pret", "taille": d.Stats()})
}
