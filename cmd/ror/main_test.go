package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ror-recherche/ror/internal/sources"
)

// server is one service started for the whole package on a temp data dir:
// the import takes seconds, so tests share it.
var (
	shared     *App
	sharedData string
	sharedOnce sync.Once
	sharedErr  error
)

// startApp runs the service on dataDir, importing from src when it is new,
// and waits until it is ready; setup may change the App (its cfg, its clock)
// before it runs.
func startApp(tb testing.TB, dataDir, src string, setup ...func(*App)) *App {
	tb.Helper()
	cfg := DefaultConfig()
	cfg.Addr, cfg.DataDir, cfg.Sources = "127.0.0.1:0", dataDir, src
	cfg.ReadRate, cfg.WriteRate = -1, -1 // the tests write from one address faster than a client may
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	app := NewApp(cfg, log)
	for _, f := range setup {
		f(app)
	}
	ctx := context.Background()
	if err := app.Run(ctx); err != nil {
		tb.Fatalf("run: %v", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 6*time.Minute) // an import under the race detector on a busy machine
	defer cancel()
	if err := app.Ready(ctx); err != nil {
		app.Close()
		tb.Fatalf("ready: %v", err)
	}
	return app
}

// testSlice is the départements the tests that start a service of their
// own import (restart, crash, schedule, vocabulary, read auth): the mechanics
// they check need real data, not all of France.
var testSlice = []string{"01", "33", "75"}

// sharedSlice is what the shared service imports: every département a test
// or a seed scenario searches in, with its neighbours (Île-de-France,
// Bretagne, Loire-Atlantique, Ain and Isère, Gironde, Rhône, Bouches-du-Rhône,
// Nord, Bas-Rhin), and the fourteen smallest (Corse, Guyane, Saint-Martin,
// Saint-Barthélemy…) so that a facet lists more départements than it shows:
// about 40,000 of the 95,000 établissements. The data, index and root
// packages test the whole base; here an import of all of France under the
// race detector would take minutes on CI's two cores.
var sharedSlice = []string{"75", "77", "78", "91", "92", "93", "94", "95", "22", "29", "35", "56", "44",
	"01", "38", "33", "69", "13", "59", "67",
	"977", "978", "90", "973", "2A", "2B", "23", "48", "09", "15", "05", "52", "55", "04"}

// slice makes an app import testSlice only.
func slice(a *App) { a.cfg.Departments = testSlice }

// sharedApp returns the package's service, importing the real data once.
func sharedApp(t testing.TB) *App {
	t.Helper()
	src := sources.Dir(t)
	sharedOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ror-e2e-")
		if err != nil {
			sharedErr = err
			return
		}
		sharedData = dir
		shared = startApp(t, dir, src, func(a *App) { a.cfg.Departments = sharedSlice })
	})
	if sharedErr != nil || shared == nil {
		t.Fatalf("shared app: %v", sharedErr)
	}
	return shared
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		shared.Close()
		os.RemoveAll(sharedData)
	}
	os.Exit(code)
}

// get fetches path from app and decodes the JSON body into v (when not nil).
func get(t *testing.T, app *App, path string, v any) *http.Response {
	t.Helper()
	resp, err := http.Get("http://" + app.Addr() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v in %.300s", path, err, body)
		}
	}
	return resp
}

type searchResp struct {
	Resume struct {
		Etablissements int     `json:"etablissements"`
		UO             int     `json:"uo"`
		Tronque        bool    `json:"tronque"`
		Texte          string  `json:"texte"`
		DureeMs        float64 `json:"duree_ms"`
	} `json:"resume"`
	Page           int `json:"page"`
	Pages          int `json:"pages"`
	Etablissements []struct {
		FINESS      string                `json:"finess"`
		Nom         string                `json:"nom"`
		Departement struct{ Code string } `json:"departement"`
		DistanceKm  *float64              `json:"distance_km"`
		DureeMin    *int                  `json:"duree_min"`
		NbUO        int                   `json:"nb_uo"`
		UO          []struct {
			TypeUO struct{ Code, Label string } `json:"type_uo"`
		} `json:"uo"`
	} `json:"etablissements"`
}

