package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/api/fhir"
)

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type     string         `json:"type"`
	Title    string         `json:"title"`
	Status   int            `json:"status"`
	Detail   string         `json:"detail"`
	Instance string         `json:"instance"`
	Errors   []ProblemField `json:"errors,omitempty"`
	// Current is, on a 409, the state to start again from (the stored
	// version, the stored figure's date).
	Current any `json:"actuel,omitempty"`
}

// ProblemField names the offending parameter (query) or pointer (JSON body).
type ProblemField struct {
	Parameter string `json:"parameter,omitempty"`
	Pointer   string `json:"pointer,omitempty"`
	Detail    string `json:"detail"`
}

type kindInfo struct {
	status int
	typ    string
	title  string
}

var kinds = map[ror.Kind]kindInfo{
	ror.Invalid:      {http.StatusBadRequest, "/problems/parametre-invalide", "Paramètre invalide"},
	ror.NotFound:     {http.StatusNotFound, "/problems/introuvable", "Ressource introuvable"},
	ror.Conflict:     {http.StatusConflict, "/problems/conflit", "Conflit de version"},
	ror.Unavailable:  {http.StatusServiceUnavailable, "/problems/indisponible", "Service indisponible"},
	ror.Forbidden:    {http.StatusForbidden, "/problems/acces-refuse", "Accès refusé"},
	ror.Unauthorized: {http.StatusUnauthorized, "/problems/authentification", "Authentification requise"},
	ror.Limited:      {http.StatusTooManyRequests, "/problems/trop-de-requetes", "Trop de requêtes"},
	ror.Internal:     {http.StatusInternalServerError, "/problems/erreur-interne", "Erreur interne"},
}

// httpProblems are the errors Fiber raises itself (unknown route, method,
// body too large), in the same shape.
var httpProblems = map[int]kindInfo{
	http.StatusNotFound:                    {http.StatusNotFound, "/problems/introuvable", "Ressource introuvable"},
	http.StatusMethodNotAllowed:            {http.StatusMethodNotAllowed, "/problems/methode-non-autorisee", "Méthode non autorisée"},
	http.StatusRequestEntityTooLarge:       {http.StatusRequestEntityTooLarge, "/problems/requete-trop-grande", "Requête trop grande"},
	http.StatusTooManyRequests:             {http.StatusTooManyRequests, "/problems/trop-de-requetes", "Trop de requêtes"},
	http.StatusBadRequest:                  {http.StatusBadRequest, "/problems/requete-invalide", "Requête invalide"},
	http.StatusRequestHeaderFieldsTooLarge: {http.StatusRequestHeaderFieldsTooLarge, "/problems/requete-trop-grande", "Requête trop grande"},
}

var httpDetails = map[int]string{
	http.StatusNotFound:                    "Cette adresse n'existe pas.",
	http.StatusMethodNotAllowed:            "Cette méthode n'est pas acceptée à cette adresse.",
	http.StatusRequestEntityTooLarge:       "Le corps de la requête dépasse la taille autorisée.",
	http.StatusTooManyRequests:             "Trop de requêtes : réessayer dans quelques secondes.",
	http.StatusBadRequest:                  "La requête est mal formée.",
	http.StatusRequestHeaderFieldsTooLarge: "Les en-têtes de la requête sont trop grands.",
}

// errorHandler is Fiber's ErrorHandler: every error leaves as problem+json.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	if path := c.Path(); path == "/fhir" || strings.HasPrefix(path, "/fhir/") {
		return fhir.WriteError(c, err) // FHIR clients read OperationOutcomes, 429 and 503 included
	}
	p := s.problem(c, err)
	setSecurityHeaders(c)
	if p.Status == http.StatusServiceUnavailable {
		c.Set(fiber.HeaderRetryAfter, "5")
	}
	if p.Status == http.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="ror"`)
	}
	return c.Status(p.Status).JSON(p, "application/problem+json; charset=utf-8")
}

func (s *Server) problem(c *fiber.Ctx, err error) Problem {
	instance := string(c.Request().URI().Path())
	var fe *fiber.Error
	if errors.As(err, &fe) {
		info, ok := httpProblems[fe.Code]
		if !ok {
			info = kindInfo{fe.Code, "/problems/erreur-http", http.StatusText(fe.Code)}
		}
		detail := httpDetails[fe.Code]
		if detail == "" {
			detail = info.title + "."
		}
		return Problem{Type: info.typ, Title: info.title, Status: info.status, Detail: detail, Instance: instance}
	}
	kind := ror.ErrorKind(err)
	info := kinds[kind]
	var re *ror.Error
	if kind == ror.Internal || !errors.As(err, &re) {
		id := requestID(c)
		s.log.Error("internal error", "request_id", id, "method", c.Method(), "path", instance, "err", err)
		return Problem{Type: info.typ, Title: info.title, Status: info.status, Instance: instance,
			Detail: "Une erreur interne est survenue. Référence : " + id + "."}
	}
	if re.Err != nil {
		s.log.Info("request refused", "request_id", requestID(c), "kind", info.title, "err", re.Err)
	}
	p := Problem{Type: info.typ, Title: info.title, Status: info.status, Detail: re.Message, Instance: instance, Current: re.Current}
	if re.Field != "" {
		f := ProblemField{Detail: re.Message}
		if strings.HasPrefix(re.Field, "/") {
			f.Pointer = re.Field
		} else {
			f.Parameter = re.Field
		}
		p.Errors = []ProblemField{f}
	}
	return p
}

func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals("requestid").(string); ok {
		return id
	}
	return ""
}
