package main

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/internal/sources"
)

// startProvider runs zitadel/oidc's OpenID Provider (its op package, with
// the in-memory storage of its example server: users test-user@127.0.0.1
// and test-user2, password verysecure) on loopback, with ror registered as
// a web client (client_secret_basic) whose callback is redirect.
func startProvider(t *testing.T, redirect string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	issuer := "http://" + ln.Addr().String() + "/"
	clients := map[string]*storage.Client{"ror": storage.WebClient("ror", "secret-de-test", redirect)}
	store := storage.NewStorageWithClients(storage.NewUserStore(issuer), clients)
	srv := &http.Server{Handler: exampleop.SetupServer(issuer, store, nil, false)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return issuer
}

// TestBrowserOIDC signs in through a real OpenID Connect provider started
// by the test: the service discovers it, sends the browser to its login
// page, verifies the ID token of the callback (signature, audience, nonce,
// PKCE) and opens the session of the account linked to the identity; an
// identity linked to no account is refused with a reason.
func TestBrowserOIDC(t *testing.T) {
	src := sources.Dir(t)
	addr := freeAddr(t)
	issuer := startProvider(t, "http://"+addr+"/api/v1/oidc/retour")
	app := startApp(t, t.TempDir(), src, func(a *App) {
		a.cfg.Addr = addr
		a.cfg.Signin.OIDCIssuer, a.cfg.Signin.OIDCClientID, a.cfg.Signin.OIDCClientSecret = issuer, "ror", "secret-de-test"
		a.cfg.Signin.OIDCRedirect, a.cfg.Signin.OIDCLabel = "http://"+addr+"/api/v1/oidc/retour", "Pro Santé Connect (test)"
	})
	defer app.Close()
	ctx := context.Background()
	if err := app.db.Accounts().CreateUser(ctx, ror.Account{Name: "Dr Test PSC", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}}, "un-mot-de-passe-de-secours", "test"); err != nil {
		t.Fatal(err)
	}
	if err := app.db.Accounts().LinkIdentity(ctx, "Dr Test PSC", "id1", "test"); err != nil { // id1: the provider's subject of test-user
		t.Fatal(err)
	}
	bctx := browser(t)
	axe := axeSource(t)
	base := "http://" + addr
	shots := newShooter(t)

	signInAt := func(t *testing.T, user string) {
		t.Helper()
		run(t, bctx, "the sign-in page offers the provider",
			chromedp.Navigate(base+"/espace"), chromedp.WaitVisible(chromedp.ID("connexion-oidc-lien")))
		run(t, bctx, "follow it with the keyboard to the provider's login page",
			chromedp.Focus(chromedp.ID("connexion-oidc-lien")), chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(chromedp.ID("username")))
		run(t, bctx, "sign in at the provider",
			chromedp.SendKeys(chromedp.ID("username"), user),
			chromedp.SendKeys(chromedp.ID("password"), "verysecure"+kb.Enter))
	}

	t.Run("a linked identity opens the session of its account", func(t *testing.T) {
		signInAt(t, "test-user@127.0.0.1")
		run(t, bctx, "back on the espace, signed in", chromedp.WaitVisible(chromedp.ID("deconnexion")),
			waitJS(`!!document.querySelector('#capacitaire tr[data-uo]')`))
		shots.shot(bctx, "oidc connecté")
		if who := eval[string](t, bctx, `document.getElementById('compte-nom').textContent`); !strings.Contains(who, "Dr Test PSC") {
			t.Errorf("signed in as %q, want Dr Test PSC", who)
		}
		axeCheck(t, bctx, axe, "capacitaire après OpenID Connect")
		signOutBrowser(t, bctx)
		axeCheck(t, bctx, axe, "connexion avec OpenID Connect")
	})
	t.Run("an identity linked to no account is refused, saying why", func(t *testing.T) {
		signInAt(t, "test-user2")
		run(t, bctx, "back on the sign-in form with the reason", chromedp.WaitVisible(chromedp.ID("connexion-erreur")))
		if got := eval[string](t, bctx, `document.getElementById('connexion-erreur').textContent`); !strings.Contains(got, "aucun compte") {
			t.Errorf("got %q, want « aucun compte »", got)
		}
		if code := evalAwait[int](t, bctx, `fetch('/api/v1/session').then(r => r.status)`); code != 401 {
			t.Errorf("session after a refused identity: got %d, want 401", code)
		}
	})
	t.Run("a callback with a forged state is refused", func(t *testing.T) {
		run(t, bctx, "forged callback", chromedp.Navigate(base+"/api/v1/oidc/retour?code=x&state=forge"),
			chromedp.WaitVisible(chromedp.ID("connexion-erreur")))
		if got := eval[string](t, bctx, `document.getElementById('connexion-erreur').textContent`); !strings.Contains(got, "expiré") {
			t.Errorf("got %q, want the state refused", got)
		}
	})
}
