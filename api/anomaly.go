package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleAnomalyPost is POST /api/v1/anomalies: "Signaler une anomalie" on a
// fiche. The reporter leaves an e-mail address to be answered.
func (s writes) handleAnomalyPost(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	if err := s.allowReport(c); err != nil {
		return err
	}
	var body anomalyReport
	if err := decodeJSON(c.Body(), &body); err != nil {
		return err
	}
	a := ror.Anomaly{EG: body.EG, UO: body.UO, Field: body.Field, Description: body.Description, Email: body.Email}
	saved, err := svc.Reports.ReportAnomaly(c.UserContext(), a, time.Now())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"id":      saved.ID,
		"message": "Merci : votre signalement n° " + saved.ID + " est enregistré et sera transmis aux référents de l'établissement.",
	})
}

// anomalyReport is what a reporter sends: the id, status and dates are the
// service's (a body naming them is a 400, as any unknown field).
type anomalyReport struct {
	EG          string `json:"finess"`
	UO          string `json:"uo"`
	Field       string `json:"champ"`
	Description string `json:"description"`
	Email       string `json:"email"`
}

// anomalyCall returns the directory and the account of a request about the
// reports: administrators and référents, the rest checked by the directory.
func (s writes) anomalyCall(c *fiber.Ctx) (AnomalyDesk, *ror.Account, error) {
	svc, err := s.services()
	if err != nil {
		return nil, nil, err
	}
	d := svc.Reports
	acct, err := s.auth.authenticated(c)
	if err != nil {
		return nil, nil, err
	}
	return d, acct, nil
}

// handleAnomalyList is GET /api/v1/anomalies?eg=&statut=&limit=&curseur=:
// the reports an administrator (all) or a référent (its EJ/EG) handles,
// newest first, a page at a time (suivant is the next page's curseur).
func (s writes) handleAnomalyList(c *fiber.Ctx) error {
	d, acct, err := s.anomalyCall(c)
	if err != nil {
		return err
	}
	f := ror.AnomalyFilter{EG: c.Query("eg"), Status: c.Query("statut"), Cursor: c.Query("curseur")}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return ror.Errorf(ror.Invalid, "limit", "Le nombre de signalements doit être entre 1 et 1000.")
		}
		f.Limit = n
	}
	list, next, err := d.ListAnomalies(c.UserContext(), acct, f)
	if err != nil {
		return err
	}
	out := fiber.Map{"nombre": len(list), "anomalies": list}
	if next != "" {
		out["suivant"] = next // the curseur of the next page
	}
	return c.JSON(out)
}

// handleAnomalyGet is GET /api/v1/anomalies/:id.
func (s writes) handleAnomalyGet(c *fiber.Ctx) error {
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
func (s writes) handleAnomalyClose(c *fiber.Ctx) error {
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
