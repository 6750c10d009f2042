package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath is Debian's Chromium. The test never downloads a browser: it
// skips without one, except under CI where the browser is part of the image.
const chromiumPath = "/usr/bin/chromium"

// browser starts headless Chromium for one test and returns its context.
// Uncaught JavaScript exceptions are collected and fail the test at the end.
func browser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no browser at %s under CI: %v", chromiumPath, err)
		}
		t.Skipf("no browser at %s (apt-get install chromium)", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	// The first run starts the browser and must not carry a timeout: the
	// browser lives as long as the context of that run.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	var mu sync.Mutex
	var exceptions []string
	consoleCtx, stopConsole := context.WithCancel(ctx)
	messages := chromedp.Console(consoleCtx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleException {
				mu.Lock()
				exceptions = append(exceptions, m.Text+" at "+m.URL)
				mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		stopConsole()
		<-done
		cancelCtx()
		cancelAlloc()
		for _, e := range exceptions {
			t.Errorf("JavaScript exception: %s", e)
		}
	})
	return ctx
}

// pageURL is the service under test: ROR_BROWSER_URL when set (a server
// already running, to iterate on the page), else the package's shared App.
func pageURL(t *testing.T) string {
	t.Helper()
	if u := os.Getenv("ROR_BROWSER_URL"); u != "" {
		return strings.TrimRight(u, "/")
	}
	return "http://" + sharedApp(t).Addr()
}

// shooter saves numbered screenshots into ROR_SCREENSHOTS (default: a
// temp dir) so a human can look at each step.
type shooter struct {
	t   *testing.T
	dir string
	n   int
}

func newShooter(t *testing.T) *shooter {
	dir := os.Getenv("ROR_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &shooter{t: t, dir: dir}
}

func (s *shooter) shot(ctx context.Context, name string) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		s.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	s.n++
	path := filepath.Join(s.dir, fmt.Sprintf("%02d-%s.png", s.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		s.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	s.t.Logf("screenshot %s", path)
}

// stepTimeout bounds one step: the slowest is the first search's page load.
const stepTimeout = 30 * time.Second

// run executes browser actions and stops the test on failure, naming the step.
func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// eval returns the value of a JavaScript expression in the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.60s: %v", expr, err)
	}
	return v
}

// waitJS polls a JavaScript expression until it is true.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))(ctx, tg)
		return chromedp.Void{}, err
	}
}

