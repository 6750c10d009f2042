package api

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// SignOn is an OpenID Connect provider (signon.Provider): Pro Santé Connect
// or any other, as an option beside passwords.
type SignOn interface {
	// Label names the provider on the sign-in page.
	Label() string
	// AuthURL is the provider's sign-in page for this state, nonce and
	// PKCE verifier.
	AuthURL(state, nonce, verifier string) string
	// Exchange checks the callback's code and returns the identity of the
	// person; an error when anything does not verify.
	Exchange(ctx context.Context, code, nonce, verifier string) (string, error)
}

// oidcCookie carries state, nonce and PKCE verifier between the redirect
// to the provider and its callback: HttpOnly, SameSite=Lax (the callback
// is a top-level navigation from the provider's site), 10 minutes, only
// under /api/v1/oidc.
const oidcCookie = "ror_oidc"

// handleOIDCInfo is GET /api/v1/oidc: the provider's label when OpenID
// Connect is configured (404 otherwise), for the sign-in page's button.
func (s signins) handleOIDCInfo(c *fiber.Ctx) error {
	if s.signOn == nil {
		return ror.Errorf(ror.NotFound, "", "La connexion OpenID Connect n'est pas configurée sur ce service.")
	}
	return c.JSON(fiber.Map{"libelle": s.signOn.Label(), "connexion": "/api/v1/oidc/connexion"})
}

// handleOIDCStart is GET /api/v1/oidc/connexion: sends the browser to the
// provider with a fresh state, nonce and PKCE challenge.
func (s signins) handleOIDCStart(c *fiber.Ctx) error {
	if s.signOn == nil {
		return ror.Errorf(ror.NotFound, "", "La connexion OpenID Connect n'est pas configurée sur ce service.")
	}
	state, nonce, verifier := rand.Text(), rand.Text(), rand.Text()+rand.Text()
	c.Cookie(&fiber.Cookie{Name: oidcCookie, Value: state + "." + nonce + "." + verifier, Path: "/api/v1/oidc", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), MaxAge: 600})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(s.signOn.AuthURL(state, nonce, verifier), fiber.StatusSeeOther)
}

// handleOIDCCallback is GET /api/v1/oidc/retour?code=&state=: checks the
// state against the cookie, has the code exchanged and the ID token
// verified, finds the account an administrator linked to the identity and
// opens its session as a password would. Failures go back to /espace with
// a reason the page says in French.
func (s signins) handleOIDCCallback(c *fiber.Ctx) error {
	if s.signOn == nil || s.users == nil {
		return ror.Errorf(ror.NotFound, "", "La connexion OpenID Connect n'est pas configurée sur ce service.")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	fail := func(reason string, err error) error {
		if err != nil {
			s.log.Info("connexion OpenID Connect refusée", "request_id", requestID(c), "motif", reason, "err", err)
		}
		return c.Redirect("/espace?erreur="+reason, fiber.StatusSeeOther)
	}
	parts := strings.Split(c.Cookies(oidcCookie), ".")
	c.Cookie(&fiber.Cookie{Name: oidcCookie, Value: "", Path: "/api/v1/oidc", HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c), MaxAge: -1, Expires: time.Unix(0, 0)})
	if c.Query("error") != "" {
		return fail("oidc-refus", nil)
	}
	if len(parts) != 3 || subtle.ConstantTimeCompare([]byte(parts[0]), []byte(c.Query("state"))) != 1 {
		return fail("oidc-etat", nil)
	}
	ctx, now := c.UserContext(), time.Now()
	identity, err := s.signOn.Exchange(ctx, c.Query("code"), parts[1], parts[2])
	if err != nil {
		return fail("oidc-jeton", err)
	}
	acct, err := s.users.AccountByIdentity(ctx, identity, now)
	if err != nil {
		return fail("oidc-inconnu", err)
	}
	cookie, sess, err := s.sessions.CreateSession(ctx, ror.Session{Account: acct.Name, Address: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent)}, now)
	if err != nil {
		return err
	}
	c.Cookie(&fiber.Cookie{Name: sessionCookie, Value: cookie, Path: "/", HTTPOnly: true, SameSite: fiber.CookieSameSiteStrictMode,
		Secure: s.secure(c), Expires: sess.ExpiresAt})
	return c.Redirect("/espace", fiber.StatusSeeOther)
}

// identityLink is the body of POST /api/v1/comptes/:nom/oidc.
type identityLink struct {
	Identity string `json:"identite"`
}

// handleIdentityLink is POST /api/v1/comptes/:nom/oidc: an administrator
// links the person's OpenID Connect identity (Pro Santé Connect's national
// id) to the account; "" unlinks.
func (s admins) handleIdentityLink(c *fiber.Ctx) error {
	admin, err := s.adminCall(c)
	if err != nil {
		return err
	}
	var in identityLink
	if err := decodeJSON(c.Body(), &in); err != nil {
		return err
	}
	if err := s.users.LinkIdentity(c.UserContext(), accountName(c), in.Identity, admin.Name); err != nil {
		return pointer(err, "identite")
	}
	return c.JSON(fiber.Map{"nom": accountName(c), "message": "Identité OpenID Connect de « " + accountName(c) + " » enregistrée."})
}