func TestSearchParisUrgences(t *testing.T) {
	app := sharedApp(t)
	var r searchResp
	resp := get(t, app, "/api/v1/search?ou=75110&dans=types-uo&q=urgences", &r)
	if resp.StatusCode != 200 {
		t.Fatalf("got status %d, want 200", resp.StatusCode)
	}
	if len(r.Etablissements) == 0 || len(r.Etablissements) > 15 {
		t.Fatalf("got %d établissements on page 1, want 1 to 15", len(r.Etablissements))
	}
	t.Run("nearest first, in Paris, with plausible km and minutes", func(t *testing.T) {
		prev, inParis, firstFixed := -1.0, 0, -1.0
		for _, eg := range r.Etablissements {
			if eg.DistanceKm == nil || eg.DureeMin == nil {
				t.Fatalf("%s has no distance or duration", eg.Nom)
			}
			if *eg.DistanceKm < prev {
				t.Errorf("%s at %.1f km after %.1f km", eg.Nom, *eg.DistanceKm, prev)
			}
			prev = *eg.DistanceKm
			if *eg.DureeMin < 1 || float64(*eg.DureeMin) > 6+4*(*eg.DistanceKm) {
				t.Errorf("%s: %d min for %.1f km is implausible", eg.Nom, *eg.DureeMin, *eg.DistanceKm)
			}
			if eg.Departement.Code == "75" {
				inParis++
			}
			if firstFixed < 0 && *eg.DistanceKm > 0 {
				firstFixed = *eg.DistanceKm
			}
		}
		if inParis < 10 {
			t.Errorf("%d of %d établissements on page 1 are in Paris, want most", inParis, len(r.Etablissements))
		}
		if firstFixed > 3 {
			t.Errorf("nearest emergency structure at %.1f km from Paris 10, want ≤ 3", firstFixed)
		}
	})
	t.Run("every listed unit is an emergency unit", func(t *testing.T) {
		for _, eg := range r.Etablissements {
			for _, u := range eg.UO {
				if !strings.Contains(strings.ToLower(u.TypeUO.Label), "urgence") {
					t.Errorf("%s: unit type %q is not an emergency type", eg.Nom, u.TypeUO.Label)
				}
			}
		}
	})
	t.Run("the summary says from where", func(t *testing.T) {
		if !strings.Contains(r.Resume.Texte, "Distances calculées à partir de Paris 10") {
			t.Errorf("got summary %q", r.Resume.Texte)
		}
	})
}

func TestSearchCapAndPages(t *testing.T) {
	app := sharedApp(t)
	var r searchResp
	get(t, app, "/api/v1/search?ou=75110&dans=types-uo&q=medecine", &r)
	if r.Resume.Etablissements > 200 {
		t.Errorf("got %d établissements, want at most 200", r.Resume.Etablissements)
	}
	if !r.Resume.Tronque {
		t.Errorf("a national médecine search was not flagged as cut at 200 (%d)", r.Resume.Etablissements)
	}
	if r.Pages != 14 {
		t.Errorf("got %d pages, want 14 (200 / 15)", r.Pages)
	}
	var last searchResp
	get(t, app, "/api/v1/search?ou=75110&dans=types-uo&q=medecine&page=14", &last)
	if n := len(last.Etablissements); n != 5 {
		t.Errorf("page 14 has %d établissements, want 5 (200 − 13 × 15)", n)
	}
}

