package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ror-recherche/ror"
)

// signInBrowser signs in on /espace with the keyboard: name, Tab,
// password, Enter; it waits for the page of the account.
func signInBrowser(t *testing.T, ctx context.Context, base, name, password string) {
	t.Helper()
	run(t, ctx, "open the sign-in form",
		chromedp.Navigate(base+"/espace"), chromedp.WaitVisible(chromedp.ID("connexion-nom")))
	run(t, ctx, "type name and password, Enter",
		chromedp.SendKeys(chromedp.ID("connexion-nom"), name), chromedp.KeyEvent(kb.Tab),
		chromedp.SendKeys(chromedp.ID("connexion-mdp"), password+kb.Enter),
		chromedp.WaitVisible(chromedp.ID("deconnexion")))
}

func signOutBrowser(t *testing.T, ctx context.Context) {
	t.Helper()
	run(t, ctx, "sign out", chromedp.Focus(chromedp.ID("deconnexion")), chromedp.KeyEvent(kb.Enter),
		chromedp.WaitVisible(chromedp.ID("connexion-nom")))
}

// TestBrowserGestion drives the espace de gestion on the real data: the
// first administrator (made as `ror admin` makes it) creates a bed manager
// and a référent in the browser; the bed manager changes three units and a
// coordinator sees the figures with their time; the référent's dossier
// creating a unit is validated and the unit is found; five wrong passwords
// lock an account; a write without its CSRF token is refused.
func TestBrowserGestion(t *testing.T) {
	app := sharedApp(t)
	ctx := browser(t)
	axe := axeSource(t)
	base := pageURL(t)
	shots := newShooter(t)
	const adminPW = "administratrice-2026"
	if err := app.db.Accounts().CreateUser(context.Background(), ror.Account{Name: "Alice Admin", Role: ror.RoleAdmin}, adminPW, "administration (ror admin)"); err != nil {
		t.Fatal(err)
	}

	t.Run("the administrator creates a bed manager and a référent in the browser", func(t *testing.T) {
		signInBrowser(t, ctx, base, "Alice Admin", adminPW)
		run(t, ctx, "open Comptes", chromedp.Navigate(base+"/espace?vue=comptes"), chromedp.WaitVisible(chromedp.ID("table-comptes")))
		axeCheck(t, ctx, axe, "comptes")
		for _, a := range []struct{ name, role string }{{"Bruno Lits", "gestionnaire_lits"}, {"Rose Référente", "referent"}} {
			run(t, ctx, "fill the form",
				chromedp.SendKeys(chromedp.ID("nouveau-nom"), a.name),
				chromedp.Evaluate[chromedp.Void](`document.getElementById('nouveau-role').value = '`+a.role+`'`),
				chromedp.SendKeys(chromedp.ID("nouveau-perimetre"), "010000024"),
				chromedp.SendKeys(chromedp.ID("nouveau-mdp"), "mot-de-passe-provisoire"+kb.Enter),
				waitJS(`!!document.querySelector('#table-comptes tr[data-compte="`+a.name+`"]')`))
		}
		run(t, ctx, "reset Bruno's password with the keyboard",
			chromedp.Focus(chromedp.CSS(`#table-comptes tr[data-compte="Bruno Lits"] button`)), chromedp.KeyEvent(kb.Enter),
			waitJS(`document.activeElement.id === 'compte-saisie-valeur'`),
			chromedp.SendKeys(chromedp.ID("compte-saisie-valeur"), "nouveau-mot-de-passe-lits"+kb.Enter),
			waitJS(`(document.getElementById('comptes-message-alerte')?.textContent || '').includes('Bruno')`))
		if got := eval[string](t, ctx, `document.getElementById('comptes-message-alerte').textContent`); !strings.Contains(got, "réinitialisé") {
			t.Errorf("got %q, want the reset confirmed", got)
		}
		axeCheck(t, ctx, axe, "comptes après réinitialisation")
		run(t, ctx, "list the administrator's own sessions",
			chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#table-comptes tr[data-compte="Alice Admin"] button')].find(b => b.textContent === 'Voir les sessions').focus()`),
			chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(chromedp.ID("sessions-compte")))
		if got := eval[string](t, ctx, `document.getElementById('sessions-titre').textContent`); !strings.Contains(got, ": 1") {
			t.Errorf("got %q, want one open session", got)
		}
		axeCheck(t, ctx, axe, "sessions d'un compte")
		shots.shot(ctx, "comptes")
		signOutBrowser(t, ctx)
	})

	units := []string{"010000024-REA", "010000024-MED", "010000024-CHI"}
	t.Run("a bed manager changes three units on one page, with the keyboard", func(t *testing.T) {
		signInBrowser(t, ctx, base, "Bruno Lits", "nouveau-mot-de-passe-lits")
		run(t, ctx, "the capacitaire table", waitJS(`!!document.querySelector('#capacitaire tr[data-uo="010000024-REA"]')`))
		axeCheck(t, ctx, axe, "capacitaire")
		for i, uo := range units {
			id := uo
			for _, f := range []struct{ field, value string }{{"lits_installes", "40"}, {"lits_fermes", "0"}, {"lits_indetermines", "0"}, {"lits_supplementaires", "2"}, {"lits_disponibles", []string{"11", "12", "13"}[i]}} {
				sel := `#` + f.field + `-` + id
				run(t, ctx, "type "+f.field+" of "+uo,
					chromedp.Evaluate[chromedp.Void](`document.querySelector('`+sel+`').select()`),
					chromedp.SendKeys(chromedp.CSS(sel), f.value))
			}
		}
		run(t, ctx, "Enter saves", chromedp.SendKeys(chromedp.CSS("#lits_disponibles-010000024-CHI"), kb.Enter),
			chromedp.WaitVisible(chromedp.ID("cap-resultat")))
		shots.shot(ctx, "capacitaire enregistré")
		if got := eval[string](t, ctx, `document.getElementById('cap-resultat').textContent`); !strings.Contains(got, "3 unités enregistrées") {
			t.Errorf("got %q, want « 3 unités enregistrées »", got)
		}
		if f := eval[string](t, ctx, focused); f != "cap-resultat" {
			t.Errorf("focus on %q after saving, want the result", f)
		}
		run(t, ctx, "an emptied figure is an error on its line, nothing sent",
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#lits_fermes-010000024-REA').value = ''`),
			chromedp.SendKeys(chromedp.CSS("#lits_disponibles-010000024-CHI"), kb.Enter),
			waitJS(`document.querySelector('tr[data-uo="010000024-REA"]').hasAttribute('data-erreur')`))
		if f := eval[string](t, ctx, focused); f != "lits_fermes-010000024-REA" {
			t.Errorf("focus on %q, want the emptied field", f)
		}
		run(t, ctx, "put it back", chromedp.SendKeys(chromedp.CSS("#lits_fermes-010000024-REA"), "0"))
		run(t, ctx, "a bad line shows its error on its line",
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#lits_disponibles-010000024-MED').select()`),
			chromedp.SendKeys(chromedp.CSS("#lits_disponibles-010000024-MED"), "99"+kb.Enter),
			waitJS(`document.querySelector('tr[data-uo="010000024-MED"]').hasAttribute('data-erreur')`))
		if got := eval[string](t, ctx, `document.querySelector('tr[data-uo="010000024-MED"] .ligne-erreur').textContent`); !strings.Contains(got, "disponibles") {
			t.Errorf("got line error %q, want the figures named", got)
		}
		axeCheck(t, ctx, axe, "capacitaire en erreur")

		t.Run("a write without the CSRF token is refused", func(t *testing.T) {
			code := evalAwait[int](t, ctx, `fetch('/api/v1/capacitaire', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '[{"uo":"010000024-REA","lits_installes":40,"lits_disponibles":0}]'}).then(r => r.status)`)
			if code != 403 {
				t.Errorf("JSON feed without token: got %d, want 403", code)
			}
			form := evalAwait[int](t, ctx, `fetch('/api/v1/comptes', {method: 'POST', body: new URLSearchParams({nom: 'Pirate', role: 'administrateur'})}).then(r => r.status)`)
			if form != 403 {
				t.Errorf("form post without token: got %d, want 403", form)
			}
		})
		run(t, ctx, "at 360 px", chromedp.EmulateViewport(360, 800))
		if !eval[bool](t, ctx, `document.getElementById('deconnexion').getBoundingClientRect().width > 0`) {
			t.Error("no visible « Se déconnecter » at 360 px")
		}
		axeCheck(t, ctx, axe, "capacitaire à 360 px")
		shots.shot(ctx, "capacitaire 360 px")
		run(t, ctx, "back to 1280 px", chromedp.EmulateViewport(1280, 900))
		signOutBrowser(t, ctx)
	})

	t.Run("a coordinator's proximity search shows the new figures with their time", func(t *testing.T) {
		run(t, ctx, "SAMU view for a réanimation near Bourg",
			chromedp.Navigate(base+"/?vue=proximite&ou=01053&besoin=reanimation"),
			waitJS(`[...document.querySelectorAll('.samu-card__beds')].some(p => p.textContent.includes('11 lits disponibles'))`))
		txt := eval[string](t, ctx, `[...document.querySelectorAll('.samu-card__beds')].find(p => p.textContent.includes('11 lits disponibles')).textContent`)
		shots.shot(ctx, "proximité après saisie")
		if !strings.Contains(txt, "sur 40 installés") || !strings.Contains(txt, "chiffre du") {
			t.Errorf("got %q, want 11 of 40 beds with the time of the figure", txt)
		}
		// The other two units, each found by a search on its type around Bourg.
		var fiche struct {
			UO []struct {
				ID     string `json:"id"`
				TypeUO struct {
					Code string `json:"code"`
				} `json:"type_uo"`
			} `json:"uo"`
		}
		get(t, app, "/api/v1/eg/010000024", &fiche)
		want := map[string]int{"010000024-MED": 12, "010000024-CHI": 13}
		for _, u := range fiche.UO {
			w, ok := want[u.ID]
			if !ok {
				continue
			}
			var s struct {
				Etablissements []struct {
					UO []struct {
						ID        string `json:"id"`
						LitsDispo *int   `json:"lits_disponibles"`
					} `json:"uo"`
				} `json:"etablissements"`
			}
			get(t, app, "/api/v1/search?ou=01053&dans=types-uo&code="+u.TypeUO.Code, &s)
			for _, eg := range s.Etablissements {
				for _, r := range eg.UO {
					if r.ID == u.ID && r.LitsDispo != nil && *r.LitsDispo == w {
						delete(want, u.ID)
					}
				}
			}
		}
		if len(want) > 0 {
			t.Errorf("search does not show the new figures of %v", want)
		}
	})

	var dossier string
	t.Run("a référent's dossier creates a unit and is sent for validation", func(t *testing.T) {
		signInBrowser(t, ctx, base, "Rose Référente", "mot-de-passe-provisoire")
		run(t, ctx, "open the dossiers of the EG", chromedp.Navigate(base+"/espace?vue=dossiers&eg=010000024"),
			waitJS(`document.querySelectorAll('#uo-type_uo option').length > 1`))
		axeCheck(t, ctx, axe, "dossiers")
		run(t, ctx, "fill the new unit",
			chromedp.SendKeys(chromedp.ID("uo-nom"), "Consultation obésité pédiatrique Bourg"),
			chromedp.SendKeys(chromedp.ID("uo-code"), "OBEPED"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('uo-type_uo').value = '167'; document.getElementById('uo-champ_activite').value = '01';
				[...document.getElementById('uo-activites').options].forEach(o => o.selected = o.value === '099')`),
			chromedp.Focus(chromedp.ID("uo-enfant")), chromedp.KeyEvent(" "),
			chromedp.Focus(chromedp.ID("uo-ajouter")), chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(chromedp.ID("dossier-envoyer")))
		shots.shot(ctx, "dossier")
		if got := eval[string](t, ctx, `document.getElementById('dossier-courant').textContent`); !strings.Contains(got, "Création d'une unité") {
			t.Errorf("got dossier %q, want the creation listed", got)
		}
		run(t, ctx, "send for validation", chromedp.Focus(chromedp.ID("dossier-envoyer")), chromedp.KeyEvent(kb.Enter),
			waitJS(`!!document.querySelector('#dossiers-liste li[data-statut="soumis"]')`))
		dossier = eval[string](t, ctx, `document.querySelector('#dossiers-liste li[data-statut="soumis"]').dataset.id`)
		axeCheck(t, ctx, axe, "dossier envoyé")
		signOutBrowser(t, ctx)
	})

	t.Run("the administrator validates it after its diff and the unit appears in a search", func(t *testing.T) {
		signInBrowser(t, ctx, base, "Alice Admin", adminPW)
		run(t, ctx, "open the validation queue", chromedp.Navigate(base+"/espace?vue=validation"),
			chromedp.WaitVisible(chromedp.CSS(`section.dossier[data-id="`+dossier+`"]`)))
		diff := eval[string](t, ctx, `document.querySelector('section.dossier[data-id="`+dossier+`"] .diff').textContent`)
		if !strings.Contains(diff, "Consultation obésité pédiatrique Bourg") {
			t.Errorf("got diff %q, want the new unit's name", diff)
		}
		axeCheck(t, ctx, axe, "validation")
		shots.shot(ctx, "validation")
		run(t, ctx, "Valider", chromedp.Focus(chromedp.CSS(`section.dossier[data-id="`+dossier+`"] button.valider`)), chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(chromedp.ID("validation-message-alerte")))
		if got := eval[string](t, ctx, `document.getElementById('validation-message-alerte').textContent`); !strings.Contains(got, "publié") {
			t.Errorf("got %q, want publié", got)
		}
		var s struct {
			Etablissements []struct {
				UO []struct{ ID string } `json:"uo"`
			} `json:"etablissements"`
		}
		get(t, app, "/api/v1/search?ou=01053&dans=types-uo&code=167", &s)
		found := false
		for _, eg := range s.Etablissements {
			for _, u := range eg.UO {
				found = found || u.ID == "010000024-OBEPED"
			}
		}
		if !found {
			t.Error("the new unit is not in the search")
		}
		run(t, ctx, "the EG's history names the dossier", chromedp.Navigate(base+"/espace?vue=historique&eg=010000024"),
			chromedp.WaitVisible(chromedp.ID("table-historique")))
		if got := eval[string](t, ctx, `document.getElementById('table-historique').textContent`); !strings.Contains(got, "brouillon "+dossier) {
			t.Errorf("history does not name dossier %s", dossier)
		}
		axeCheck(t, ctx, axe, "historique")
		run(t, ctx, "the reports inbox", chromedp.Navigate(base+"/espace?vue=signalements"), chromedp.WaitVisible(chromedp.ID("filtres-signalements")))
		axeCheck(t, ctx, axe, "signalements")
		signOutBrowser(t, ctx)
	})

	t.Run("five wrong passwords lock the account", func(t *testing.T) {
		run(t, ctx, "open the sign-in form", chromedp.Navigate(base+"/espace"), chromedp.WaitVisible(chromedp.ID("connexion-nom")))
		axeCheck(t, ctx, axe, "connexion")
		run(t, ctx, "type the name", chromedp.SendKeys(chromedp.ID("connexion-nom"), "Bruno Lits"))
		for range 5 {
			run(t, ctx, "a wrong password",
				chromedp.Evaluate[chromedp.Void](`document.getElementById('connexion-message').replaceChildren()`),
				chromedp.SendKeys(chromedp.ID("connexion-mdp"), "pas-le-bon"+kb.Enter),
				chromedp.WaitVisible(chromedp.ID("connexion-erreur")))
		}
		got := eval[string](t, ctx, `document.getElementById('connexion-erreur').textContent`)
		shots.shot(ctx, "verrouillé")
		if !strings.Contains(got, "verrouillé") {
			t.Errorf("after five failures: got %q, want « verrouillé »", got)
		}
		if f := eval[string](t, ctx, focused); f != "connexion-mdp" {
			t.Errorf("focus on %q, want the password", f)
		}
		axeCheck(t, ctx, axe, "connexion refusée")
	})
}

// evalAwait returns the value of a JavaScript promise in the page.
func evalAwait[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.60s: %v", expr, err)
	}
	return v
}
