package api

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// Users keeps the named accounts and their credentials: passwords, bearer
// tokens, linked OpenID Connect identities (store.Accounts). Methods return
// Unauthorized on bad credentials, Forbidden on a locked account, NotFound
// on an unknown account, Invalid on a bad password, Conflict on a taken
// name.
type Users interface {
	VerifyPassword(ctx context.Context, name, password string, now time.Time) (*ror.Account, error)
	CreateUser(ctx context.Context, a ror.Account, password, author string) error
	SetPassword(ctx context.Context, name, password, author string) error
	ListAccounts(ctx context.Context, now time.Time) ([]ror.AccountInfo, error)
	NewToken(ctx context.Context, name, author string) (string, error)
	RevokeTokens(ctx context.Context, name, author string) (int, error)
	Revoke(ctx context.Context, name string) error
	LinkIdentity(ctx context.Context, name, identity, author string) error
	AccountByIdentity(ctx context.Context, identity string, now time.Time) (*ror.Account, error)
}

// Sessions keeps the browser sessions of the named accounts
// (store.Sessions); Unauthorized for a cookie of no open session.
type Sessions interface {
	CreateSession(ctx context.Context, s ror.Session, now time.Time) (cookie string, _ ror.Session, _ error)
	Session(ctx context.Context, cookie string, now time.Time) (*ror.Account, ror.Session, error)
	EndSession(ctx context.Context, cookie string) error
	Sessions(ctx context.Context, name string) ([]ror.Session, error)
	RevokeSessions(ctx context.Context, name string, ids []string, author string) (int, error)
}

// Signin is what sign-in needs.
type Signin struct {
	// Users keeps the accounts' passwords and Sessions their browser
	// sessions; both or neither (nil: no sign-in, tokens only).
	Users    Users
	Sessions Sessions
	// Drafts lists the dossiers for the espace de gestion; nil: no list.
	Drafts DraftLister
	// TLSProxy says the service is reached over https through a reverse
	// proxy: session cookies are then always Secure.
	TLSProxy bool
	// SignOn is the OpenID Connect provider; nil: passwords only.
	SignOn SignOn
}

// sessionCookie holds the session: HttpOnly (the page never reads it: it
// asks GET /api/v1/session for its CSRF token), SameSite=Strict, Secure
// over TLS or behind a TLS proxy (Config.TLSProxy), Path=/.
const sessionCookie = "ror_session"

// signins are the handlers of signing in and out, by password
// (session.go) or OpenID Connect (oidc.go).
type signins struct {
	users    Users // nil: no sign-in
	sessions Sessions
	signOn   SignOn // nil: passwords only
	tlsProxy bool
	auth     *auth
	log      *slog.Logger
}

// signIn is the body of POST /api/v1/session.
type signIn struct {
	Name     string `json:"nom"`
	Password string `json:"mot_de_passe"`
}

// sessionView is what the page knows of its session: the account, the
// CSRF token to send back in X-CSRF-Token, the end of the session.
type sessionView struct {
	Account *ror.Account `json:"compte"`
	CSRF    string       `json:"csrf"`
	Expires time.Time    `json:"expire"`
}

// handleSignIn is POST /api/v1/session: name and password (JSON) open a
// session and set its cookie. Five wrong passwords in a row lock the
// account for a quarter of an hour (403). Refused from another site
// (Origin), so that nobody signs a victim into the attacker's account.
func (s signins) handleSignIn(c *fiber.Ctx) error {
	if s.users == nil {
		return ror.Errorf(ror.Unavailable, "", "La connexion n'est pas possible sur ce service.")
	}
	if err := sameOrigin(c); err != nil {
		return err
	}
	var in signIn
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Name) == "" {
		return ror.Errorf(ror.Invalid, "/nom", "Saisir le nom du compte.")
	}
	if in.Password == "" || len(in.Password) > 4*ror.MaxPassword {
		return ror.Errorf(ror.Invalid, "/mot_de_passe", "Saisir le mot de passe.")
	}
	ctx, now := c.UserContext(), time.Now()
	acct, err := s.users.VerifyPassword(ctx, strings.TrimSpace(in.Name), in.Password, now)
	if err != nil {
		return err
	}
	cookie, sess, err := s.sessions.CreateSession(ctx, ror.Session{Account: acct.Name, Address: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)}, now)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: cookie, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode,
		Secure: s.secure(c), Expires: sess.ExpiresAt})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sessionView{acct, sess.CSRF, sess.ExpiresAt})
}

// handleSessionGet is GET /api/v1/session: the signed-in account and the
// CSRF token of its session; 401 without a session.
func (s signins) handleSessionGet(c *fiber.Ctx) error {
	acct, sess, err := s.auth.session(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(sessionView{acct, sess.CSRF, sess.ExpiresAt})
}

// handleSignOut is DELETE /api/v1/session: closes the session (CSRF token
// required) and clears the cookie.
func (s signins) handleSignOut(c *fiber.Ctx) error {
	_, sess, err := s.auth.session(c)
	if err != nil {
		return err
	}
	if err := s.auth.checkCSRF(c, sess); err != nil {
		return err
	}
	if err := s.sessions.EndSession(c.UserContext(), c.Cookies(sessionCookie)); err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: "", Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode,
		Secure: s.secure(c), Expires: time.Unix(0, 0), MaxAge: -1})
	return c.SendStatus(fiber.StatusNoContent)
}

// session returns the account and session of the request's cookie;
// Unauthorized without one.
func (s *auth) session(c *fiber.Ctx) (*ror.Account, ror.Session, error) {
	if s.sessions == nil {
		return nil, ror.Session{}, ror.Errorf(ror.Unavailable, "", "La connexion n'est pas possible sur ce service.")
	}
	cookie := c.Cookies(sessionCookie)
	if cookie == "" {
		return nil, ror.Session{}, ror.Errorf(ror.Unauthorized, "", "Se connecter pour continuer.")
	}
	return s.sessions.Session(c.UserContext(), cookie, time.Now())
}

// secure reports whether the cookie may only travel over TLS: the request
// came over TLS, or the service is declared behind a TLS proxy. The
// X-Forwarded-Proto header alone is never trusted.
func (s signins) secure(c *fiber.Ctx) bool {
	return s.tlsProxy || c.Context().IsTLS()
}
