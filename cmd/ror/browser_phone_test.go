package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/ror-recherche/ror"
)

// axeSource is axe-core, api/web's devDependency (`make test` installs it).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "api", "web", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("ROR_REQUIRE_NODE") != "" {
			t.Fatalf("axe-core missing (make node-deps): %v", err)
		}
		t.Skipf("axe-core missing (make node-deps): %v", err)
	}
	return string(b)
}

// axeCheck runs axe-core's WCAG 2.1 A and AA rules on the page as it is and
// fails on any violation, naming the state, the rule and the first nodes.
func axeCheck(t *testing.T, ctx context.Context, src, state string) {
	t.Helper()
	if !eval[bool](t, ctx, `typeof window.axe === 'object'`) {
		run(t, ctx, "load axe-core", chromedp.Evaluate[chromedp.Void](src))
	}
	cctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	out, err := chromedp.Run(cctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
		.then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("axe on %s: %v", state, err)
	}
	var violations []struct {
		ID, Help string
		Nodes    []string
	}
	if err := json.Unmarshal([]byte(out), &violations); err != nil {
		t.Fatalf("axe on %s: %v", state, err)
	}
	for _, v := range violations {
		t.Errorf("axe, %s: %s (%s) on %s", state, v.ID, v.Help, strings.Join(v.Nodes, ", "))
	}
}

// focused names the element that has the focus: its id, else its tag.
const focused = `(() => { const a = document.activeElement; return a ? (a.id || a.tagName.toLowerCase()) : ''; })()`

