// Package fhir serves the directory through the national ROR FHIR guide
// (ANS, FHIR R4): Organization for EJ and EG, HealthcareService for each
// offre of a UO (one per activité opérationnelle), Location for the place
// of a UO with its équipements and capacitaire, and for each lieu de
// réalisation a dossier declared (lieux.go). Searches run on the same
// engine as /api/v1/search (index bitmaps, R-tree). It imports ror and
// Fiber only.
package fhir

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// Handler serves /fhir.
type Handler struct {
	dir       func() (Records, error)
	pros      func() (Practitioners, error) // for $export; nil: none served
	mayRead   func(c *fiber.Ctx) error
	snapshots snapshots // of the results paged past their first page
	exports   exports   // bulk exports ($export)
}

// Mount adds the FHIR routes to r (a group at /fhir); dir returns the
// directory or an error while it loads, pros the professionals (for the
// export; MountPractitioners serves their searches); mayRead refuses a
// reader when reads need an account (Unauthorized), nil when reads are open.
func Mount(r fiber.Router, dir func() (Records, error), pros func() (Practitioners, error), mayRead func(c *fiber.Ctx) error) {
	h := &Handler{dir: dir, pros: pros, mayRead: mayRead}
	r.Get("/metadata", h.wrap(h.metadata))
	mountExport(r, h)
	for _, typ := range []string{"HealthcareService", "Location", "Organization"} {
		r.Get("/"+typ, h.wrap(h.search(typ)))
		r.Post("/"+typ+"/_search", h.wrap(h.search(typ)))
		r.Get("/"+typ+"/:id", h.wrap(h.read(typ)))
	}
	r.All("/*", h.wrap(func(c *fiber.Ctx) error {
		if c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			return &fhirError{status: http.StatusMethodNotAllowed, code: "not-supported",
				msg: "Ce service FHIR est en lecture seule : seules les interactions read et search-type (GET, POST _search) sont prises en charge."}
		}
		return notFound("Type de ressource ou adresse inconnue : voir %s/metadata.", "/fhir")
	}))
}

// wrap checks the format asked for and turns every error into an
// OperationOutcome with its status.
func (h *Handler) wrap(fn fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := checkFormat(c)
		if err == nil && h.mayRead != nil {
			err = h.mayRead(c)
		}
		if err == nil {
			err = fn(c)
		}
		if err == nil {
			return nil
		}
		return WriteError(c, err)
	}
}

// WriteError answers err as an OperationOutcome with its status: the FHIR
// API's errors, and those its route group meets before it (429 of the rate
// limit, 503 of the admission, 413…), which the api's error handler hands
// over for paths under /fhir.
func WriteError(c *fiber.Ctx, err error) error {
	var fe *fhirError
	var re *ror.Error
	var fibErr *fiber.Error
	switch {
	case errors.As(err, &fe):
	case errors.As(err, &fibErr):
		fe = &fhirError{status: fibErr.Code, code: "processing", msg: fibErr.Message}
		switch fibErr.Code {
		case http.StatusTooManyRequests:
			fe.code, fe.msg = "throttled", "Trop de requêtes : réessayer dans quelques secondes (Retry-After)."
			if c.GetRespHeader(fiber.HeaderRetryAfter) == "" {
				c.Set(fiber.HeaderRetryAfter, "1")
			}
		case http.StatusServiceUnavailable:
			fe.code = "transient"
			c.Set(fiber.HeaderRetryAfter, "5")
		case http.StatusNotFound:
			fe.code = "not-found"
		case http.StatusMethodNotAllowed:
			fe.code = "not-supported"
		case http.StatusRequestEntityTooLarge:
			fe.code = "too-long"
		}
		if fibErr.Code >= 500 && fibErr.Code != http.StatusServiceUnavailable {
			fe.code, fe.msg = "exception", "Erreur interne : l'incident est journalisé."
			slog.Error("fhir", "path", c.Path(), "err", err)
		}
	case errors.As(err, &re) && re.Kind == ror.Unavailable:
		c.Set(fiber.HeaderRetryAfter, "5")
		fe = &fhirError{status: http.StatusServiceUnavailable, code: "transient", msg: re.Message}
	case errors.As(err, &re) && (re.Kind == ror.Unauthorized || re.Kind == ror.Forbidden):
		status := http.StatusUnauthorized
		if re.Kind == ror.Forbidden {
			status = http.StatusForbidden
		} else {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="ror"`)
		}
		fe = &fhirError{status: status, code: "login", msg: re.Message}
		if re.Kind == ror.Forbidden {
			fe.code = "forbidden"
		}
	case errors.As(err, &re) && re.Kind == ror.Invalid:
		fe = invalid(re.Field, "%s", re.Message)
	default:
		fe = &fhirError{status: http.StatusInternalServerError, code: "exception", msg: "Erreur interne : l'incident est journalisé."}
		slog.Error("fhir", "path", c.Path(), "err", err) // never sent to the client
	}
	return write(c, fe.status, outcome("error", fe))
}

// checkFormat accepts JSON only: _format json / application/fhir+json /
// application/json, and Accept headers that allow it.
func checkFormat(c *fiber.Ctx) error {
	if f := c.Query("_format"); f != "" {
		switch f {
		case "json", mimeFHIRJSON, "application/json", "application/json+fhir":
		default:
			return &fhirError{status: http.StatusNotAcceptable, code: "not-supported", param: "_format",
				msg: "_format=" + f + " n'est pas pris en charge : seul JSON (_format=json, application/fhir+json) est servi."}
		}
		return nil
	}
	acc := c.Get(fiber.HeaderAccept)
	if acc == "" || strings.Contains(acc, "json") || strings.Contains(acc, "*/*") {
		return nil
	}
	return &fhirError{status: http.StatusNotAcceptable, code: "not-supported",
		msg: "Seul le format JSON (application/fhir+json) est servi."}
}

func write(c *fiber.Ctx, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // paging links keep their & readable
	if err := enc.Encode(v); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, mimeFHIRJSON+"; charset=utf-8")
	return c.Status(status).Send(buf.Bytes())
}

// base is the service base URL as the client reached it.
func base(c *fiber.Ctx) string { return c.BaseURL() + "/fhir" }

// lenient reports whether the client asked unknown parameters to be
// ignored (Prefer: handling=lenient) rather than refused.
func lenient(c *fiber.Ctx) bool {
	for _, p := range strings.Split(c.Get("Prefer"), ",") {
		if strings.EqualFold(strings.ReplaceAll(strings.TrimSpace(p), " ", ""), "handling=lenient") {
			return true
		}
	}
	return false
}

// queryValues copies the query string out of Fiber's reused buffers.
func queryValues(c *fiber.Ctx) url.Values {
	v := url.Values{}
	// keys trimmed: the guide writes "…|XXX& characteristic=…"
	c.Context().QueryArgs().VisitAll(func(k, val []byte) { v.Add(strings.TrimSpace(string(k)), string(val)) })
	return v
}
