package main

import "flag"

// SigninConfig is how people sign in: the cookies' Secure flag behind a
// proxy, and the optional OpenID Connect provider (Pro Santé Connect).
type SigninConfig struct {
	TLSProxy bool // served over https by a reverse proxy: session cookies Secure
	// OIDC* configure the OpenID Connect sign-in; OIDCIssuer "" = passwords
	// only. The secret comes from ROR_OIDC_CLIENT_SECRET only, never a flag
	// (ps would show it).
	OIDCIssuer, OIDCClientID, OIDCClientSecret, OIDCRedirect, OIDCClaim, OIDCLabel string
}

// signinFlags registers the flags of serve that configure sign-in.
func signinFlags(fs *flag.FlagSet, c *SigninConfig, getenv func(string) string) {
	c.OIDCClientSecret = getenv("ROR_OIDC_CLIENT_SECRET")
	fs.BoolVar(&c.TLSProxy, "tls-proxy", envBool(getenv, "ROR_TLS_PROXY"), "servi en https derrière un mandataire inverse : cookies de session Secure (ROR_TLS_PROXY=1)")
	fs.StringVar(&c.OIDCIssuer, "oidc-issuer", getenv("ROR_OIDC_ISSUER"), "émetteur OpenID Connect (Pro Santé Connect) ; vide = mots de passe seuls (ROR_OIDC_ISSUER)")
	fs.StringVar(&c.OIDCClientID, "oidc-client-id", getenv("ROR_OIDC_CLIENT_ID"), "identifiant client OpenID Connect (ROR_OIDC_CLIENT_ID ; le secret : ROR_OIDC_CLIENT_SECRET)")
	fs.StringVar(&c.OIDCRedirect, "oidc-redirect", getenv("ROR_OIDC_REDIRECT"), "URL de retour enregistrée chez le fournisseur, https://…/api/v1/oidc/retour (ROR_OIDC_REDIRECT)")
	fs.StringVar(&c.OIDCClaim, "oidc-claim", or(getenv("ROR_OIDC_CLAIM"), "sub"), "revendication du jeton d'identité liée aux comptes (ROR_OIDC_CLAIM)")
	fs.StringVar(&c.OIDCLabel, "oidc-label", or(getenv("ROR_OIDC_LABEL"), "Pro Santé Connect"), "nom du fournisseur sur la page de connexion (ROR_OIDC_LABEL)")
}

// or returns a, or b when a is empty.
func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
