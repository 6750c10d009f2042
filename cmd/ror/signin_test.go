package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

// browserClient is an HTTP client that keeps cookies, as a browser does.
type browserClient struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func newBrowserClient(t *testing.T, app *App) *browserClient {
	jar, _ := cookiejar.New(nil)
	return &browserClient{t: t, base: "http://" + app.Addr(), c: &http.Client{Jar: jar}}
}

// do sends a JSON request with the session's cookie, and its CSRF token
// when withCSRF.
func (b *browserClient) do(method, path, body string, withCSRF bool) (int, []byte) {
	b.t.Helper()
	req, _ := http.NewRequest(method, b.base+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if withCSRF && b.csrf != "" {
		req.Header.Set("X-CSRF-Token", b.csrf)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// signIn opens a session and keeps its CSRF token.
func (b *browserClient) signIn(name, password string) (int, []byte) {
	b.t.Helper()
	body, _ := json.Marshal(map[string]string{"nom": name, "mot_de_passe": password})
	code, out := b.do("POST", "/api/v1/session", string(body), false)
	var v struct{ CSRF string }
	json.Unmarshal(out, &v)
	b.csrf = v.CSRF
	return code, out
}

func TestSignInSessionsAndCSRF(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	if err := app.db.Accounts().CreateUser(ctx, ror.Account{Name: "Gestionnaire Session", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}}, "lits-de-bourg-2026", "test"); err != nil {
		t.Fatal(err)
	}
	const put = "/api/v1/uo/010000024-REA/capacitaire"
	const beds = `{"lits_installes":12,"lits_fermes":1,"lits_disponibles":5}`
	b := newBrowserClient(t, app)
	t.Run("the right password opens a session whose cookie is HttpOnly and SameSite", func(t *testing.T) {
		req, _ := http.NewRequest("POST", b.base+"/api/v1/session", strings.NewReader(`{"nom":"Gestionnaire Session","mot_de_passe":"lits-de-bourg-2026"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		sc := resp.Header.Get("Set-Cookie")
		if resp.StatusCode != 200 || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Strict") || strings.Contains(sc, "Secure") {
			t.Errorf("got %d Set-Cookie %q, want 200 HttpOnly SameSite=Strict, not Secure over plain http", resp.StatusCode, sc)
		}
		if code, _ := b.signIn("Gestionnaire Session", "lits-de-bourg-2026"); code != 200 || b.csrf == "" {
			t.Fatalf("sign-in: got %d, csrf %q", code, b.csrf)
		}
	})
	t.Run("a write with the cookie but without the CSRF token is refused", func(t *testing.T) {
		if code, body := b.do("PUT", put, beds, false); code != 403 || !strings.Contains(string(body), "CSRF") {
			t.Errorf("got %d %s, want 403 naming CSRF", code, body)
		}
		saved := b.csrf
		b.csrf = "faux"
		if code, _ := b.do("PUT", put, beds, true); code != 403 {
			t.Errorf("a wrong token: got %d, want 403", code)
		}
		b.csrf = saved
		if code, body := b.do("PUT", put, beds, true); code != 200 {
			t.Errorf("with its token: got %d %s, want 200", code, body)
		}
	})
	t.Run("a write from another site is refused even with the token", func(t *testing.T) {
		req, _ := http.NewRequest("PUT", b.base+put, strings.NewReader(beds))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", b.csrf)
		req.Header.Set("Origin", "https://attaquant.example")
		resp, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("got %d, want 403", resp.StatusCode)
		}
	})
	t.Run("sign-out ends the session", func(t *testing.T) {
		if code, _ := b.do("DELETE", "/api/v1/session", "", true); code != 204 {
			t.Fatalf("sign-out: got %d", code)
		}
		if code, _ := b.do("GET", "/api/v1/session", "", false); code != 401 {
			t.Errorf("after sign-out: got %d, want 401", code)
		}
	})
	t.Run("five wrong passwords lock the account; an administrator's reset lifts it", func(t *testing.T) {
		if err := app.db.Accounts().CreateUser(ctx, ror.Account{Name: "Verrou", Role: ror.RoleLecteur}, "le-bon-mot-de-passe", "test"); err != nil {
			t.Fatal(err)
		}
		v := newBrowserClient(t, app)
		codes := []int{}
		for range 5 {
			code, _ := v.signIn("Verrou", "le-mauvais")
			codes = append(codes, code)
		}
		if codes[3] != 401 || codes[4] != 403 {
			t.Errorf("got %v, want four 401 then a 403", codes)
		}
		if code, body := v.signIn("Verrou", "le-bon-mot-de-passe"); code != 403 || !strings.Contains(string(body), "verrouillé") {
			t.Errorf("the right password while locked: got %d %s, want 403 « verrouillé »", code, body)
		}
		if err := app.db.Accounts().CreateUser(ctx, ror.Account{Name: "Admin Session", Role: ror.RoleAdmin}, "administrateur-2026", "test"); err != nil {
			t.Fatal(err)
		}
		a := newBrowserClient(t, app)
		a.signIn("Admin Session", "administrateur-2026")
		if code, body := a.do("POST", "/api/v1/comptes/Verrou/mot-de-passe", `{"mot_de_passe":"un-nouveau-mot-de-passe"}`, true); code != 200 {
			t.Fatalf("reset: got %d %s", code, body)
		}
		if code, _ := v.signIn("Verrou", "un-nouveau-mot-de-passe"); code != 200 {
			t.Errorf("after the reset: got %d, want 200", code)
		}
	})
}
