package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// authenticated returns the account behind the request's bearer token:
// Unauthorized without one, or when it is unknown, expired or revoked.
func (s *Server) authenticated(c *fiber.Ctx) (*ror.Account, error) {
	if s.accounts == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Les écritures ne sont pas possibles : aucun compte n'est configuré.")
	}
	h := c.Get(fiber.HeaderAuthorization)
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return nil, ror.Errorf(ror.Unauthorized, "Authorization", "Cette opération demande un jeton (en-tête « Authorization: Bearer … »).")
	}
	return s.accounts.Authenticate(c.UserContext(), strings.TrimSpace(token))
}

// readGuard is the middleware of every read route: it lets the request
// through when reads are open (Config.ReadAuth false, the default), and
// otherwise only with a valid bearer token of any role, lecteur or above
// (401 problem+json without one, or when it is unknown, expired or revoked).
// /fhir asks mayRead, to refuse with an OperationOutcome.
func (s *Server) readGuard(c *fiber.Ctx) error {
	if err := s.mayRead(c); err != nil {
		return err
	}
	return c.Next()
}

// mayRead is readGuard's decision alone, for routes that answer refusals in
// their own format (FHIR's OperationOutcome).
func (s *Server) mayRead(c *fiber.Ctx) error {
	if !s.readAuth {
		return nil
	}
	_, err := s.authenticated(c)
	return err
}
