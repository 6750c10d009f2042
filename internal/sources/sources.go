// Package sources finds the directory of official open data for tests: the
// ROR_SOURCES variable, else ../shared/data beside the repository. Tests
// only use it. It imports the standard library only.
package sources

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Dir returns the sources directory. When it is missing the test is skipped,
// except under CI (CI=true) where it fails: CI always has ../shared beside
// its clone.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("ROR_SOURCES")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0) // …/internal/sources/sources.go
		root := filepath.Dir(filepath.Dir(filepath.Dir(file)))
		dir = filepath.Join(root, "..", "shared", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "communes.csv")); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatalf("sources directory %s: %v", dir, err)
		}
		tb.Skipf("no sources directory at %s (set ROR_SOURCES)", dir)
	}
	return dir
}