// TestBrowserCoordinatorSearch drives the page the way a coordinator does:
// a commune, a criterion from the suggestions, the list sorted by distance,
// a facet, the map, a fiche, the Excel export.
func TestBrowserCoordinatorSearch(t *testing.T) {
	ctx := browser(t)
	axe := axeSource(t)
	base := pageURL(t)
	shots := newShooter(t)

	run(t, ctx, "open the page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.ID("ou")))
	axeCheck(t, ctx, axe, "accueil 1280")

	t.Run("typing evry suggests Évry-Courcouronnes first, picked with the keyboard", func(t *testing.T) {
		run(t, ctx, "type evry",
			chromedp.SendKeys(chromedp.ID("ou"), "evry"),
			chromedp.WaitVisible(chromedp.CSS("#ou-list [role=option]")),
			chromedp.SendKeys(chromedp.ID("ou"), kb.ArrowDown))
		active := eval[string](t, ctx, `document.getElementById(document.getElementById('ou').getAttribute('aria-activedescendant') || 'none')?.textContent || ''`)
		shots.shot(ctx, "commune")
		if !strings.Contains(active, "Évry-Courcouronnes") {
			t.Fatalf("got highlighted option %q, want Évry-Courcouronnes", active)
		}
		run(t, ctx, "pick with Enter", chromedp.SendKeys(chromedp.ID("ou"), kb.Enter))
		if value := eval[string](t, ctx, `document.getElementById('ou').value`); value != "Évry-Courcouronnes (91000)" {
			t.Errorf("got input %q, want %q", value, "Évry-Courcouronnes (91000)")
		}
	})

	t.Run("typing obes suggests categorised criteria with the letters highlighted", func(t *testing.T) {
		run(t, ctx, "type obes",
			chromedp.SendKeys(chromedp.ID("critere"), "obes"),
			chromedp.WaitVisible(chromedp.CSS("#critere-list [role=option]")))
		groups := eval[int](t, ctx, `document.querySelectorAll('#critere-list [role=group]').length`)
		marks := eval[int](t, ctx, `document.querySelectorAll('#critere-list [role=option] mark').length`)
		shots.shot(ctx, "suggestions")
		if groups < 2 {
			t.Errorf("got %d categories of suggestions, want at least 2", groups)
		}
		if marks == 0 {
			t.Error("no <mark> in the suggestions, want the typed letters highlighted")
		}
		run(t, ctx, "pick the first suggestion",
			chromedp.Click(chromedp.CSS("#critere-list [role=option]")),
			chromedp.WaitVisible(chromedp.CSS("#criteres-choisis .fr-tag")))
	})

	t.Run("results come nearest first and the URL holds the search", func(t *testing.T) {
		run(t, ctx, "wait for the list", chromedp.WaitVisible(chromedp.CSS("#table-etablissements tr.eg-row")))
		raw := eval[[]string](t, ctx, `[...document.querySelectorAll('#table-etablissements tr.eg-row')].map(r => r.dataset.distance)`)
		shots.shot(ctx, "liste")
		prev := -1.0
		for i, s := range raw {
			d, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("row %d distance %q is not a number", i+1, s)
			}
			if d < prev {
				t.Errorf("row %d at %.1f km after %.1f km", i+1, d, prev)
			}
			prev = d
		}
		loc := eval[string](t, ctx, `location.href`)
		if u, _ := url.Parse(loc); u.Query().Get("ou") != "91228" || u.Query().Get("code") == "" {
			t.Errorf("got URL %s, want ou=91228 and the picked code", loc)
		}
	})

	t.Run("a checked activité narrows the list to its count", func(t *testing.T) {
		id := eval[string](t, ctx, `(() => {
			const boxes = [...document.querySelectorAll('#facettes [data-facette=activite] input[type=checkbox]')]
				.filter(b => !b.checked && +b.dataset.count > 0 && !b.closest('[hidden]'));
			boxes.sort((a, b) => a.dataset.count - b.dataset.count);
			return boxes.length ? boxes[0].id : '';
		})()`)
		if id == "" {
			t.Fatal("no facet value to check")
		}
		want := eval[int](t, ctx, `+document.getElementById('`+id+`').dataset.count`)
		run(t, ctx, "check it",
			chromedp.Click(chromedp.CSS(`label[for="`+id+`"]`)),
			waitJS(`document.getElementById('`+id+`')?.checked === true && document.getElementById('resultats').getAttribute('aria-busy') === 'false'`))
		shots.shot(ctx, "facette")
		// The summary and the facet both count every unit, the
		// non-geolocated ones included.
		got := eval[int](t, ctx, `+document.getElementById('resume').dataset.uo`)
		if got != want {
			t.Errorf("got %d UO after checking a value counted %d, want equal", got, want)
		}
	})

	t.Run("the map shows markers", func(t *testing.T) {
		run(t, ctx, "switch to Carte",
			chromedp.Click(chromedp.CSS(`label[for="vue-carte"]`)),
			waitJS(`document.querySelectorAll('#carte .leaflet-marker-icon').length > 0`),
			chromedp.Sleep(500*time.Millisecond)) // let the clusters settle for the screenshot
		shots.shot(ctx, "carte")
		axeCheck(t, ctx, axe, "carte 1280")
		if n := eval[int](t, ctx, `document.querySelectorAll('#carte .leaflet-marker-icon').length`); n == 0 {
			t.Error("no marker on the map")
		}
		if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "vue=carte") {
			t.Errorf("got URL query %q, want vue=carte", loc)
		}
	})

	t.Run("a fiche opens from the list with its units", func(t *testing.T) {
		run(t, ctx, "back to Liste, unfold the first row",
			chromedp.Click(chromedp.CSS(`label[for="vue-liste"]`)),
			chromedp.WaitVisible(chromedp.CSS("#table-etablissements tr.eg-row")),
			chromedp.Click(chromedp.CSS("#table-etablissements tr.eg-row .eg-toggle")),
			chromedp.WaitVisible(chromedp.CSS("#table-etablissements tr.uo-row a[data-nav]")))
		name := eval[string](t, ctx, `document.querySelector('#table-etablissements tr.eg-row .eg-name').textContent`)
		if x := eval[string](t, ctx, `document.querySelector('#table-etablissements tr.eg-row .eg-toggle').getAttribute('aria-expanded')`); x != "true" {
			t.Errorf("got aria-expanded %q on the unfolded row, want true", x)
		}
		shots.shot(ctx, "unites")
		run(t, ctx, "open the fiche",
			chromedp.Click(chromedp.CSS("#table-etablissements tr.uo-row a[data-nav]")),
			chromedp.WaitVisible(chromedp.ID("fiche-titre")))
		title := eval[string](t, ctx, `document.getElementById('fiche-titre').textContent`)
		units := eval[int](t, ctx, `document.querySelectorAll('#fiche .uo-card').length`)
		shots.shot(ctx, "fiche")
		axeCheck(t, ctx, axe, "fiche 1280")
		if title != name {
			t.Errorf("got fiche %q, want %q", title, name)
		}
		if units == 0 {
			t.Error("the fiche lists no unit")
		}
	})

	t.Run("Back returns to the results and Export Excel downloads a workbook", func(t *testing.T) {
		run(t, ctx, "go back",
			chromedp.NavigateBack(),
			chromedp.WaitVisible(chromedp.ID("table-etablissements")))
		href := eval[string](t, ctx, `document.getElementById('export-xlsx').getAttribute('href')`)
		if !strings.Contains(href, "/api/v1/search.xlsx?") || !strings.Contains(href, "ou=91228") {
			t.Fatalf("got export link %q, want the search's parameters on /api/v1/search.xlsx", href)
		}
		resp, err := http.Get(base + href)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, "spreadsheetml") {
			t.Errorf("got content type %q, want an xlsx type", ct)
		}
		if !bytes.HasPrefix(body, []byte("PK")) {
			t.Errorf("got %.20q, want a zip (PK) workbook", body)
		}
	})

	t.Run("Afficher plus lists every value of a long facet", func(t *testing.T) {
		run(t, ctx, "a broad search around Bordeaux",
			chromedp.Navigate(base+"/?ou=33063&dans=tout&q=medecine"),
			chromedp.WaitVisible(chromedp.CSS(`#facettes [data-facette=departement] .facet-more`)))
		total := eval[int](t, ctx, `+document.querySelector('#facettes [data-facette=departement]').dataset.nbValeurs`)
		boxes := `document.querySelectorAll('#facettes [data-facette=departement] input[type=checkbox]').length`
		if n := eval[int](t, ctx, boxes); n >= total {
			t.Fatalf("the search answered %d of %d départements, want the most frequent only", n, total)
		}
		run(t, ctx, "Afficher plus",
			chromedp.Click(chromedp.CSS(`#facettes [data-facette=departement] .facet-more`)),
			waitJS(boxes+` === `+strconv.Itoa(total)))
		if n := eval[int](t, ctx, `[...document.querySelectorAll('#facettes [data-facette=departement] input[type=checkbox]')].filter(b => !b.closest('[hidden]')).length`); n != total {
			t.Errorf("%d départements shown after Afficher plus, want all %d", n, total)
		}
	})

	t.Run("a SMUR is on its hospital's one row, at its real km, « intervient à Paris 10 »", func(t *testing.T) {
		run(t, ctx, "urgences typed from Paris 10",
			chromedp.Navigate(base+"/?ou=75110&dans=types-uo&q=urgences"),
			chromedp.WaitVisible(chromedp.CSS("#table-etablissements tr.eg-row")))
		finess := eval[[]string](t, ctx, `[...document.querySelectorAll('#cartes-etablissements li.eg-card')].map(c => c.dataset.finess)`)
		seen := map[string]bool{}
		for _, f := range finess {
			if seen[f] {
				t.Errorf("%s listed twice on the page", f)
			}
			seen[f] = true
		}
		lari := `document.querySelector('#cartes-etablissements li.eg-card[data-finess="750100042"]')`
		if eval[bool](t, ctx, lari+` === null`) {
			t.Fatal("Lariboisière is not on the first page")
		}
		if km := eval[string](t, ctx, lari+`.dataset.distance`); km == "0" || km == "" {
			t.Errorf("Lariboisière at %q km, want its real distance", km)
		}
		if text := eval[string](t, ctx, lari+`.textContent`); !strings.Contains(text, "intervient à Paris 10") || !strings.Contains(text, "Urgences") {
			t.Errorf("Lariboisière's card %q: want its SMUR « intervient à Paris 10 » beside its emergency unit", text)
		}
		if n := eval[int](t, ctx, `[...document.querySelectorAll('#uo-750100042 .uo-table td')].filter(td => td.textContent.includes('intervient à Paris 10')).length`); n != 1 {
			t.Errorf("%d cells of Lariboisière's unit table say « intervient à Paris 10 », want its SMUR's", n)
		}
	})
}
