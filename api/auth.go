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