// TestBrowserPhone drives the page at 360 px as a coordinator on a phone:
// cards instead of a sideways-scrolling table, the form folded once a
// search ran, a map and popup that fit, a fiche with the matched units
// first; axe-core finds no violation in any state.
func TestBrowserPhone(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	base := pageURL(t)
	shots := newShooter(t)
	run(t, ctx, "a 360 px phone", chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2)))

	run(t, ctx, "open the page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("ou")))
	shots.shot(ctx, "telephone-accueil")
	axeCheck(t, ctx, axe, "accueil 360")

	t.Run("results are cards on the first screen, phone and fiche at hand", func(t *testing.T) {
		run(t, ctx, "search emergencies from Paris 10",
			chromedp.Navigate(base+"/?ou=75110&dans=types-uo&code=20&libelle=Urgences"),
			chromedp.WaitVisible(chromedp.CSS("#cartes-etablissements li.eg-card")))
		shots.shot(ctx, "telephone-cartes")
		if eval[bool](t, ctx, `getComputedStyle(document.querySelector('.results-table')).display !== 'none'`) {
			t.Error("the table is shown at 360 px, want the cards only")
		}
		if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("the page is %d px wide at 360: it scrolls sideways", w)
		}
		if top := eval[float64](t, ctx, `document.querySelector('#cartes-etablissements li').getBoundingClientRect().top`); top > 740 {
			t.Errorf("the first result starts at %.0f px, below the first screen (740)", top)
		}
		card := eval[string](t, ctx, `document.querySelector('#cartes-etablissements li').textContent`)
		if !strings.Contains(card, "km") || !strings.Contains(card, "≈") || !strings.Contains(card, "min") {
			t.Errorf("first card %q, want its km and its estimated minutes (≈)", card)
		}
		// Each unit says where its description comes from, as the fiche does.
		units, told := eval[int](t, ctx, `document.querySelectorAll('#cartes-etablissements .eg-card__units > li').length`),
			eval[int](t, ctx, `[...document.querySelectorAll('#cartes-etablissements .eg-card__units > li .uo-provenance')].filter(p => p.textContent.startsWith('description ')).length`)
		if units == 0 || told != units {
			t.Errorf("%d of %d units of the cards tell their provenance, want all", told, units)
		}
		tel := eval[[]float64](t, ctx, `(() => { const r = document.querySelector('#cartes-etablissements a[href^="tel:"]').getBoundingClientRect(); return [r.height, r.right]; })()`)
		if tel[0] < 44 || tel[1] > 360 {
			t.Errorf("the phone link is %.0f px high ending at %.0f px, want a 44 px tap target inside the screen", tel[0], tel[1])
		}
		if right := eval[float64](t, ctx, `[...document.querySelectorAll('#cartes-etablissements li')[0].querySelectorAll('a')].find(a => a.textContent.startsWith('Ouvrir la fiche')).getBoundingClientRect().right`); right > 360 {
			t.Errorf("« Ouvrir la fiche » ends at %.0f px, cut off at 360", right)
		}
		if eval[bool](t, ctx, `document.getElementById('recherche-champs').offsetParent !== null`) {
			t.Error("the form stays unfolded above the results")
		}
		if n := eval[string](t, ctx, `document.getElementById('resultats-annonce').textContent`); !strings.Contains(n, "établissement") {
			t.Errorf("live region says %q, want the count", n)
		}
		axeCheck(t, ctx, axe, "cartes 360")
		run(t, ctx, "unfold the form", chromedp.Click(chromedp.ID("modifier-recherche")), waitJS(`document.getElementById('recherche-champs').offsetParent !== null`))
		if f := eval[string](t, ctx, focused); f != "ou" {
			t.Errorf("focus on %q after « Modifier la recherche », want the « Où ? » field", f)
		}
	})

	t.Run("the map and its popup fit 360 px, in French, the phone in the popup", func(t *testing.T) {
		run(t, ctx, "open the map",
			chromedp.Click(chromedp.CSS(`label[for="vue-carte"]`)),
			waitJS(`document.querySelectorAll('#carte .eg-marker, #carte .eg-cluster').length > 0`),
			chromedp.Sleep(400*time.Millisecond))
		if z := eval[string](t, ctx, `document.querySelector('#carte .leaflet-control-zoom-in').getAttribute('title')`); z != "Zoom avant" {
			t.Errorf("zoom control titled %q, want « Zoom avant »", z)
		}
		// The names come with the gazetteer's GeoJSON, fetched once the map
		// opens: waited for, not assumed after a fixed delay.
		named, cancel := context.WithTimeout(ctx, stepTimeout)
		if err := chromedp.Do(named, waitJS(`document.querySelectorAll('#carte .place-name').length > 0`)); err != nil {
			t.Errorf("no place name on the offline map: %v", err)
		}
		cancel()
		if bad := eval[int](t, ctx, `[...document.querySelectorAll('#carte .eg-cluster')].filter(c => !(c.getAttribute('aria-label') || '').startsWith('Groupe de')).length`); bad > 0 {
			t.Errorf("%d clusters without a French name", bad)
		}
		// Clusters zoom in when clicked, until an établissement shows.
		for i := 0; i < 8 && !eval[bool](t, ctx, `document.querySelector('#carte .eg-marker') !== null`); i++ {
			run(t, ctx, "click a cluster", chromedp.Evaluate[chromedp.Void](`void document.querySelector('#carte .eg-cluster')?.click()`), chromedp.Sleep(700*time.Millisecond))
		}
		run(t, ctx, "open the popup of an établissement",
			chromedp.Evaluate[chromedp.Void](`void document.querySelector('#carte .eg-marker').click()`),
			waitJS(`document.querySelector('#carte .leaflet-popup') !== null`),
			chromedp.Sleep(400*time.Millisecond))
		shots.shot(ctx, "telephone-popup")
		box := eval[[]float64](t, ctx, `(() => { const r = document.querySelector('#carte .leaflet-popup-content-wrapper').getBoundingClientRect(); return [r.left, r.right]; })()`)
		if box[0] < 0 || box[1] > 360 {
			t.Errorf("popup spans %.0f–%.0f px, want inside 0–360", box[0], box[1])
		}
		if !eval[bool](t, ctx, `document.querySelector('#carte .leaflet-popup a[href^="tel:"]') !== null`) {
			t.Error("no phone in the popup")
		}
		if c := eval[string](t, ctx, `document.querySelector('#carte .leaflet-popup-close-button').getAttribute('aria-label')`); !strings.HasPrefix(c, "Fermer") {
			t.Errorf("popup close button named %q, want French", c)
		}
		overlap := eval[bool](t, ctx, `(() => {
			const a = document.querySelector('#carte .leaflet-popup-content p').getBoundingClientRect();
			const b = document.querySelector('#carte .leaflet-control-zoom').getBoundingClientRect();
			return !(a.right < b.left || a.left > b.right || a.bottom < b.top || a.top > b.bottom);
		})()`)
		if overlap {
			t.Error("the zoom control covers the popup's title")
		}
		axeCheck(t, ctx, axe, "popup 360")
	})

	t.Run("the fiche shows the matched units first and the report link at the top", func(t *testing.T) {
		run(t, ctx, "back to the list, open the first fiche",
			chromedp.Click(chromedp.CSS(`label[for="vue-liste"]`)),
			chromedp.WaitVisible(chromedp.CSS("#cartes-etablissements li")),
			chromedp.Evaluate[chromedp.Void](`[...document.querySelector('#cartes-etablissements li').querySelectorAll('a')].find(a => a.textContent.startsWith('Ouvrir la fiche')).click()`),
			chromedp.WaitVisible(chromedp.ID("fiche-titre")))
		shots.shot(ctx, "telephone-fiche")
		first := eval[string](t, ctx, `document.querySelector('#fiche .uo-card').dataset.hit`)
		if first != "1" {
			t.Error("the fiche's first unit is not one that matched the search")
		}
		if top := eval[float64](t, ctx, `document.getElementById('lien-anomalie').getBoundingClientRect().top`); top > 740 {
			t.Errorf("the report link is at %.0f px, want it on the first screen", top)
		}
		axeCheck(t, ctx, axe, "fiche 360")
		run(t, ctx, "Retour aux résultats",
			chromedp.Click(chromedp.ID("retour")),
			chromedp.WaitVisible(chromedp.CSS("#cartes-etablissements li")))
		if f := eval[string](t, ctx, focused); f != "resume" {
			t.Errorf("focus on %q after « Retour aux résultats », want the results' summary", f)
		}
	})
}

