package ror_test

import (
	"bytes"
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/ror-recherche/ror"

// plan is the floor plan: for each package of the module (path under the
// module, "" for the root), the project packages it may import. ror is the
// vocabulary; search (the read side, owner of the live offer) and workflow
// (the write side, through ror.Live) are siblings of the adapters; siblings
// never import each other; cmd/* and internal/wire wire them; replica (the
// replicated log of writes) sees the store, and the workflows only as
// interfaces that cmd/ror fills. A package not
// listed here, or an import not listed for it, fails the test: change the
// plan (and the package's doc comment) on purpose, not by accident.
var plan = map[string][]string{
	"":                 {},
	"search":           {""},
	"workflow":         {""},
	"store":            {""},
	"index":            {""},
	"geo":              {""},
	"data":             {""},
	"data/synth":       {""},
	"api":              {"", "api/fhir", "api/web"},
	"api/fhir":         {""},
	"api/web":          {},
	"internal/sources": {},
	"signon":           {},
	"replica":          {"", "store"},
	"internal/wire":    {"", "api", "data", "geo", "index", "search", "store", "workflow"},
	"cmd/ror":          {"", "api", "data", "data/synth", "index", "internal/wire", "replica", "signon", "store", "workflow"},
	"cmd/rorcluster":   {"store"},
	"cmd/rorbench":     {"", "api", "internal/wire", "search", "store"},
	"cmd/rorload":      {},
}

// stdlibOnly are the packages that import nothing outside the standard
// library and the module: the vocabulary, and what every adapter shares.
var stdlibOnly = []string{"", "internal/sources", "cmd/rorload"}

type listed struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
}

// badEdges returns the imports of pkgs that the plan does not allow.
func badEdges(pkgs []listed, std map[string]bool) []string {
	var bad []string
	for _, p := range pkgs {
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		allowed, ok := plan[rel]
		if !ok {
			bad = append(bad, p.ImportPath+": not in the plan of layout_test.go")
			continue
		}
		for _, imp := range p.Imports {
			switch {
			case imp == module || strings.HasPrefix(imp, module+"/"):
				to := strings.TrimPrefix(strings.TrimPrefix(imp, module), "/")
				if !slices.Contains(allowed, to) {
					bad = append(bad, p.ImportPath+" → "+imp)
				}
			case slices.Contains(stdlibOnly, rel) && !std[imp]:
				bad = append(bad, p.ImportPath+" → "+imp+" (standard library only)")
			}
		}
	}
	return bad
}

// packageDoc returns the whole package comment of p (go list gives its
// first sentence only).
func packageDoc(t *testing.T, p listed) string {
	t.Helper()
	var doc strings.Builder
	fset := token.NewFileSet()
	for _, name := range p.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil {
			doc.WriteString(f.Doc.Text())
		}
	}
	return doc.String()
}

// TestLayout checks the import edges of every package against the plan with
// `go list`, and that each package's doc comment says what it may import.
func TestLayout(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skip("no go command on PATH")
	}
	out, err := exec.Command(goBin, "list", "-json=ImportPath,Dir,GoFiles,Imports", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listed
	for dec := json.NewDecoder(bytes.NewReader(out)); dec.More(); {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	stdOut, err := exec.Command(goBin, "list", "std").Output()
	if err != nil {
		t.Fatalf("go list std: %v", err)
	}
	std := map[string]bool{}
	for _, s := range strings.Fields(string(stdOut)) {
		std[s] = true
	}
	for _, b := range badEdges(pkgs, std) {
		t.Errorf("import not in the plan: %s", b)
	}
	for _, p := range pkgs {
		if doc := packageDoc(t, p); !strings.Contains(doc, "It imports") && !strings.Contains(doc, "may import") {
			t.Errorf("%s: the doc comment does not say what the package may import: %q", p.ImportPath, doc)
		}
	}

	t.Run("a wrong edge fails", func(t *testing.T) {
		wrong := []listed{{ImportPath: module + "/geo", Imports: []string{module, module + "/index"}},
			{ImportPath: module, Imports: []string{"fmt", "github.com/tidwall/rtree"}}}
		got := badEdges(wrong, map[string]bool{"fmt": true})
		want := []string{module + "/geo → " + module + "/index", module + " → github.com/tidwall/rtree (standard library only)"}
		if !slices.Equal(got, want) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}
