package main

import (
	"context"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/internal/sources"
)

func TestReadAuthConfig(t *testing.T) {
	cases := []struct {
		env  string
		args []string
		want bool
		why  string
	}{
		{"", nil, false, "reads are open by default"},
		{"1", nil, true, "ROR_READ_AUTH=1 closes them"},
		{"oui", nil, true, "in French too"},
		{"1", []string{"-read-auth=false"}, false, "a flag overrides the variable"},
		{"", []string{"-read-auth"}, true, "the flag alone"},
	}
	for _, c := range cases {
		env := map[string]string{"ROR_READ_AUTH": c.env}
		cfg, err := ParseFlags(c.args, func(k string) string { return env[k] }, &strings.Builder{})
		if err != nil || cfg.ReadAuth != c.want {
			t.Errorf("%s: got %v (%v), want %v", c.why, cfg.ReadAuth, err, c.want)
		}
	}
}

// TestReadsNeedATokenWhenConfigured serves the real data with -read-auth:
// a search needs a token of any role, health and the page do not.
func TestReadsNeedATokenWhenConfigured(t *testing.T) {
	if testing.Short() {
		t.Skip("starts its own service")
	}
	app := startApp(t, t.TempDir(), sources.Dir(t), slice, func(a *App) { a.cfg.ReadAuth = true })
	defer app.Close()
	ctx := context.Background()
	lecteur, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Régulateur SAMU 01", Role: ror.RoleLecteur})
	if err != nil {
		t.Fatal(err)
	}
	const search = "/api/v1/search?ou=01053&dans=types-uo&q=urgences"
	if code, b := send(t, app, "GET", search, "", "", ""); code != 401 || !strings.Contains(string(b), "/problems/authentification") {
		t.Errorf("without a token: got %d %.200s, want a 401 problem", code, b)
	}
	if code, b := send(t, app, "GET", search, lecteur, "", ""); code != 200 || !strings.Contains(string(b), `"etablissements"`) {
		t.Errorf("a lecteur: got %d %.200s, want the results", code, b)
	}
	const fhirSearch = "/fhir/HealthcareService?specialty=157&_count=1"
	if code, b := send(t, app, "GET", fhirSearch, "", "", ""); code != 401 || !strings.Contains(string(b), `"OperationOutcome"`) {
		t.Errorf("FHIR without a token: got %d %.200s, want a 401 OperationOutcome", code, b)
	}
	if code, b := send(t, app, "GET", fhirSearch, lecteur, "", ""); code != 200 || !strings.Contains(string(b), `"searchset"`) {
		t.Errorf("FHIR for a lecteur: got %d %.200s, want a searchset", code, b)
	}
	if err := app.db.Accounts().Revoke(ctx, "Régulateur SAMU 01"); err != nil {
		t.Fatal(err)
	}
	if code, _ := send(t, app, "GET", "/api/v1/eg/010000024", lecteur, "", ""); code != 401 {
		t.Errorf("a revoked token: got %d, want 401", code)
	}
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/"} {
		if code, _ := send(t, app, "GET", path, "", "", ""); code != 200 {
			t.Errorf("%s: got %d, want 200 without a token", path, code)
		}
	}
}
