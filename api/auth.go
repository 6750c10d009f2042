package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// auth decides who a request is: a bearer token (accounts) or a signed-in
// browser's cookie with its CSRF token on a write (sessions), and whether
// reads need a token (readAuth). Every handler that needs an account holds
// it.
type auth struct {
	accounts ror.Accounts // nil: writes answer 503
	sessions Sessions     // nil: no sign-in, tokens only
	readAuth bool
}

// authenticated returns the account behind the request's bearer token, or
// else its session cookie (with its CSRF token on a write): Unauthorized
// without either, or when it is unknown, expired or revoked.
func (s *auth) authenticated(c *fiber.Ctx) (*ror.Account, error) {
	if s.accounts == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Les écritures ne sont pas possibles : aucun compte n'est configuré.")
	}
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" && s.sessions != nil && c.Cookies(sessionCookie) != "" {
		return s.cookieAccount(c) // a signed-in browser (session.go, csrf.go)
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || strings.TrimSpace(token) == "" {
		return nil, ror.Errorf(ror.Unauthorized, "Authorization", "Cette opération demande de se connecter (/espace) ou un jeton (en-tête « Authorization: Bearer … »).")
	}
	return s.accounts.Authenticate(c.UserContext(), strings.TrimSpace(token))
}

// readGuard is the middleware of every read route: it lets the request
// through when reads are open (Config.ReadAuth false, the default), and
// otherwise only with a valid bearer token of any role, lecteur or above
// (401 problem+json without one, or when it is unknown, expired or revoked).
// /fhir asks mayRead, to refuse with an OperationOutcome.
func (s *auth) readGuard(c *fiber.Ctx) error {
	if err := s.mayRead(c); err != nil {
		return err
	}
	return c.Next()
}

// mayRead is readGuard's decision alone, for routes that answer refusals in
// their own format (FHIR's OperationOutcome).
func (s *auth) mayRead(c *fiber.Ctx) error {
	if !s.readAuth {
		return nil
	}
	_, err := s.authenticated(c)
	return err
}
