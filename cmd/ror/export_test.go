package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const exportQuery = "ou=75110&dans=types-uo&q=urgences"

func download(t *testing.T, app *App, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get("http://" + app.Addr() + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestExcelExport(t *testing.T) {
	app := sharedApp(t)
	var res searchResp
	get(t, app, "/api/v1/search?"+exportQuery, &res)
	resp, body := download(t, app, "/api/v1/search.xlsx?"+exportQuery)
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte("PK")) {
		t.Fatalf("got %d, %d bytes", resp.StatusCode, len(body))
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, ".xlsx") {
		t.Errorf("Content-Disposition %q names no .xlsx file", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Résultats")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "Établissement" || rows[0][9] != "Type d'UO" {
		t.Errorf("header row %v", rows[0])
	}
	// one row per UO of every result (at most 200 établissements)
	if got, want := len(rows)-1, res.Resume.UO; got < want {
		t.Errorf("got %d UO rows, want at least the %d UOs of the list", got, want)
	}
	if first := res.Etablissements[0]; rows[1][1] != first.FINESS {
		t.Errorf("first row FINESS %s, want %s (the nearest)", rows[1][1], first.FINESS)
	}
	panes, _ := f.GetPanes("Résultats")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	// A mobile unit is a row of its établissement's block, at the base's
	// distance, saying where it intervenes (the last column).
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	block, seen, smur := "", map[string]bool{}, 0
	for _, r := range rows[1:] {
		if r[1] != block {
			if seen[r[1]] {
				t.Errorf("%s: its rows are not one block (listed twice)", r[0])
			}
			block, seen[r[1]] = r[1], true
		}
		if len(r) > col["Intervient à"] && r[col["Intervient à"]] == "Paris 10" {
			smur++
			if r[col["Distance (km)"]] == "0" {
				t.Errorf("%s: unit « %s » at 0 km", r[0], r[col["Nom de l'UO"]])
			}
		}
	}
	if smur < 3 {
		t.Errorf("%d rows say « Intervient à Paris 10 », want the SMUR of Paris (at least 3)", smur)
	}
	crit, _ := f.GetRows("Critères")
	if len(crit) < 4 || !strings.Contains(strings.Join(crit[2], " "), "Paris 10 (75010)") {
		t.Errorf("criteria sheet %v", crit)
	}
	t.Run("LibreOffice reads the same rows", func(t *testing.T) {
		soffice, err := exec.LookPath("libreoffice")
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("libreoffice is not installed on CI")
			}
			t.Skip("no libreoffice here")
		}
		dir := t.TempDir()
		in := filepath.Join(dir, "export.xlsx")
		os.WriteFile(in, body, 0o644)
		cmd := exec.Command(soffice, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
		cmd.Env = append(os.Environ(), "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("libreoffice: %v %s", err, out)
		}
		b, err := os.ReadFile(filepath.Join(dir, "export.csv"))
		if err != nil {
			t.Fatal(err)
		}
		lo, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(lo) != len(rows) {
			t.Fatalf("LibreOffice reads %d rows, excelize %d", len(lo), len(rows))
		}
		for i := range rows {
			if lo[i][0] != rows[i][0] || lo[i][1] != rows[i][1] {
				t.Errorf("row %d: LibreOffice %v, excelize %v", i, lo[i][:2], rows[i][:2])
			}
		}
	})
}

// TestGeoJSON checks the map data against RFC 7946's rules.
func TestGeoJSON(t *testing.T) {
	app := sharedApp(t)
	resp, body := download(t, app, "/api/v1/search.geojson?"+exportQuery)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/geo+json") {
		t.Errorf("content type %q, want application/geo+json", ct)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Type     string          `json:"type"`
			ID       any             `json:"id"`
			Geometry json.RawMessage `json:"geometry"`
			Props    map[string]any  `json:"properties"`
		} `json:"features"`
		NonGeo []any `json:"non_geolocalisees"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
		t.Fatalf("got type %q with %d features", fc.Type, len(fc.Features))
	}
	for _, f := range fc.Features {
		var g struct {
			Type        string    `json:"type"`
			Coordinates []float64 `json:"coordinates"`
		}
		json.Unmarshal(f.Geometry, &g)
		if f.Type != "Feature" || g.Type != "Point" || len(g.Coordinates) != 2 || f.Props == nil {
			t.Fatalf("feature %v is not an RFC 7946 point feature", f.ID)
		}
		if _, ok := f.ID.(string); !ok {
			t.Errorf("id %v is not a string or number", f.ID)
		}
		lon, lat := g.Coordinates[0], g.Coordinates[1]
		if lon < -5.5 || lon > 10 || lat < 41 || lat > 51.5 { // longitude first (§3.1.1), in mainland France
			t.Errorf("feature %v at %v: longitude and latitude swapped?", f.ID, g.Coordinates)
		}
	}
	t.Run("department outlines for the offline map", func(t *testing.T) {
		resp, body := download(t, app, "/api/v1/departements.geojson")
		if resp.StatusCode != 200 || !bytes.Contains(body[:200], []byte("FeatureCollection")) {
			t.Errorf("got %d %.100s", resp.StatusCode, body)
		}
	})
}
