package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/ror-recherche/ror"
)

// accounts is an in-memory ror.Accounts: token → account.
type accounts map[string]ror.Account

func (a accounts) Authenticate(ctx context.Context, token string) (*ror.Account, error) {
	acct, ok := a[token]
	if !ok || acct.Revoked {
		return nil, ror.Errorf(ror.Unauthorized, "Authorization", "Jeton inconnu, expiré ou révoqué.")
	}
	return &acct, nil
}

func (a accounts) CreateAccount(ctx context.Context, acct ror.Account) (string, error) {
	return "", nil
}

func (a accounts) Revoke(ctx context.Context, name string) error { return nil }

var testAccounts = accounts{
	"jeton-lecteur": {Name: "Lectrice", Role: ror.RoleLecteur},
	"jeton-lits":    {Name: "Gestionnaire", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}},
	"jeton-revoque": {Name: "Ancien", Role: ror.RoleAdmin, Revoked: true},
}

// readRoutes are every read route of /api/v1 the guard covers.
var readRoutes = []string{
	"/api/v1/communes?q=paris",
	"/api/v1/suggestions?q=urg",
	"/api/v1/search?ou=75110&dans=types-uo&q=urgences",
	"/api/v1/search.xlsx?ou=75110",
	"/api/v1/search.geojson?ou=75110",
	"/api/v1/departements.geojson",
	"/api/v1/eg/010000024",
	"/api/v1/proximite?ou=91228&besoin=urgences",
}

// status sends a GET with an optional token to a server without a
// directory: a request that passes the guard gets 503 (still loading), or
// 404 for the outlines (none configured), never 401.
func status(t *testing.T, s *Server, path, token string) (int, Problem, string) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.App().Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var p Problem
	json.Unmarshal(b, &p)
	return resp.StatusCode, p, resp.Header.Get("Content-Type")
}

func TestReadGuard(t *testing.T) {
	open := New(Config{Accounts: testAccounts, ReadRate: -1})
	closed := New(Config{Accounts: testAccounts, ReadRate: -1, ReadAuth: true})
	for _, path := range readRoutes {
		t.Run("open reads need no token: "+path, func(t *testing.T) {
			if code, _, _ := status(t, open, path, ""); code == 401 {
				t.Errorf("got %d, want past the guard", code)
			}
		})
		t.Run("authenticated reads refuse a request without a token: "+path, func(t *testing.T) {
			code, p, ctype := status(t, closed, path, "")
			if code != 401 || p.Type != "/problems/authentification" || ctype != "application/problem+json; charset=utf-8" {
				t.Errorf("got %d %+v (%s), want a 401 problem+json", code, p, ctype)
			}
		})
		cases := []struct {
			token  string
			passes bool
			why    string
		}{
			{"jeton-lecteur", true, "a lecteur reads"},
			{"jeton-lits", true, "any role reads, even outside its scope"},
			{"jeton-inconnu", false, "an unknown token does not"},
			{"jeton-revoque", false, "a revoked one neither, whatever its role"},
		}
		for _, c := range cases {
			if code, _, _ := status(t, closed, path, c.token); (code != 401) != c.passes {
				t.Errorf("%s, %s: got %d", path, c.why, code)
			}
		}
	}
	t.Run("health, readiness, metrics and the page stay open", func(t *testing.T) {
		for path, want := range map[string]int{"/healthz": 200, "/readyz": 503, "/metrics": 200, "/": 200} {
			if code, _, _ := status(t, closed, path, ""); code != want {
				t.Errorf("%s: got %d, want %d", path, code, want)
			}
		}
	})
}
