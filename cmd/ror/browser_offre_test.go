package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ror-recherche/ror"
)

// TestBrowserMonOffre drives seed 003 in the browser on the real data: a
// kinésithérapeute signs in, fills « Mon offre (1/2) » and « (2/2) » from
// the nomenclature's lists (orientation respiratoire, home visits within
// 10 km) and publishes; a coordinator picks « Professionnels » in
// « Rechercher dans », types « kiné respiratoire » from the commune and
// sees that kiné first, « Se déplace à domicile », with km and minutes.
func TestBrowserMonOffre(t *testing.T) {
	app := sharedApp(t)
	ctx := browser(t)
	axe := axeSource(t)
	base := pageURL(t)
	shots := newShooter(t)
	// Limoges: far from the Mantes kinés of the API-level test, so that
	// the order seen here is this kiné's own.
	const rpps, account, pw, insee = "899990000311", "Kiné Limoges", "kine-de-limoges-2026", "87085"
	limoges, ok := app.svc.Pros.Gazetteer().Commune(insee)
	if !ok {
		t.Fatal("Limoges is not in the gazetteer")
	}
	if err := app.db.Accounts().CreateUser(context.Background(), ror.Account{Name: account, Role: ror.RoleProfessionnel, Scope: []string{rpps}}, pw, "test"); err != nil {
		t.Fatal(err)
	}

	t.Run("the kiné describes the offer in two steps from the nomenclature's lists", func(t *testing.T) {
		signInBrowser(t, ctx, base, account, pw)
		run(t, ctx, "« Mon offre (1/2) »", chromedp.WaitVisible(chromedp.ID("offre-etape-1")),
			waitJS(`document.querySelectorAll('#offre-activites option').length > 1`))
		axeCheck(t, ctx, axe, "mon offre 1/2")
		if got := eval[string](t, ctx, `document.getElementById('session').textContent`); !strings.Contains(got, account+" (professionnel de santé)") {
			t.Errorf("signed in as %q, want the account and its role in words", got)
		}
		if got := eval[string](t, ctx, `document.getElementById('offre-etape-1').textContent`); !strings.Contains(got, rpps) {
			t.Errorf("step 1 does not name the RPPS number %s: %.200q", rpps, got)
		}
		cabinet := eval[string](t, ctx, `[...document.querySelectorAll('#offre-type option')].find(o => o.textContent.includes('Cabinet de ville de kinésithérapie'))?.value || ''`)
		if cabinet != "195" {
			t.Fatalf("« Cabinet de ville de kinésithérapie » is %q in « Type d'offre », want J238 code 195", cabinet)
		}
		run(t, ctx, "identity, type, profession",
			chromedp.SendKeys(chromedp.ID("offre-nom"), "LIMOUSIN"),
			chromedp.SendKeys(chromedp.ID("offre-prenom"), "Anne"),
			chromedp.SetValue(chromedp.ID("offre-profession"), "70"),
			chromedp.SetValue(chromedp.ID("offre-type"), "195"))
		run(t, ctx, "filter the orientations on « respiratoire »",
			chromedp.SendKeys(chromedp.CSS(`input[aria-label^="Filtrer : Orientations"]`), "respiratoire"))
		visible := eval[[]string](t, ctx, `[...document.querySelectorAll('#offre-activites option')].filter(o => !o.hidden).map(o => o.value)`)
		if len(visible) == 0 || len(visible) > 10 || !strings.Contains(strings.Join(visible, " "), "419") {
			t.Errorf("filtered orientations %v, want a few with 419", visible)
		}
		label := eval[string](t, ctx, `document.querySelector('#offre-activites option[value="419"]')?.textContent || ''`)
		if !strings.Contains(label, "Kinésithérapie orientation Respiratoire") {
			t.Errorf("option 419 reads %q, want J17's « Kinésithérapie orientation Respiratoire »", label)
		}
		run(t, ctx, "choose 419, au cabinet and à domicile",
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#offre-activites option[value="419"]').selected = true`),
			chromedp.Focus(chromedp.ID("offre-mode-03")), chromedp.KeyEvent(" "),
			chromedp.Focus(chromedp.ID("offre-mode-05")), chromedp.KeyEvent(" "))
		shots.shot(ctx, "mon offre 1-2")
		run(t, ctx, "Suivant", chromedp.Focus(chromedp.ID("offre-suivant")), chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(chromedp.ID("offre-etape-2")))
		if !eval[bool](t, ctx, `document.getElementById('offre-etape-1').hidden`) {
			t.Error("step 1 still shown with step 2")
		}
		if f := eval[string](t, ctx, focused); f == "body" || f == "" {
			t.Errorf("focus on %q after « Suivant », want it in step 2", f)
		}
		axeCheck(t, ctx, axe, "mon offre 2/2")
		lat, lon := northOf(limoges.Point.Lat, limoges.Point.Lon, 1)
		run(t, ctx, "zone 10 km, commune, phone, position",
			chromedp.SendKeys(chromedp.ID("offre-zone"), "10"),
			chromedp.SendKeys(chromedp.ID("offre-commune"), insee),
			chromedp.SendKeys(chromedp.ID("offre-telephone"), "0555000000"),
			chromedp.SendKeys(chromedp.ID("offre-lat"), strconv.FormatFloat(lat, 'f', 5, 64)),
			chromedp.SendKeys(chromedp.ID("offre-lon"), strconv.FormatFloat(lon, 'f', 5, 64)))
		shots.shot(ctx, "mon offre 2-2")
		run(t, ctx, "Publier mon offre", chromedp.Focus(chromedp.ID("offre-publier")), chromedp.KeyEvent(kb.Enter),
			chromedp.WaitVisible(chromedp.ID("offre-publiee")))
		if f := eval[string](t, ctx, focused); f != "offre-publiee" {
			t.Errorf("focus on %q after publishing, want the confirmation", f)
		}
		axeCheck(t, ctx, axe, "offre publiée")
		// What is published is what was chosen, audited under the account.
		var mine struct {
			Lieux []struct {
				Activites []string `json:"activites"`
				Modes     []string `json:"modes"`
				ZoneKm    float64  `json:"zone_km"`
				Commune   string   `json:"commune"`
			} `json:"lieux"`
		}
		b := newBrowserClient(t, app)
		if code, out := b.signIn(account, pw); code != 200 {
			t.Fatalf("sign-in: %d %s", code, out)
		}
		if code, out := b.do("GET", "/api/v1/mon-offre", "", false); code != 200 {
			t.Fatalf("GET /mon-offre: %d %s", code, out)
		} else if err := json.Unmarshal(out, &mine); err != nil || len(mine.Lieux) != 1 {
			t.Fatalf("mon-offre %s: %v", out, err)
		}
		l := mine.Lieux[0]
		if strings.Join(l.Activites, ",") != "419" || strings.Join(l.Modes, ",") != "03,05" || l.ZoneKm != 10 || l.Commune != insee {
			t.Errorf("published %+v, want activité 419, modes 03 and 05, 10 km, commune %s", l, insee)
		}
		if log, err := app.db.Offer().Changes(context.Background(), rpps, 5); err != nil || len(log) != 1 || log[0].Author != account {
			t.Errorf("audit of %s: %+v %v", rpps, log, err)
		}
		// Coming back, the form shows what is published, ready to change.
		run(t, ctx, "« Mon offre » again", chromedp.Navigate(base+"/espace?vue=offre"),
			waitJS(`document.querySelectorAll('#offre-activites option').length > 1`))
		again := eval[string](t, ctx, `JSON.stringify({
			activites: [...document.getElementById('offre-activites').selectedOptions].map(o => o.value),
			type: document.getElementById('offre-type').value,
			modes: [...document.querySelectorAll('#offre-etape-1 input[type=checkbox]:checked')].map(b => b.value),
			zone: document.getElementById('offre-zone').value, commune: document.getElementById('offre-commune').value,
			lat: document.getElementById('offre-lat').value, identite: !!document.getElementById('offre-nom')})`)
		if want := `{"activites":["419"],"type":"195","modes":["03","05"],"zone":"10","commune":"` + insee + `","lat":"` + strconv.FormatFloat(lat, 'f', 5, 64) + `","identite":false}`; again != want {
			t.Errorf("the form again shows %s, want %s", again, want)
		}
		signOutBrowser(t, ctx)
	})

	t.Run("a coordinator finds the kiné first from the commune", func(t *testing.T) {
		run(t, ctx, "open the page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("ou")))
		run(t, ctx, "type limoges, pick it",
			chromedp.SendKeys(chromedp.ID("ou"), "limoges"),
			chromedp.WaitVisible(chromedp.CSS("#ou-list [role=option]")),
			chromedp.SendKeys(chromedp.ID("ou"), kb.ArrowDown+kb.Enter))
		run(t, ctx, "« Rechercher dans » : Professionnels",
			chromedp.Focus(chromedp.ID("dans")), chromedp.SetValue(chromedp.ID("dans"), "professionnels"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('dans').dispatchEvent(new Event('change', {bubbles: true}))`))
		if got := eval[string](t, ctx, `document.querySelector('label[for=critere] .fr-hint-text').textContent`); !strings.Contains(got, "Entrée") || !strings.Contains(got, "suggestion") {
			t.Errorf("criterion hint %q under « Professionnels », want a suggestion or typed words and Enter", got)
		}
		// The words typed, then Enter with the suggestions open and none
		// chosen: a search of the words as typed.
		run(t, ctx, "type « kiné respiratoire », the suggestions open",
			chromedp.SendKeys(chromedp.ID("critere"), "kiné respiratoire"),
			waitJS(`!document.getElementById('critere-list').hidden && document.querySelectorAll('#critere-list [role=option]').length > 0`))
		run(t, ctx, "Enter, none chosen",
			chromedp.SendKeys(chromedp.ID("critere"), kb.Enter),
			waitJS(`!!document.querySelector('#professionnels .pro-card')`))
		// Seen, not only in the DOM: at 1280 px the cards of a list are
		// the phone's, the professionals' are the only list there is.
		run(t, ctx, "the first card is on screen", chromedp.WaitVisible(chromedp.CSS(`#professionnels .pro-card .pro-domicile`)))
		shots.shot(ctx, "professionnels")
		axeCheck(t, ctx, axe, "recherche professionnels")
		loc := eval[string](t, ctx, `location.href`)
		if u, _ := url.Parse(loc); u.Query().Get("ou") != insee || u.Query().Get("dans") != "professionnels" || u.Query().Get("q") != "kiné respiratoire" {
			t.Errorf("URL %s, want ou=%s, dans=professionnels, q=kiné respiratoire", loc, insee)
		}
		first := eval[string](t, ctx, `document.querySelector('#professionnels .pro-card li[data-rpps]')?.dataset.rpps || ''`)
		if first != rpps {
			t.Fatalf("first professional %q, want %s", first, rpps)
		}
		card := eval[string](t, ctx, `document.querySelector('#professionnels .pro-card').textContent`)
		for _, want := range []string{"LIMOUSIN", "Se déplace à domicile", "km", "min", "Kinésithérapie orientation Respiratoire"} {
			if !strings.Contains(card, want) {
				t.Errorf("first card %q lacks %q", card, want)
			}
		}
		if got := eval[string](t, ctx, `document.getElementById('pros-source').textContent`); !strings.Contains(got, "Aucune extraction RPPS") {
			t.Errorf("source %q, want it to say the real data holds no RPPS extract", got)
		}
		// « Professionnels » lists professionals, not établissements.
		if n := eval[int](t, ctx, `document.querySelectorAll('#table-etablissements tr.eg-row').length`); n != 0 {
			t.Errorf("%d établissements listed under « Professionnels »", n)
		}
		// « respir » suggests the orientation declared; picking it ticks it
		// in the refine panel, which counts the professionals.
		run(t, ctx, "type « respir », pick « Kinésithérapie orientation Respiratoire »",
			chromedp.Evaluate[chromedp.Void](`document.getElementById('critere').value = ''`),
			chromedp.SendKeys(chromedp.ID("critere"), "respir"),
			waitJS(`[...document.querySelectorAll('#critere-list [role=option]')].some(o => o.textContent.includes('orientation Respiratoire'))`))
		run(t, ctx, "pick it", chromedp.Click(chromedp.Search(`//div[@role="option"][contains(., "orientation Respiratoire")]`)),
			waitJS(`new URLSearchParams(location.search).get('specificite') === 'J17:419' && !!document.querySelector('#professionnels .pro-card')`))
		run(t, ctx, "ticked in the refine panel", waitJS(`document.getElementById('f-specificite-J17_419')?.checked === true`))
		if got := eval[string](t, ctx, `document.querySelector('#professionnels .pro-card li[data-rpps]')?.dataset.rpps || ''`); got != rpps {
			t.Errorf("after picking the orientation, first professional %q, want %s", got, rpps)
		}
		axeCheck(t, ctx, axe, "professionnels par spécificité")
		run(t, ctx, "at 360 px", chromedp.EmulateViewport(360, 800), chromedp.WaitVisible(chromedp.CSS(`#professionnels .pro-card .pro-domicile`)))
		axeCheck(t, ctx, axe, "recherche professionnels à 360 px")
		shots.shot(ctx, "professionnels 360 px")
		run(t, ctx, "back to 1280 px", chromedp.EmulateViewport(1280, 900))
	})
}
