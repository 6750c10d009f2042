// Package signon is the OpenID Connect sign-in of ROR Recherche (Pro Santé
// Connect is an OpenID Connect provider), around github.com/coreos/go-oidc
// (discovery, ID token verification against the provider's keys) and
// golang.org/x/oauth2 (the authorization code flow with PKCE). It imports
// the standard library and those two only; cmd/ror hands a *Provider to the
// api package, which maps the person to a named account.
package signon

import (
	"context"
	"errors"
	"fmt"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config names the provider and the service's registration with it.
type Config struct {
	Issuer       string   // the provider's issuer URL; discovery reads Issuer/.well-known/openid-configuration
	ClientID     string   // the service's client id at the provider
	ClientSecret string   // its secret (client_secret_basic)
	RedirectURL  string   // https://…/api/v1/oidc/retour, as registered at the provider
	Scopes       []string // beyond "openid"; none by default
	// Claim is the ID token's claim that identifies the person and that an
	// administrator links to an account; "sub" when empty.
	Claim string
	// Label names the provider on the sign-in page: « Pro Santé Connect ».
	Label string
}

// Provider runs the authorization code flow against one provider.
type Provider struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	claim    string
	label    string
}

// New discovers the provider; an error when it cannot be reached or its
// metadata does not name Issuer.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("signon: l'émetteur, l'identifiant client et l'URL de retour sont requis")
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("signon: découverte de %s: %w", cfg.Issuer, err)
	}
	claim := cfg.Claim
	if claim == "" {
		claim = "sub"
	}
	label := cfg.Label
	if label == "" {
		label = "OpenID Connect"
	}
	return &Provider{
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, cfg.Scopes...)},
		verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		claim:    claim,
		label:    label,
	}, nil
}

// Label is the provider's name for the sign-in page.
func (p *Provider) Label() string { return p.label }

// AuthURL is where the browser goes to sign in: state and nonce are random
// and kept by the browser's cookie; verifier is the PKCE secret (RFC 7636,
// S256) whose challenge travels.
func (p *Provider) AuthURL(state, nonce, verifier string) string {
	return p.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier))
}

// Exchange trades the code of the callback for tokens and returns the value
// of the identifying claim of the ID token, once its signature, issuer,
// audience, expiry and nonce are checked.
func (p *Provider) Exchange(ctx context.Context, code, nonce, verifier string) (string, error) {
	tok, err := p.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return "", fmt.Errorf("signon: échange du code: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return "", errors.New("signon: le fournisseur n'a pas rendu de jeton d'identité")
	}
	id, err := p.verifier.Verify(ctx, raw)
	if err != nil {
		return "", fmt.Errorf("signon: jeton d'identité refusé: %w", err)
	}
	if id.Nonce != nonce {
		return "", errors.New("signon: nonce du jeton d'identité différent de celui de la demande")
	}
	if p.claim == "sub" {
		return id.Subject, nil
	}
	var claims map[string]any
	if err := id.Claims(&claims); err != nil {
		return "", fmt.Errorf("signon: revendications illisibles: %w", err)
	}
	v, ok := claims[p.claim].(string)
	if !ok || v == "" {
		return "", fmt.Errorf("signon: le jeton d'identité ne porte pas la revendication %q", p.claim)
	}
	return v, nil
}
