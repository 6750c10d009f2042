package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// draftCall authenticates and decodes the body of a draft request.
func (s writes) draftCall(c *fiber.Ctx, body any) (DraftDesk, *ror.Account, error) {
	svc, err := s.services()
	if err != nil {
		return nil, nil, err
	}
	d := svc.Dossiers
	acct, err := s.auth.authenticated(c)
	if err != nil {
		return nil, nil, err
	}
	if body != nil {
		if err := decodeJSON(c.Body(), body); err != nil {
			return nil, nil, err
		}
	}
	return d, acct, nil
}

// handleDraftPost is POST /api/v1/brouillons: a référent opens a dossier
// collaboratif (create, modify, close UOs; EG contacts and horaires).
func (s writes) handleDraftPost(c *fiber.Ctx) error {
	var dr ror.Draft
	d, acct, err := s.draftCall(c, &dr)
	if err != nil {
		return err
	}
	out, err := d.CreateDraft(c.UserContext(), acct, dr, time.Now())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(viewDraft(out))
}

// handleDraftGet is GET /api/v1/brouillons/:id.
func (s writes) handleDraftGet(c *fiber.Ctx) error {
	d, acct, err := s.draftCall(c, nil)
	if err != nil {
		return err
	}
	out, err := d.GetDraft(c.UserContext(), acct, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(viewDraft(out))
}

// handleDraftPut is PUT /api/v1/brouillons/:id: replaces the operations;
// the body's version is the one edited (409 when it moved).
func (s writes) handleDraftPut(c *fiber.Ctx) error {
	var dr ror.Draft
	d, acct, err := s.draftCall(c, &dr)
	if err != nil {
		return err
	}
	out, err := d.UpdateDraft(c.UserContext(), acct, c.Params("id"), dr, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(viewDraft(out))
}

// draftAction is the body of submit, validate and reject. EffectiveAt is
// RFC 3339 (2026-12-01T00:00:00+01:00), parsed here so that a malformed one
// is a 400 naming date_effet.
type draftAction struct {
	Version     int    `json:"version"`
	Reason      string `json:"motif"`
	EffectiveAt string `json:"date_effet"`
}

// draftView is a draft with the French label of its status.
type draftView struct {
	*ror.Draft
	Label string `json:"statut_libelle"`
}

func viewDraft(d *ror.Draft) draftView { return draftView{d, d.Status.Label()} }

// effectiveDate parses the date_effet of a validation; zero when absent.
func effectiveDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if r := []rune(s); len(r) > 40 {
			s = string(r[:40]) + "…"
		}
		return t, &ror.Error{Kind: ror.Invalid, Field: "/date_effet", Err: err,
			Message: "La date d'effet « " + s + " » est mal formée : attendu une date et une heure RFC 3339, par exemple 2026-12-01T00:00:00+01:00."}
	}
	return t, nil
}

// handleDraftAction is POST /api/v1/brouillons/:id/{soumettre,valider,rejeter}.
// valider takes an optional date_effet: a later one programmes the
// publication (statut valide) instead of publishing at once; rejeter also
// cancels a programmed publication.
func (s writes) handleDraftAction(c *fiber.Ctx) error {
	var a draftAction
	d, acct, err := s.draftCall(c, &a)
	if err != nil {
		return err
	}
	ctx, id, now := c.UserContext(), c.Params("id"), time.Now()
	var out *ror.Draft
	switch c.Params("action") {
	case "soumettre":
		out, err = d.SubmitDraft(ctx, acct, id, a.Version, now)
	case "valider":
		var at time.Time
		if at, err = effectiveDate(a.EffectiveAt); err != nil {
			return err
		}
		out, err = d.ValidateDraft(ctx, acct, id, at, now)
	case "rejeter":
		out, err = d.RejectDraft(ctx, acct, id, a.Reason, now)
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.JSON(viewDraft(out))
}
