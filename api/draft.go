package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// draftCall authenticates and decodes the body of a draft request.
func (s *Server) draftCall(c *fiber.Ctx, body any) (*ror.Directory, *ror.Account, error) {
	d, err := s.directory()
	if err != nil {
		return nil, nil, err
	}
	acct, err := s.authenticated(c)
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
func (s *Server) handleDraftPost(c *fiber.Ctx) error {
	var dr ror.Draft
	d, acct, err := s.draftCall(c, &dr)
	if err != nil {
		return err
	}
	out, err := d.CreateDraft(c.UserContext(), acct, dr, time.Now())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(out)
}

// handleDraftGet is GET /api/v1/brouillons/:id.
func (s *Server) handleDraftGet(c *fiber.Ctx) error {
	d, acct, err := s.draftCall(c, nil)
	if err != nil {
		return err
	}
	out, err := d.GetDraft(c.UserContext(), acct, c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// handleDraftPut is PUT /api/v1/brouillons/:id: replaces the operations;
// the body's version is the one edited (409 when it moved).
func (s *Server) handleDraftPut(c *fiber.Ctx) error {
	var dr ror.Draft
	d, acct, err := s.draftCall(c, &dr)
	if err != nil {
		return err
	}
	out, err := d.UpdateDraft(c.UserContext(), acct, c.Params("id"), dr, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(out)
}

// draftAction is the body of submit, validate and reject.
type draftAction struct {
	Version int    `json:"version"`
	Reason  string `json:"motif"`
}

// handleDraftAction is POST /api/v1/brouillons/:id/{soumettre,valider,rejeter}.
func (s *Server) handleDraftAction(c *fiber.Ctx) error {
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
		out, err = d.ValidateDraft(ctx, acct, id, now)
	case "rejeter":
		out, err = d.RejectDraft(ctx, acct, id, a.Reason, now)
	default:
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	return c.JSON(out)
}
