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

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
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
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	var mu sync.Mutex
	var exceptions []string
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			exceptions = append(exceptions, e.ExceptionDetails.Error())
			mu.Unlock()
		}
	})
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		mu.Lock()
		defer mu.Unlock()
		for _, e := range exceptions {
			t.Errorf("JavaScript exception: %s", e)
		}
	})
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
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
	var png []byte
	if err := chromedp.Run(ctx, chromedp.CaptureScreenshot(&png)); err != nil {
		s.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	s.n++
	path := filepath.Join(s.dir, fmt.Sprintf("%02d-%s.png", s.n, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		s.t.Errorf("screenshot %s: %v", name, err)
	}
}

// run executes browser actions and stops the test on failure, naming the step.
func run(t *testing.T, ctx context.Context, step string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// waitJS polls a JavaScript expression until it is true.
func waitJS(expr string) chromedp.Action {
	return chromedp.Poll(expr, nil, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))
}

// TestBrowserCoordinatorSearch drives the page the way a coordinator does:
// a commune, a criterion from the suggestions, the list sorted by distance,
// a facet, the map, a fiche, the Excel export.
func TestBrowserCoordinatorSearch(t *testing.T) {
	ctx := browser(t)
	base := pageURL(t)
	shots := newShooter(t)

	run(t, ctx, "open the page", chromedp.Navigate(base+"/"), chromedp.WaitVisible("#ou", chromedp.ByID))

	t.Run("typing evry suggests Évry-Courcouronnes first, picked with the keyboard", func(t *testing.T) {
		var active, value string
		run(t, ctx, "type evry",
			chromedp.SendKeys("#ou", "evry", chromedp.ByID),
			chromedp.WaitVisible("#ou-list [role=option]", chromedp.ByQuery),
			chromedp.SendKeys("#ou", "\ue015", chromedp.ByID), // ArrowDown
			chromedp.Evaluate(`document.getElementById(document.getElementById('ou').getAttribute('aria-activedescendant')).textContent`, &active))
		shots.shot(ctx, "commune")
		if !strings.Contains(active, "Évry-Courcouronnes") {
			t.Fatalf("got highlighted option %q, want Évry-Courcouronnes", active)
		}
		run(t, ctx, "pick with Enter",
			chromedp.SendKeys("#ou", "\r", chromedp.ByID),
			chromedp.Value("#ou", &value, chromedp.ByID))
		if value != "Évry-Courcouronnes (91000)" {
			t.Errorf("got input %q, want %q", value, "Évry-Courcouronnes (91000)")
		}
	})

	t.Run("typing obes suggests categorised criteria with the letters highlighted", func(t *testing.T) {
		var groups, marks int
		run(t, ctx, "type obes",
			chromedp.SendKeys("#critere", "obes", chromedp.ByID),
			chromedp.WaitVisible("#critere-list [role=option]", chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll('#critere-list [role=group]').length`, &groups),
			chromedp.Evaluate(`document.querySelectorAll('#critere-list [role=option] mark').length`, &marks))
		shots.shot(ctx, "suggestions")
		if groups < 2 {
			t.Errorf("got %d categories of suggestions, want at least 2", groups)
		}
		if marks == 0 {
			t.Error("no <mark> in the suggestions, want the typed letters highlighted")
		}
		run(t, ctx, "pick the first suggestion",
			chromedp.Click("#critere-list [role=option]", chromedp.ByQuery),
			chromedp.WaitVisible("#criteres-choisis .fr-tag", chromedp.ByQuery))
	})

	var distances []float64
	t.Run("results come nearest first", func(t *testing.T) {
		var raw []string
		run(t, ctx, "wait for the list",
			chromedp.WaitVisible("#table-etablissements tr.eg-row", chromedp.ByQuery),
			chromedp.Evaluate(`[...document.querySelectorAll('#table-etablissements tr.eg-row')].map(r => r.dataset.distance)`, &raw))
		shots.shot(ctx, "liste")
		for _, s := range raw {
			d, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("row distance %q is not a number", s)
			}
			distances = append(distances, d)
		}
		for i := 1; i < len(distances); i++ {
			if distances[i] < distances[i-1] {
				t.Errorf("row %d at %.1f km after %.1f km", i+1, distances[i], distances[i-1])
			}
		}
		var loc string
		run(t, ctx, "read the URL", chromedp.Location(&loc))
		if u, _ := url.Parse(loc); u.Query().Get("ou") != "91228" || u.Query().Get("code") == "" {
			t.Errorf("got URL %s, want ou=91228 and the picked code", loc)
		}
	})

	t.Run("a checked facet value narrows the list to its count", func(t *testing.T) {
		var id string
		var want int
		run(t, ctx, "pick the smallest facet value",
			chromedp.Evaluate(`(() => {
				const boxes = [...document.querySelectorAll('#facettes input[type=checkbox]')].filter(b => !b.checked && +b.dataset.count > 0 && b.closest('[hidden]') === null);
				boxes.sort((a, b) => a.dataset.count - b.dataset.count);
				return boxes.length ? boxes[0].id : '';
			})()`, &id))
		if id == "" {
			t.Fatal("no facet value to check")
		}
		run(t, ctx, "read its count", chromedp.Evaluate(`+document.getElementById('`+id+`').dataset.count`, &want))
		run(t, ctx, "check it",
			chromedp.Click(`label[for="`+id+`"]`, chromedp.ByQuery),
			waitJS(`document.getElementById('`+id+`')?.checked === true && document.getElementById('resultats').getAttribute('aria-busy') === 'false'`))
		shots.shot(ctx, "facette")
		var got int
		run(t, ctx, "count the units",
			chromedp.Evaluate(`+document.getElementById('resume').dataset.uo + [...document.querySelectorAll('#pane-liste .non-geo li')].reduce((n, li) => n + +li.dataset.nbUo, 0)`, &got))
		if got != want {
			t.Errorf("got %d UO after checking a value counted %d, want equal", got, want)
		}
	})

	t.Run("the map shows markers", func(t *testing.T) {
		var n int
		run(t, ctx, "switch to Carte",
			chromedp.Click(`label[for="vue-carte"]`, chromedp.ByQuery),
			waitJS(`document.querySelectorAll('#carte .leaflet-marker-icon').length > 0`),
			chromedp.Sleep(400*time.Millisecond), // let the clusters settle for the screenshot
			chromedp.Evaluate(`document.querySelectorAll('#carte .leaflet-marker-icon').length`, &n))
		shots.shot(ctx, "carte")
		if n == 0 {
			t.Error("no marker on the map")
		}
	})

	t.Run("a fiche opens from the list with its units", func(t *testing.T) {
		var name, title string
		var units int
		run(t, ctx, "back to Liste, unfold the first row, open its fiche",
			chromedp.Click(`label[for="vue-liste"]`, chromedp.ByQuery),
			chromedp.WaitVisible("#table-etablissements tr.eg-row", chromedp.ByQuery),
			chromedp.Text("#table-etablissements tr.eg-row .eg-name", &name, chromedp.ByQuery),
			chromedp.Click("#table-etablissements tr.eg-row .eg-toggle", chromedp.ByQuery),
			chromedp.WaitVisible("#table-etablissements tr.uo-row a[data-nav]", chromedp.ByQuery))
		shots.shot(ctx, "unites")
		run(t, ctx, "open the fiche",
			chromedp.Click("#table-etablissements tr.uo-row a[data-nav]", chromedp.ByQuery),
			chromedp.WaitVisible("#fiche-titre", chromedp.ByID),
			chromedp.Text("#fiche-titre", &title, chromedp.ByID),
			chromedp.Evaluate(`document.querySelectorAll('#fiche .uo-card').length`, &units))
		shots.shot(ctx, "fiche")
		if title != name {
			t.Errorf("got fiche %q, want %q", title, name)
		}
		if units == 0 {
			t.Error("the fiche lists no unit")
		}
	})

	t.Run("Back returns to the results and Export Excel downloads a workbook", func(t *testing.T) {
		var href string
		run(t, ctx, "go back",
			chromedp.NavigateBack(),
			chromedp.WaitVisible("#table-etablissements", chromedp.ByID),
			chromedp.AttributeValue("#export-xlsx", "href", &href, nil, chromedp.ByID))
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
}
