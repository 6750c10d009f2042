package main

import (
	"context"

	"github.com/ror-recherche/ror/api"
	"github.com/ror-recherche/ror/signon"
)

// signOn discovers the OpenID Connect provider of cfg; nil when none is
// configured (passwords only).
func signOn(ctx context.Context, cfg SigninConfig) (api.SignOn, error) {
	if cfg.OIDCIssuer == "" {
		return nil, nil
	}
	p, err := signon.New(ctx, signon.Config{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
		RedirectURL: cfg.OIDCRedirect, Claim: cfg.OIDCClaim, Label: cfg.OIDCLabel})
	if err != nil {
		return nil, err
	}
	return p, nil
}
