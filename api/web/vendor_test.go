package web

import (
	"encoding/json"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestVendoredAssetsMatchLock checks that the committed dist/ is the build of
// package-lock.json: a lock changed without `make web` would ship old files
// under new version numbers.
func TestVendoredAssetsMatchLock(t *testing.T) {
	raw, err := os.ReadFile("package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		t.Fatalf("package-lock.json: %v", err)
	}
	versions, err := fs.ReadFile(files, "dist/VERSIONS")
	if err != nil {
		t.Fatalf("dist/VERSIONS missing (make web): %v", err)
	}
	seen := 0
	for _, line := range strings.Split(strings.TrimSpace(string(versions)), "\n") {
		name, version, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("dist/VERSIONS: malformed line %q", line)
		}
		seen++
		if got := lock.Packages["node_modules/"+name].Version; got != version {
			t.Errorf("dist/ holds %s %s, package-lock.json says %q: run make web", name, version, got)
		}
	}
	if seen != 3 {
		t.Errorf("dist/VERSIONS names %d packages, want the 3 the page loads", seen)
	}
}

// TestVendoredFilesThePageLoads checks that every /assets/ file the page and
// its modules name is embedded, with the licences the packages ship.
func TestVendoredFilesThePageLoads(t *testing.T) {
	dist, _ := fs.Sub(files, "dist")
	ref := regexp.MustCompile(`['"]/assets/([^'"]+)['"]`)
	var names []string
	for _, src := range []string{"static/index.html", "static/js/map.js"} {
		b, err := fs.ReadFile(files, src)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ref.FindAllSubmatch(b, -1) {
			names = append(names, string(m[1]))
		}
	}
	names = append(names, "dsfr/LICENSE.md", "leaflet/LICENSE", "markercluster/MIT-LICENCE.txt")
	if len(names) < 8 {
		t.Fatalf("found %d references, the page names more", len(names))
	}
	for _, name := range names {
		if _, err := fs.Stat(dist, name); err != nil {
			t.Errorf("/assets/%s: %v", name, err)
		}
	}
}
