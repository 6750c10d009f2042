package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleCapacitePut is PUT /api/v1/uo/:id/capacitaire: the beds of one UO.
// A gestionnaire de lits outside the UO's établissement gets 403.
func (s writes) handleCapacitePut(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	acct, err := s.auth.authenticated(c)
	if err != nil {
		return err
	}
	if !acct.MayWriteSomeBeds() {
		return bedsForbidden(acct)
	}
	var body capaciteBody
	if err := decodeJSON(c.Body(), &body); err != nil {
		return err
	}
	up, err := body.update()
	if err != nil {
		return err
	}
	up.UO = c.Params("id")
	rep, err := svc.Beds.UpdateCapacite(c.UserContext(), acct, ror.Feed{Updates: []ror.CapaciteUpdate{up}}, time.Now())
	if err != nil {
		return err
	}
	if len(rep.Rejected) > 0 {
		return lineProblem(rep.Rejected[0])
	}
	f, err := svc.Fiches.UO(c.UserContext(), up.UO)
	if err != nil {
		return err
	}
	return c.JSON(presentUOView(f))
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
	e := &ror.Error{Kind: kind, Field: field, Message: le.Message}
	if le.Current != "" {
		e.Current = map[string]string{"maj": le.Current}
	}
	return e
}

// bedsForbidden is the refusal of a role that never writes beds, given
// before the body is read.
func bedsForbidden(acct *ror.Account) error {
	return ror.Errorf(ror.Forbidden, "", "Le compte « %s » (%s) ne peut pas modifier les lits : c'est le rôle des gestionnaires de lits et des administrateurs.", acct.Name, acct.Role)
}

// capaciteBody is one figure as JSON sends it (a PUT's body, a line of a
// feed): the counts are pointers so that a missing one is told from 0.
// lits_installes and lits_disponibles are required (a missing one is a
// 400 naming it, never 0); a missing lits_fermes, lits_indetermines or
// lits_supplementaires means none; a missing maj means now.
type capaciteBody struct {
	UO              string  `json:"uo"`
	Installes       *int    `json:"lits_installes"`
	Fermes          *int    `json:"lits_fermes"`
	Indetermines    *int    `json:"lits_indetermines"`
	Supplementaires *int    `json:"lits_supplementaires"`
	Disponibles     *int    `json:"lits_disponibles"`
	At              *string `json:"maj"`
}

// update returns the figure, Invalid naming the first missing or
// malformed field.
func (b *capaciteBody) update() (ror.CapaciteUpdate, error) {
	up := ror.CapaciteUpdate{UO: b.UO}
	for _, f := range []struct {
		name     string
		v        *int
		dst      *int
		required bool
	}{{"lits_installes", b.Installes, &up.Installes, true}, {"lits_fermes", b.Fermes, &up.Fermes, false},
		{"lits_indetermines", b.Indetermines, &up.Indetermines, false},
		{"lits_supplementaires", b.Supplementaires, &up.Supplementaires, false},
		{"lits_disponibles", b.Disponibles, &up.Disponibles, true}} {
		switch {
		case f.v != nil:
			*f.dst = *f.v
		case f.required:
			return up, ror.Errorf(ror.Invalid, f.name, "Le champ « %s » manque : un chiffre absent n'est jamais compté 0.", f.name)
		}
	}
	if b.At != nil {
		t, err := time.Parse(time.RFC3339, *b.At)
		if err != nil {
			return up, ror.Errorf(ror.Invalid, "maj", "La date doit être au format RFC 3339 (2026-11-22T08:30:00+01:00).")
		}
		up.At = t
	}
	return up, nil
}

// handleFeed is POST /api/v1/capacitaire: a bulk feed, JSON array or CSV
// (Content-Type text/csv), atomic, idempotent on replay, with a report of
// rejected lines. ?mode=tout-ou-rien applies nothing when a line is bad.
func (s writes) handleFeed(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	acct, err := s.auth.authenticated(c)
	if err != nil {
		return err
	}
	if !acct.MayWriteSomeBeds() {
		return bedsForbidden(acct)
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
		feed.Updates, feed.Rejected, err = ParseFeedCSV(bytes.NewReader(body))
	} else {
		var lines []capaciteBody
		err = decodeJSON(body, &lines)
		if err == nil && len(lines) > ror.MaxFeedLines {
			err = ror.Errorf(ror.Invalid, "/", "Le flux dépasse %d lignes : le découper.", ror.MaxFeedLines)
		}
		for i := range lines {
			up, lerr := lines[i].update()
			if lerr != nil {
				e := ror.AsError(lerr)
				feed.Rejected = append(feed.Rejected, ror.LineError{Line: i + 1, UO: ror.Clip(up.UO), Field: e.Field, Message: e.Message, Kind: ror.Invalid})
				continue
			}
			up.Line = i + 1
			feed.Updates = append(feed.Updates, up)
		}
	}
	if err != nil {
		return err
	}
	rep, err := svc.Beds.UpdateCapacite(c.UserContext(), acct, feed, time.Now())
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
	if !utf8.Valid(body) {
		// encoding/json would silently turn the bad bytes into U+FFFD.
		return ror.Errorf(ror.Invalid, "/", "Le corps de la requête n'est pas de l'UTF-8 valide.")
	}
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
