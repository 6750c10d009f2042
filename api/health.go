package api

import "github.com/gofiber/fiber/v2"

// ops are the handlers of the operators' probes: liveness, readiness,
// metrics.
type ops struct {
	services func() (*Services, error)
	metrics  *metrics
	cluster  Cluster // nil alone
}

// handleHealth is GET /healthz: the process is up.
func (s ops) handleHealth(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"statut": "ok"})
}

// handleReady is GET /readyz: the directory is loaded and searchable.
func (s ops) handleReady(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	if s.cluster != nil {
		if err := s.cluster.Ready(); err != nil {
			return err
		}
	}
	return c.JSON(fiber.Map{"statut": "pret", "taille": svc.Stats.Stats()})
}
