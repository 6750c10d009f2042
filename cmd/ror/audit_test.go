package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

// TestEveryWriteRouteIsAudited takes the write routes from the server's
// route table itself (Fiber's GetRoutes) and runs a valid write on each:
// every one leaves at least one audit entry in the EG's history. A write
// route added without a recipe here fails the test, so no write escapes
// the trail.
func TestEveryWriteRouteIsAudited(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	const eg = "010000024"
	admin, _ := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Audit Admin", Role: ror.RoleAdmin})
	gest, _ := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Audit Gestionnaire", Role: ror.RoleGestionnaire, Scope: []string{eg}})
	ref, _ := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Audit Référent", Role: ror.RoleReferent, Scope: []string{eg}})
	history := func() int {
		h, err := app.db.Offer().Changes(ctx, eg, 100000)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	// do sends a write that must succeed; every call must add to the trail.
	do := func(method, path, tok, ctype, body string) []byte {
		t.Helper()
		before := history()
		code, b := send(t, app, method, path, tok, ctype, body)
		if code >= 300 {
			t.Fatalf("%s %s: got %d %s", method, path, code, b)
		}
		if after := history(); after <= before {
			t.Errorf("%s %s answered %d but left no audit entry", method, path, code)
		}
		return b
	}
	// doFor is do for a write whose trail is under another record (an
	// account's: its name).
	doFor := func(id, method, path, tok, body string) []byte {
		t.Helper()
		count := func() int {
			h, err := app.db.Offer().Changes(ctx, id, 100000)
			if err != nil {
				t.Fatal(err)
			}
			return len(h)
		}
		before := count()
		code, b := send(t, app, method, path, tok, "application/json", body)
		if code >= 300 {
			t.Fatalf("%s %s: got %d %s", method, path, code, b)
		}
		if count() <= before {
			t.Errorf("%s %s answered %d but left no audit entry under %s", method, path, code, id)
		}
		return b
	}
	const user = "Audit Utilisatrice"
	password := "un mot de passe assez long"
	created := false
	ensureUser := func() {
		if !created {
			doFor(user, "POST", "/api/v1/comptes", admin, `{"nom":"`+user+`","role":"lecteur","mot_de_passe":"`+password+`"}`)
			created = true
		}
	}
	draft := func() ror.Draft {
		t.Helper()
		b := do("POST", "/api/v1/brouillons", ref, "application/json",
			`{"finess_eg":"`+eg+`","operations":[{"op":"modifier_eg","eg":{"telephone":"0474454600","email":"accueil@ch-bourg.example","horaires":"24h/24"},"version_base":1}]}`)
		var d ror.Draft
		json.Unmarshal(b, &d)
		return d
	}
	report := func() string {
		t.Helper()
		b := do("POST", "/api/v1/anomalies", "", "application/json",
			`{"finess":"`+eg+`","champ":"telephone","description":"Le numéro a changé","email":"a.b@example.org"}`)
		var r struct{ ID string }
		json.Unmarshal(b, &r)
		return r.ID
	}
	now := func() string { return time.Now().UTC().Format(time.RFC3339Nano) }
	recipes := map[string]func(){
		// Accounts and sign-in: the trail is the account's.
		"POST /api/v1/comptes": func() { ensureUser() },
		"POST /api/v1/session": func() {
			ensureUser()
			doFor(user, "POST", "/api/v1/session", "", `{"nom":"`+user+`","mot_de_passe":"`+password+`"}`)
		},
		"POST /api/v1/comptes/:nom/mot-de-passe": func() {
			ensureUser()
			password += " bis"
			doFor(user, "POST", "/api/v1/comptes/"+url.PathEscape(user)+"/mot-de-passe", admin, `{"mot_de_passe":"`+password+`"}`)
		},
		"POST /api/v1/comptes/:nom/jetons": func() {
			ensureUser()
			doFor(user, "POST", "/api/v1/comptes/"+url.PathEscape(user)+"/jetons", admin, `{}`)
		},
		"POST /api/v1/comptes/:nom/revocation": func() {
			ensureUser()
			doFor(user, "POST", "/api/v1/comptes/"+url.PathEscape(user)+"/revocation", admin, `{}`)
		},
		"DELETE /api/v1/comptes/:nom/jetons": func() {
			ensureUser()
			doFor(user, "DELETE", "/api/v1/comptes/"+url.PathEscape(user)+"/jetons", admin, "")
		},
		"DELETE /api/v1/comptes/:nom/sessions": func() {
			const other = "Audit Sessions" // an account of its own: the first may be revoked by then
			doFor(other, "POST", "/api/v1/comptes", admin, `{"nom":"`+other+`","role":"lecteur","mot_de_passe":"un mot de passe assez long"}`)
			doFor(other, "POST", "/api/v1/session", "", `{"nom":"`+other+`","mot_de_passe":"un mot de passe assez long"}`)
			doFor(other, "DELETE", "/api/v1/comptes/"+url.PathEscape(other)+"/sessions", admin, "")
		},
		"DELETE /api/v1/session": func() {
			// A signed-in browser signs out: its cookie and CSRF token (an
			// account of its own: the others' may be revoked by then).
			const other = "Audit Sortante"
			doFor(other, "POST", "/api/v1/comptes", admin, `{"nom":"`+other+`","role":"lecteur","mot_de_passe":"un mot de passe assez long"}`)
			before, _ := app.db.Offer().Changes(ctx, other, 100000)
			resp, err := http.Post("http://"+app.Addr()+"/api/v1/session", "application/json",
				strings.NewReader(`{"nom":"`+other+`","mot_de_passe":"un mot de passe assez long"}`))
			if err != nil {
				t.Fatal(err)
			}
			var sess struct{ CSRF string }
			json.NewDecoder(resp.Body).Decode(&sess)
			resp.Body.Close()
			req, _ := http.NewRequest("DELETE", "http://"+app.Addr()+"/api/v1/session", nil)
			for _, c := range resp.Cookies() {
				req.AddCookie(c)
			}
			req.Header.Set("X-CSRF-Token", sess.CSRF)
			out, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			out.Body.Close()
			if out.StatusCode >= 300 {
				t.Fatalf("DELETE /api/v1/session: got %d", out.StatusCode)
			}
			if after, _ := app.db.Offer().Changes(ctx, other, 100000); len(after) < len(before)+2 {
				t.Errorf("a sign-in and a sign-out left %d audit entries, want 2", len(after)-len(before))
			}
		},
		"POST /api/v1/comptes/:nom/oidc": func() {
			ensureUser()
			doFor(user, "POST", "/api/v1/comptes/"+url.PathEscape(user)+"/oidc", admin, `{"identite":"https://psc.example|audit-utilisatrice"}`)
		},
		"PUT /api/v1/uo/:id/capacitaire": func() {
			do("PUT", "/api/v1/uo/"+eg+"-SI/capacitaire", gest, "application/json", `{"lits_installes":6,"lits_disponibles":2,"maj":"`+now()+`"}`)
		},
		"POST /api/v1/capacitaire": func() {
			do("POST", "/api/v1/capacitaire", gest, "application/json", `[{"uo":"`+eg+`-SI","lits_installes":6,"lits_disponibles":3,"maj":"`+now()+`"}]`)
		},
		"POST /api/v1/anomalies": func() { report() },
		"POST /api/v1/anomalies/:id/cloture": func() {
			do("POST", "/api/v1/anomalies/"+report()+"/cloture", ref, "application/json", `{"resolution":"Numéro corrigé"}`)
		},
		"POST /api/v1/brouillons": func() { draft() },
		// A professional's own description and the reports on them: the
		// trail is under their RPPS number.
		"PUT /api/v1/mon-offre": func() {
			proSession(t, app).put("899990000401", `{"nom":"AUDIT","profession":"70","type_offre":"195","activites":["339"],"modes":["03"],"commune":"33063"}`)
		},
		"POST /api/v1/mon-offre/verification": func() {
			// A check of step 1: it writes nothing, so it leaves no trail.
			b := proSession(t, app)
			before, _ := app.db.Offer().Changes(ctx, "899990000401", 100000)
			if code, out := b.c.do("POST", "/api/v1/mon-offre/verification?etape=1", `{"nom":"AUDIT","profession":"70","type_offre":"195","modes":["03"]}`, true); code != 200 {
				t.Fatalf("verification: %d %s", code, out)
			}
			if after, _ := app.db.Offer().Changes(ctx, "899990000401", 100000); len(after) != len(before) {
				t.Errorf("a check of step 1 wrote %d audit entries", len(after)-len(before))
			}
		},
		"POST /api/v1/professionnels/:rpps/anomalies": func() {
			proSession(t, app).put("899990000401", `{"nom":"AUDIT","profession":"70","type_offre":"195","activites":["339"],"modes":["03"],"commune":"33063"}`)
			doFor("899990000401", "POST", "/api/v1/professionnels/899990000401/anomalies", "", `{"champ":"telephone","description":"Le numéro a changé."}`)
		},
		"PUT /api/v1/brouillons/:id": func() {
			d := draft()
			do("PUT", "/api/v1/brouillons/"+d.ID, ref, "application/json",
				fmt.Sprintf(`{"version":%d,"operations":[{"op":"modifier_eg","eg":{"telephone":"0474454601","email":"","horaires":""},"version_base":1}]}`, d.Version))
		},
		"POST /api/v1/brouillons/:id/:action": func() {
			d := draft() // submitted, rejected, submitted again, validated
			do("POST", "/api/v1/brouillons/"+d.ID+"/soumettre", ref, "application/json", fmt.Sprintf(`{"version":%d}`, d.Version))
			do("POST", "/api/v1/brouillons/"+d.ID+"/rejeter", admin, "application/json", `{"motif":"Horaires à préciser"}`)
			do("POST", "/api/v1/brouillons/"+d.ID+"/soumettre", ref, "application/json", fmt.Sprintf(`{"version":%d}`, d.Version+2))
			b := do("POST", "/api/v1/brouillons/"+d.ID+"/valider", admin, "application/json", `{"date_effet":"`+time.Now().Add(48*time.Hour).UTC().Format(time.RFC3339)+`"}`)
			if !strings.Contains(string(b), `"valide"`) {
				t.Errorf("validation for a date: %s", b)
			}
		},
	}
	seen := map[string]bool{}
	for _, r := range app.srv.App().GetRoutes(true) {
		switch r.Method {
		case "GET", "HEAD", "OPTIONS", "CONNECT", "TRACE", methodUnknownForTest:
			continue
		}
		key := r.Method + " " + r.Path
		if seen[key] {
			continue
		}
		if strings.HasPrefix(r.Path, "/fhir/") && r.Path != "/fhir/*" {
			continue // FHIR's POST searches, export kick-off and its forgetting read the offer: nothing to audit
		}
		seen[key] = true
		t.Run(key, func(t *testing.T) {
			if r.Path == "/fhir/*" {
				// The FHIR group's admission middleware, for every method;
				// FHIR is read-only: a write there is refused, so no trail.
				if code, b := send(t, app, r.Method, "/fhir/Organization", admin, "application/fhir+json", `{}`); code != 405 {
					t.Errorf("%s /fhir/Organization: got %d %s, want 405", r.Method, code, b)
				}
				return
			}
			recipe, ok := recipes[key]
			if !ok {
				t.Fatalf("the write route %s has no audit check here: add one", key)
			}
			recipe()
		})
	}
	if len(seen) < len(recipes)+4 {
		t.Errorf("the route table has %d write routes, the recipes name %d and FHIR 4: a route went away?", len(seen), len(recipes))
	}
}

// methodUnknownForTest is api's stand-in for methods Fiber does not know:
// no route is registered under it.
const methodUnknownForTest = "X-METHODE-INCONNUE"

// proAudit is a signed-in professional of the audit test.
type proAudit struct{ c *browserClient }

var proAuditOnce sync.Once

// proSession signs in the audit test's professional (created once).
func proSession(t *testing.T, app *App) proAudit {
	t.Helper()
	proAuditOnce.Do(func() {
		if err := app.db.Accounts().CreateUser(context.Background(), ror.Account{Name: "Audit Kiné", Role: ror.RoleProfessionnel, Scope: []string{"899990000401"}}, "un mot de passe assez long", "test"); err != nil {
			t.Fatal(err)
		}
	})
	b := newBrowserClient(t, app)
	if code, out := b.signIn("Audit Kiné", "un mot de passe assez long"); code != 200 {
		t.Fatalf("sign-in: %d %s", code, out)
	}
	return proAudit{b}
}

// put publishes body as « Mon offre »; the trail is under rpps.
func (p proAudit) put(rpps, body string) {
	p.c.t.Helper()
	before, _ := sharedAppDB().Offer().Changes(context.Background(), rpps, 100000)
	if code, out := p.c.do("PUT", "/api/v1/mon-offre", body, true); code != 200 {
		p.c.t.Fatalf("PUT /api/v1/mon-offre: %d %s", code, out)
	}
	if after, _ := sharedAppDB().Offer().Changes(context.Background(), rpps, 100000); len(after) <= len(before) {
		p.c.t.Errorf("PUT /api/v1/mon-offre answered 200 but left no audit entry under %s", rpps)
	}
}

func sharedAppDB() *store.DB { return shared.db }
