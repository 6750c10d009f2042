package api

import (
	"crypto/subtle"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// CSRF: a synchronizer token. Each session has its own random token (256
// bits), kept with the session in the store; the page reads it from GET
// /api/v1/session (same origin only: the API sends no CORS header) and
// sends it in the X-CSRF-Token header, or a form in its "csrf" field. Every
// request authenticated by the cookie with a method other than GET, HEAD or
// OPTIONS must carry it, compared in constant time, and, when the browser
// says where it comes from (Origin), come from this site. Requests with a
// bearer token carry no ambient credential and are exempt.
const csrfHeader = "X-CSRF-Token"

// safeMethod reports whether m changes nothing.
func safeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}

// checkCSRF refuses (403) a state-changing request made with the cookie
// without the session's token.
func (s *auth) checkCSRF(c *fiber.Ctx, sess ror.Session) error {
	if safeMethod(c.Method()) {
		return nil
	}
	if err := sameOrigin(c); err != nil {
		return err
	}
	sent := c.Get(csrfHeader)
	if sent == "" {
		sent = c.FormValue("csrf")
	}
	if sent == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(sess.CSRF)) != 1 {
		return ror.Errorf(ror.Forbidden, csrfHeader, "Jeton anti-falsification (CSRF) absent ou invalide : recharger la page et recommencer.")
	}
	return nil
}

// sameOrigin refuses a request whose Origin header names another site
// than the one it was sent to.
func sameOrigin(c *fiber.Ctx) error {
	o := c.Get(fiber.HeaderOrigin)
	if o == "" {
		return nil // not sent by older browsers and by non-browsers; the token decides
	}
	u, err := url.Parse(o)
	if err != nil || u.Host != c.Hostname() {
		return ror.Errorf(ror.Forbidden, "Origin", "Requête émise depuis un autre site : refusée.")
	}
	return nil
}

// cookieAccount is the account of a signed-in browser, its CSRF token
// checked on a write.
func (s *auth) cookieAccount(c *fiber.Ctx) (*ror.Account, error) {
	acct, sess, err := s.session(c)
	if err != nil {
		return nil, err
	}
	if err := s.checkCSRF(c, sess); err != nil {
		return nil, err
	}
	return acct, nil
}