type problem struct {
	Type   string `json:"type"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Parameter string `json:"parameter"`
		Pointer   string `json:"pointer"`
	} `json:"errors"`
}

func TestBadInputIsAProblem(t *testing.T) {
	app := sharedApp(t)
	long := strings.Repeat("x", 10_000)
	tests := []struct {
		name, path, param string
		status            int
	}{
		{"unknown commune", "/api/v1/search?ou=Pariss&q=urgences", "ou", 400},
		{"page 0", "/api/v1/search?ou=75110&q=urgences&page=0", "page", 400},
		{"page 10000", "/api/v1/search?ou=75110&q=urgences&page=10000", "page", 400},
		{"empty query", "/api/v1/search?ou=75110", "q", 400},
		{"10 kB query", "/api/v1/search?ou=75110&q=" + long, "q", 400},
		{"unknown dans", "/api/v1/search?q=x&dans=ailleurs", "dans", 400},
		{"malformed code", "/api/v1/search?dans=actes&code=" + url.QueryEscape("1' OR 1=1"), "code", 400},
		{"unknown code", "/api/v1/search?dans=types-uo&code=9999", "code", 400},
		{"malformed FINESS", "/api/v1/eg/12", "finess", 400},
		{"unknown FINESS", "/api/v1/eg/999999999", "finess", 404},
		{"empty commune text", "/api/v1/communes?q=", "q", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p problem
			resp := get(t, app, tt.path, &p)
			if resp.StatusCode != tt.status {
				t.Fatalf("got status %d, want %d (%s)", resp.StatusCode, tt.status, p.Detail)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Errorf("got content type %q, want application/problem+json", ct)
			}
			if len(p.Errors) == 0 || p.Errors[0].Parameter != tt.param {
				t.Errorf("got errors %+v, want parameter %q", p.Errors, tt.param)
			}
			if p.Detail == "" || p.Status != tt.status {
				t.Errorf("problem body incomplete: %+v", p)
			}
		})
	}
	t.Run("unknown route", func(t *testing.T) {
		var p problem
		if resp := get(t, app, "/api/v1/nulle-part", &p); resp.StatusCode != 404 || p.Type == "" {
			t.Errorf("got %d %+v, want a 404 problem", resp.StatusCode, p)
		}
	})
}

func TestRestartFindsTheDataWithoutSources(t *testing.T) {
	src := sources.Dir(t)
	dir := t.TempDir()
	first := startApp(t, dir, src, slice)
	var before searchResp
	get(t, first, "/api/v1/search?ou=33063&dans=types-uo&q=maternite", &before)
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second := startApp(t, dir, "") // no sources: must load from Badger
	defer second.Close()
	var after searchResp
	get(t, second, "/api/v1/search?ou=33063&dans=types-uo&q=maternite", &after)
	if len(before.Etablissements) == 0 {
		t.Fatal("no maternité near Bordeaux before the restart")
	}
	b1, _ := json.Marshal(before.Etablissements)
	b2, _ := json.Marshal(after.Etablissements)
	if string(b1) != string(b2) {
		t.Errorf("results differ after restart:\n%v\n%v", before.Etablissements, after.Etablissements)
	}
}

func TestOversizedBodyIsAProblem(t *testing.T) {
	app := sharedApp(t)
	// Announce a 2 MiB body and send none: the server answers from the
	// headers (a client still writing would see its connection reset).
	conn, err := net.Dial("tcp", app.Addr())
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /api/v1/capacitaire HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: %d\r\n\r\n", 2<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	conn.Close()
	var p problem
	json.Unmarshal(raw, &p)
	if resp.StatusCode != 413 || p.Status != 413 || p.Detail == "" {
		t.Errorf("a 2 MiB body: got %d %.200s, want a 413 problem", resp.StatusCode, raw)
	}
	code, b := send(t, app, "POST", "/api/v1/anomalies", "", "application/json", `{"finess":"010000024","description":`)
	json.Unmarshal(b, &p)
	if code != 400 || len(p.Errors) == 0 || p.Errors[0].Pointer == "" {
		t.Errorf("a truncated JSON body: got %d %s, want a 400 problem with a pointer", code, b)
	}
}