// TestBrowserDesktopRoughEdges checks at 1366 px what a coordinator hit:
// focus after a facet and after a report, « Rechercher dans » kept after a
// pick, no « null » from a hand-made URL, Export disabled on 0 results, the
// URL put back when a refinement fails; axe-core on each state.
func TestBrowserDesktopRoughEdges(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	base := pageURL(t)
	shots := newShooter(t)
	run(t, ctx, "a 1366 px screen", chromedp.EmulateViewport(1366, 900))

	t.Run("a pick from « Tout le ROR » keeps « Tout le ROR »", func(t *testing.T) {
		run(t, ctx, "type urgen in Tout le ROR",
			chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("critere")),
			chromedp.SendKeys(chromedp.ID("critere"), "urgen"),
			chromedp.WaitVisible(chromedp.CSS("#critere-list [role=option]")))
		axeCheck(t, ctx, axe, "suggestions 1366")
		run(t, ctx, "pick a Type d'UO",
			chromedp.Evaluate[chromedp.Void](`void [...document.querySelectorAll('#critere-list [role=option]')].find(o => o.closest('[role=group]')?.textContent.startsWith("Types d'UO")).setAttribute('data-pick', '')`),
			chromedp.Click(chromedp.CSS("#critere-list [data-pick]")),
			chromedp.WaitVisible(chromedp.CSS("#resultats #resume")))
		if d := eval[string](t, ctx, `document.getElementById('dans').value`); d != "tout" {
			t.Errorf("« Rechercher dans » switched to %q after the pick, want tout", d)
		}
		axeCheck(t, ctx, axe, "résultats 1366")
	})

	t.Run("the focus stays on a ticked facet", func(t *testing.T) {
		run(t, ctx, "a search with facets",
			chromedp.Navigate(base+"/?ou=33063&dans=types-uo&code=20&libelle=Urgences"),
			chromedp.WaitVisible(chromedp.CSS("#facettes input[type=checkbox]")))
		id := eval[string](t, ctx, `[...document.querySelectorAll('#facettes input[type=checkbox]')].find(b => !b.closest('[hidden]')).id`)
		run(t, ctx, "tick it with the keyboard",
			chromedp.Focus(chromedp.ID(id)),
			chromedp.KeyEvent(" "),
			waitJS(`document.getElementById('resultats').getAttribute('aria-busy') === 'false' && location.search.includes('=')`),
			chromedp.Sleep(200*time.Millisecond))
		if f := eval[string](t, ctx, focused); f != id {
			t.Errorf("focus on %q after ticking a facet, want the box %q", f, id)
		}
		run(t, ctx, "unfold a row", chromedp.Click(chromedp.CSS("#table-etablissements .eg-toggle")), chromedp.WaitVisible(chromedp.CSS("#table-etablissements tr.uo-row")))
		shots.shot(ctx, "bureau-ligne-depliee")
		axeCheck(t, ctx, axe, "ligne dépliée 1366")
	})

	t.Run("the panel counts the units of the map's zone, not of France", func(t *testing.T) {
		run(t, ctx, "a search in a map box",
			chromedp.Navigate(base+"/?ou=33063&dans=types-uo&code=20,149&libelle=Urgences&bbox=-0.75,44.7,-0.45,44.95&facette_complete=departement"),
			chromedp.WaitVisible(chromedp.CSS(`#facettes [data-facette=departement] input[type=checkbox]`)),
			waitJS(`document.getElementById('resultats').getAttribute('aria-busy') === 'false'`))
		counts := eval[int](t, ctx, `[...document.querySelectorAll('#facettes [data-facette=departement] input[type=checkbox]')].reduce((n, b) => n + +b.dataset.count, 0)`)
		listed := eval[int](t, ctx, `+document.getElementById('resume').dataset.uo`)
		if counts != listed {
			t.Errorf("the panel counts %d units by département in the zone, the list %d", counts, listed)
		}
		if !strings.Contains(eval[string](t, ctx, `document.getElementById('criteres-choisis').textContent`), "Zone de la carte") {
			t.Error("no « Zone de la carte » tag")
		}
	})

	t.Run("a hand-made URL without libelle never shows null", func(t *testing.T) {
		run(t, ctx, "open it", chromedp.Navigate(base+"/?ou=75110&dans=types-uo&code=20"), chromedp.WaitVisible(chromedp.CSS("#resultats #resume")),
			waitJS(`document.getElementById('resultats').getAttribute('aria-busy') === 'false'`))
		if txt := eval[string](t, ctx, `document.title + ' ' + document.getElementById('criteres-choisis').textContent`); strings.Contains(txt, "null") || strings.Contains(txt, "undefined") {
			t.Errorf("page says %q", txt)
		}
	})

	t.Run("Export is disabled on 0 results", func(t *testing.T) {
		run(t, ctx, "a search that finds nothing",
			chromedp.Navigate(base+"/?ou=75110&dans=noms&q=zzzqqqxw"),
			waitJS(`document.getElementById('resultats').getAttribute('aria-busy') === 'false' || document.querySelector('#erreur .fr-alert') !== null`))
		if eval[bool](t, ctx, `document.getElementById('resultats').hidden`) {
			t.Skip("the text search answered an error, not 0 results")
		}
		if href := eval[string](t, ctx, `document.getElementById('export-xlsx').getAttribute('href') || ''`); href != "" {
			t.Errorf("Export links to %q on 0 results, want disabled", href)
		}
	})

	t.Run("a refinement that fails puts the URL back", func(t *testing.T) {
		run(t, ctx, "a search", chromedp.Navigate(base+"/?ou=75110&dans=types-uo&code=20&libelle=Urgences"),
			chromedp.WaitVisible(chromedp.CSS("#table-etablissements")))
		before := eval[string](t, ctx, `location.search`)
		run(t, ctx, "a refinement the API refuses",
			chromedp.Evaluate[chromedp.Void](`history.pushState(null, '', location.search + '&rayon=-5'); dispatchEvent(new PopStateEvent('popstate'))`),
			waitJS(`document.querySelector('#erreur .fr-alert') !== null`))
		shots.shot(ctx, "bureau-erreur")
		if after := eval[string](t, ctx, `location.search`); after != before {
			t.Errorf("URL %q after the error, want %q (the results shown)", after, before)
		}
		axeCheck(t, ctx, axe, "erreur 1366")
	})

	t.Run("the focus goes to the answer of a report", func(t *testing.T) {
		run(t, ctx, "open a fiche", chromedp.Navigate(base+"/?eg=010000024"), chromedp.WaitVisible(chromedp.ID("anomalie")))
		run(t, ctx, "the link at the top",
			chromedp.Click(chromedp.ID("lien-anomalie")))
		if f := eval[string](t, ctx, focused); !strings.HasPrefix(f, "anomalie-") {
			t.Errorf("focus on %q after the report link, want the form's first field", f)
		}
		run(t, ctx, "send one",
			chromedp.SendKeys(chromedp.ID("anomalie-description"), "Le numéro de téléphone a changé (test du navigateur)"),
			chromedp.Click(chromedp.CSS("#anomalie button[type=submit]")),
			waitJS(`document.querySelector('#anomalie-resultat .fr-alert') !== null`))
		shots.shot(ctx, "bureau-signalement")
		if !eval[bool](t, ctx, `document.activeElement.closest('#anomalie-resultat') !== null`) {
			t.Errorf("focus is not on the report's answer")
		}
		axeCheck(t, ctx, axe, "signalement 1366")
	})
}

