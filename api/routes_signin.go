package api

import "github.com/gofiber/fiber/v2"

// signinRoutes mounts the routes of sign-in and of the pages of those who
// keep the offer true (/espace): sessions, accounts, and the reads those
// pages need. Every write among them authenticates in its handler, a
// cookie's with its CSRF token.
func (s *Server) signinRoutes(v1 fiber.Router) {
	si := signins{users: s.signin.Users, sessions: s.signin.Sessions, signOn: s.signin.SignOn, tlsProxy: s.signin.TLSProxy, auth: s.auth, log: s.log}
	ad := admins{users: s.signin.Users, sessions: s.signin.Sessions, auth: s.auth}
	p := pages{services: s.services, auth: s.auth, drafts: s.signin.Drafts}
	v1.Post("/session", si.handleSignIn)
	v1.Get("/session", si.handleSessionGet)
	v1.Delete("/session", si.handleSignOut)
	v1.Get("/comptes", ad.handleAccountList)
	v1.Post("/comptes", ad.handleAccountPost)
	v1.Post("/comptes/:nom/mot-de-passe", ad.handlePasswordReset)
	v1.Get("/comptes/:nom/sessions", ad.handleAccountSessions)
	v1.Delete("/comptes/:nom/sessions", ad.handleAccountSessionsDelete)
	v1.Post("/comptes/:nom/jetons", ad.handleTokenPost)
	v1.Delete("/comptes/:nom/jetons", ad.handleTokensDelete)
	v1.Post("/comptes/:nom/revocation", ad.handleAccountRevoke)
	v1.Post("/comptes/:nom/oidc", ad.handleIdentityLink)
	v1.Get("/oidc", si.handleOIDCInfo)
	v1.Get("/oidc/connexion", si.handleOIDCStart)
	v1.Get("/oidc/retour", si.handleOIDCCallback)
	v1.Get("/capacitaire/perimetre", p.handleBedScope)
	v1.Get("/brouillons", p.handleDraftList)
	v1.Get("/nomenclature/:champ", s.auth.readGuard, p.handleNomenclature)
}
