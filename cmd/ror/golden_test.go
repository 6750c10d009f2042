package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/ror-recherche/ror/internal/sources"
)

// update rewrites the golden files from the answers (make golden).
var update = flag.Bool("update", false, "rewrite testdata/golden from the answers")

// volatile are the fields that change from run to run (timings, the import
// date, request ids): replaced before comparing.
var volatile = map[string]bool{"duree_ms": true, "maj": true, "lastUpdated": true, "request_id": true, "cree": true, "valueDateTime": true}

var took = regexp.MustCompile(`en [0-9]+ ms`)

// TestGoldenAnswers compares whole answers of the real service with the
// files of testdata/golden: a search page, problem bodies of the kinds a
// client sees (400, 404, unknown route) and a FHIR resource. A change of
// any field shows up in review as a diff of these files.
func TestGoldenAnswers(t *testing.T) {
	// A service of its own: the shared one's beds and dossiers change under
	// the other tests.
	app := startApp(t, t.TempDir(), sources.Dir(t))
	defer app.Close()
	for _, c := range []struct{ name, path string }{
		{"search-types-uo-paris10", "/api/v1/search?ou=75110&dans=types-uo&code=20&rayon=3"},
		{"problem-unknown-commune", "/api/v1/search?ou=Pariss&q=cardiologie"},
		{"problem-fiche-not-found", "/api/v1/eg/010999999"},
		{"problem-no-route", "/api/v1/nulle-part"},
		{"fhir-organization", "/fhir/Organization/010000024"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, err := http.Get("http://" + app.Addr() + c.path)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			got := normalise(t, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			file := filepath.Join("testdata", "golden", c.name+".json")
			if *update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (make golden writes it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("GET %s differs from %s (make golden after checking the change):\n%s", c.path, file, firstDiff(got, want))
			}
		})
	}
}

// normalise indents the answer, with its status and content type, and
// blanks the volatile fields.
func normalise(t *testing.T, status int, ctype string, body []byte) []byte {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%v in %.300s", err, body)
	}
	out, err := json.MarshalIndent(map[string]any{"status": status, "content_type": ctype, "body": blank(v)}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(out, '\n')
}

func blank(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if volatile[k] {
				x[k] = "…"
			} else {
				x[k] = blank(e)
			}
		}
	case []any:
		for i := range x {
			x[i] = blank(x[i])
		}
	case string:
		return took.ReplaceAllString(x, "en … ms") // the summary sentence's timing
	}
	return v
}

// firstDiff shows the first differing line and its neighbours.
func firstDiff(got, want []byte) string {
	g, w := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl []byte
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(gl, wl) {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + string(gl) + "\n  want: " + string(wl)
		}
	}
	return ""
}