// TestBrowserSAMU is a regulator's lookup, keyboard only, at 1366 and 360
// px: a position typed « lat, lon », the obesity preset, the nearest units
// by time with their phone and the age of their bed figure, a stale figure
// flagged; the same units, in the same order, as /api/v1/proximite.
func TestBrowserSAMU(t *testing.T) {
	app := sharedApp(t)
	ctx := browser(t)
	axe := axeSource(t)
	base := pageURL(t)
	shots := newShooter(t)

	// One unit of the answer gets a bed figure of 30 hours ago.
	var near nearResp
	get(t, app, "/api/v1/proximite?ou=48.629,2.441&besoin=obesite-severe&limit=10", &near)
	if len(near.Resultats) < 3 {
		t.Fatalf("proximity answered %d units, want several", len(near.Resultats))
	}
	stale := near.Resultats[1].UO.ID
	admin, err := app.db.Accounts().CreateAccount(context.Background(), ror.Account{Name: "Admin SAMU test", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	body := fmt.Sprintf(`{"lits_installes":20,"lits_fermes":0,"lits_indetermines":0,"lits_supplementaires":0,"lits_disponibles":2,"maj":%q}`, time.Now().Add(-30*time.Hour).Format(time.RFC3339))
	if code, b := send(t, app, "PUT", "/api/v1/uo/"+stale+"/capacitaire", admin, "application/json", body); code != 200 {
		t.Fatalf("PUT beds: %d %s", code, b)
	}

	// From a position at 1366 px, from a commune picked in the list at 360.
	for _, c := range []struct {
		width int64
		typed string
		pick  bool
		want  string // what the API is asked with
	}{{1366, "48.629, 2.441", false, "48.629,2.441"}, {360, "evry", true, "91228"}} {
		width := c.width
		t.Run(fmt.Sprintf("%d px, keyboard only, from %s", width, c.typed), func(t *testing.T) {
			run(t, ctx, "viewport", chromedp.EmulateViewport(width, 900))
			run(t, ctx, "open the page, Tab to Proximité and press Enter",
				chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("ou")),
				chromedp.Focus(chromedp.ID("mode-proximite")),
				chromedp.KeyEvent(kb.Enter),
				chromedp.WaitVisible(chromedp.ID("samu-ou")),
				waitJS(`document.querySelectorAll('#samu-besoin option').length > 1`))
			if f := eval[string](t, ctx, focused); f != "samu-ou" {
				t.Errorf("focus on %q on the SAMU view, want « Où ? »", f)
			}
			axeCheck(t, ctx, axe, fmt.Sprintf("proximité vide %d", width))
			run(t, ctx, "type where", chromedp.SendKeys(chromedp.ID("samu-ou"), c.typed))
			if c.pick {
				run(t, ctx, "pick the commune with the arrows and Enter",
					chromedp.WaitVisible(chromedp.CSS("#samu-ou-list [role=option]")),
					chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.Enter),
					chromedp.KeyEvent(kb.Tab),
					waitJS(`document.activeElement.id === 'samu-besoin'`))
				if eval[string](t, ctx, `document.getElementById('samu-ou').value`) == "evry" {
					t.Fatal("Enter did not pick the commune")
				}
			} else {
				run(t, ctx, "Tab to the need", chromedp.KeyEvent(kb.Tab), waitJS(`document.activeElement.id === 'samu-besoin'`))
			}
			// The need is picked with the arrow keys, as a regulator would.
			for i := 0; eval[string](t, ctx, `document.getElementById('samu-besoin').value`) != "obesite-severe"; i++ {
				if i == 12 {
					t.Fatalf("the arrows never reached the obesity need (focus on %q, option %d)", eval[string](t, ctx, focused),
						eval[int](t, ctx, `document.getElementById('samu-besoin').selectedIndex`))
				}
				run(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
			}
			run(t, ctx, "Tab to the button", chromedp.KeyEvent(kb.Tab), chromedp.KeyEvent(kb.Tab))
			if f := eval[string](t, ctx, focused); f != "samu-chercher" {
				t.Fatalf("two Tabs after the need lead to %q, want the button", f)
			}
			run(t, ctx, "press Enter", chromedp.KeyEvent(kb.Enter))
			wctx, cancel := context.WithTimeout(ctx, 15*time.Second)
			if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS("#samu-resultats li"))); err != nil {
				cancel()
				t.Fatalf("no result after Enter: URL %s, error %q, summary %q", eval[string](t, ctx, `location.search`),
					eval[string](t, ctx, `document.getElementById('erreur').textContent`), eval[string](t, ctx, `document.getElementById('samu-resume').textContent`))
			}
			cancel()
			shots.shot(ctx, fmt.Sprintf("samu-%d", width))
			if u := eval[string](t, ctx, `new URLSearchParams(location.search).get('ou')`); u != c.want {
				t.Errorf("the lookup went from %q, want %q", u, c.want)
			}
			var near nearResp
			get(t, app, "/api/v1/proximite?ou="+c.want+"&besoin=obesite-severe&limit=10", &near)
			ids := eval[[]string](t, ctx, `[...document.querySelectorAll('#samu-resultats li')].map(li => li.dataset.uo)`)
			if len(ids) != len(near.Resultats) {
				t.Fatalf("the page lists %d units, the API %d", len(ids), len(near.Resultats))
			}
			for i, r := range near.Resultats {
				if ids[i] != r.UO.ID {
					t.Errorf("unit %d is %s on the page, %s in the API", i+1, ids[i], r.UO.ID)
				}
			}
			if n := eval[int](t, ctx, `[...document.querySelectorAll('#samu-resultats li')].filter(li => !li.querySelector('a[href^="tel:"]')).length`); n > 0 {
				t.Errorf("%d units without a phone to call", n)
			}
			card := eval[string](t, ctx, `document.querySelector('#samu-resultats li[data-uo="`+stale+`"]').textContent`)
			if !strings.Contains(card, "Chiffre ancien") || !strings.Contains(card, "il y a 30 h") || !strings.Contains(card, "2 lits disponibles") {
				t.Errorf("the unit whose figure is 30 h old reads %q, want its beds, their age and « Chiffre ancien »", card)
			}
			if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > int(width) {
				t.Errorf("the SAMU view is %d px wide at %d", w, width)
			}
			axeCheck(t, ctx, axe, fmt.Sprintf("proximité %d", width))
		})
	}
}
