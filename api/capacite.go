package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleCapacitePut is PUT /api/v1/uo/:id/capacitaire: the beds of one UO.
// A gestionnaire de lits outside the UO's établissement gets 403.
func (s *Server) handleCapacitePut(c *fiber.Ctx) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	acct, err := s.authenticated(c)
	if err != nil {
		return err
	}
	var up ror.CapaciteUpdate
	if err := decodeJSON(c.Body(), &up); err != nil {
		return err
	}
	up.UO = c.Params("id")
	rep, err := d.UpdateCapacite(c.UserContext(), acct, ror.Feed{Updates: []ror.CapaciteUpdate{up}}, time.Now())
	if err != nil {
		return err
	}
	if len(rep.Rejected) > 0 {
		return lineProblem(rep.Rejected[0])
	}
	f, err := d.UO(c.UserContext(), up.UO)
	if err != nil {
		return err
	}
	return c.JSON(f)
}

// lineProblem turns the one rejected line of a single update into the
// error of the request.
func lineProblem(le ror.LineError) error {
	kind := le.Kind
	if kind == ror.Internal {
		kind = ror.Invalid
	}
	field := le.Field
	if field != "" && field != "uo" {
		field = "/" + field
	}
	return &ror.Error{Kind: kind, Field: field, Message: le.Message}
}

// handleFeed is POST /api/v1/capacitaire: a bulk feed, JSON array or CSV
// (Content-Type text/csv), atomic, idempotent on replay, with a report of
// rejected lines. ?mode=tout-ou-rien applies nothing when a line is bad.
func (s *Server) handleFeed(c *fiber.Ctx) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	acct, err := s.authenticated(c)
	if err != nil {
		return err
	}
	feed := ror.Feed{}
	switch mode := c.Query("mode"); mode {
	case "", "partiel":
	case "tout-ou-rien":
		feed.AllOrNothing = true
	default:
		return ror.Errorf(ror.Invalid, "mode", "Le mode doit être « partiel » ou « tout-ou-rien ».")
	}
	body := bytes.Clone(c.Body())
	if strings.HasPrefix(c.Get(fiber.HeaderContentType), "text/csv") {
		feed.Updates, feed.Rejected, err = ror.ParseFeedCSV(bytes.NewReader(body))
	} else {
		err = decodeJSON(body, &feed.Updates)
		if err == nil && len(feed.Updates) > ror.MaxFeedLines {
			err = ror.Errorf(ror.Invalid, "/", "Le flux dépasse %d lignes : le découper.", ror.MaxFeedLines)
		}
	}
	if err != nil {
		return err
	}
	rep, err := d.UpdateCapacite(c.UserContext(), acct, feed, time.Now())
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if len(rep.Rejected) > 0 {
		status = fiber.StatusUnprocessableEntity
		if !feed.AllOrNothing && rep.Applied+rep.Unchanged > 0 {
			status = fiber.StatusMultiStatus
		}
	}
	return c.Status(status).JSON(rep)
}

// decodeJSON reads a JSON body strictly: unknown fields and trailing data
// are errors naming the place.
func decodeJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return ror.Errorf(ror.Invalid, "/"+strings.ReplaceAll(te.Field, ".", "/"), "Valeur de type inattendu pour « %s ».", te.Field)
		}
		return &ror.Error{Kind: ror.Invalid, Field: "/", Message: "Le corps de la requête n'est pas un JSON valide pour cette opération.", Err: err}
	}
	if dec.More() {
		return ror.Errorf(ror.Invalid, "/", "Le corps de la requête contient des données après le JSON.")
	}
	return nil
}
