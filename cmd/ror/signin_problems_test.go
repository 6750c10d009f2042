package main

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/ror-recherche/ror"
)

// TestSignInBadInputIsAProblem: every refusal of the sign-in and account
// routes is a problem+json naming its field.
func TestSignInBadInputIsAProblem(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	if err := app.db.Accounts().CreateUser(ctx, ror.Account{Name: "Admin Problèmes", Role: ror.RoleAdmin}, "administrateur-problemes", "test"); err != nil {
		t.Fatal(err)
	}
	if err := app.db.Accounts().CreateUser(ctx, ror.Account{Name: "Référent Problèmes", Role: ror.RoleReferent, Scope: []string{"010000024"}}, "referent-problemes", "test"); err != nil {
		t.Fatal(err)
	}
	admin := newBrowserClient(t, app)
	if code, _ := admin.signIn("Admin Problèmes", "administrateur-problemes"); code != 200 {
		t.Fatal("admin sign-in")
	}
	ref := newBrowserClient(t, app)
	if code, _ := ref.signIn("Référent Problèmes", "referent-problemes"); code != 200 {
		t.Fatal("référent sign-in")
	}
	anon := newBrowserClient(t, app)
	cases := []struct {
		who          *browserClient
		method, path string
		body         string
		status       int
		field        string // JSON pointer or parameter named; "" for none
	}{
		{anon, "POST", "/api/v1/session", `{"nom":"","mot_de_passe":"x"}`, 400, "/nom"},                        // no name
		{anon, "POST", "/api/v1/session", `{"nom":"Admin Problèmes"}`, 400, "/mot_de_passe"},                   // no password
		{anon, "POST", "/api/v1/session", `{"nom":"Admin Problèmes","mot_de_passe":"x","role":"a"}`, 400, "/"}, // unknown field
		{anon, "GET", "/api/v1/comptes", "", 401, "Authorization"},                                             // not signed in
		{ref, "GET", "/api/v1/comptes", "", 403, ""},                                                           // not an administrator
		{admin, "POST", "/api/v1/comptes", `{"nom":"Court","role":"lecteur","mot_de_passe":"court"}`, 400, "/mot_de_passe"},
		{admin, "POST", "/api/v1/comptes", `{"nom":"Roi","role":"roi","mot_de_passe":"assez-long-pour-passer"}`, 400, "/role"},
		{admin, "POST", "/api/v1/comptes", `{"nom":"a/b","role":"lecteur","mot_de_passe":"assez-long-pour-passer"}`, 400, "/nom"},
		{admin, "POST", "/api/v1/comptes", `{"nom":"P","role":"lecteur","perimetre":["123"],"mot_de_passe":"assez-long-pour-passer"}`, 400, "/perimetre"},
		{admin, "POST", "/api/v1/comptes", `{"nom":"Admin Problèmes","role":"lecteur","mot_de_passe":"assez-long-pour-passer"}`, 409, "/nom"}, // taken
		{admin, "POST", "/api/v1/comptes/Personne/mot-de-passe", `{"mot_de_passe":"assez-long-pour-passer"}`, 404, "nom"},
		{admin, "POST", "/api/v1/comptes/Admin%20Probl%C3%A8mes/revocation", "", 400, "nom"}, // not oneself
		{admin, "GET", "/api/v1/capacitaire/perimetre", "", 400, "eg"},                       // an administrator names the EG
		{ref, "GET", "/api/v1/capacitaire/perimetre", "", 403, ""},                           // beds are not the référents'
		{admin, "GET", "/api/v1/brouillons?statut=perdu", "", 400, "statut"},
		{ref, "GET", "/api/v1/brouillons?eg=010000032", "", 403, "eg"}, // outside the scope
		{anon, "GET", "/api/v1/nomenclature/inconnue", "", 404, "champ"},
		{anon, "GET", "/api/v1/oidc", "", 404, ""}, // not configured here
	}
	for _, c := range cases {
		code, body := c.who.do(c.method, c.path, c.body, true)
		var p struct {
			Type   string
			Errors []struct{ Pointer, Parameter string }
		}
		json.Unmarshal(body, &p)
		field := ""
		if len(p.Errors) > 0 {
			field = p.Errors[0].Pointer + p.Errors[0].Parameter
		}
		if code != c.status || p.Type == "" || field != c.field {
			t.Errorf("%s %s %s: got %d %s, want %d naming %q", c.method, c.path, c.body, code, body, c.status, c.field)
		}
	}
}
