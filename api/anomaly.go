package api

import (
	"strconv"
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

// anomalyCall returns the directory and the account of a request about the
// reports: administrators and référents, the rest checked by the directory.
func (s *Server) anomalyCall(c *fiber.Ctx) (*ror.Directory, *ror.Account, error) {
	d, err := s.directory()
	if err != nil {
		return nil, nil, err
	}
	acct, err := s.authenticated(c)
	if err != nil {
		return nil, nil, err
	}
	return d, acct, nil
}

// handleAnomalyList is GET /api/v1/anomalies?eg=&statut=&limit=: the
// reports an administrator (all) or a référent (its EJ/EG) handles, newest
// first.
func (s *Server) handleAnomalyList(c *fiber.Ctx) error {
	d, acct, err := s.anomalyCall(c)
	if err != nil {
		return err
	}
	f := ror.AnomalyFilter{EG: c.Query("eg"), Status: c.Query("statut")}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return ror.Errorf(ror.Invalid, "limit", "Le nombre de signalements doit être entre 1 et 1000.")
		}
		f.Limit = n
	}
	list, err := d.ListAnomalies(c.UserContext(), acct, f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"nombre": len(list), "anomalies": list})
}

// handleAnomalyGet is GET /api/v1/anomalies/:id.
func (s *Server) handleAnomalyGet(c *fiber.Ctx) error {
	d, acct, err := s.anomalyCall(c)
	if err != nil {
		return err
	}
	a, err := d.GetAnomaly(c.UserContext(), acct, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(a)
}

// anomalyClosing is the body of a closing.
type anomalyClosing struct {
	Resolution string `json:"resolution"`
}

// handleAnomalyClose is POST /api/v1/anomalies/:id/cloture: an
// administrator or a référent of the EG closes a report with its
// resolution; 409 when it is closed already.
func (s *Server) handleAnomalyClose(c *fiber.Ctx) error {
	d, acct, err := s.anomalyCall(c)
	if err != nil {
		return err
	}
	var body anomalyClosing
	if err := decodeJSON(c.Body(), &body); err != nil {
		return err
	}
	a, err := d.CloseAnomaly(c.UserContext(), acct, c.Params("id"), body.Resolution, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(a)
}
