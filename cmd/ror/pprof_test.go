package main

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestPprofOnlyOnLoopback checks that profiles, which say much of the
// service, are served on this machine's loopback only, and are served there.
func TestPprofOnlyOnLoopback(t *testing.T) {
	for _, addr := range []string{":6060", "0.0.0.0:6060", "192.168.1.10:6060", "exemple.fr:6060", "6060"} {
		if _, err := ParseFlags([]string{"-pprof", addr}, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("-pprof %s accepted, want refused", addr)
		}
	}
	cfg, err := ParseFlags(nil, func(k string) string { return map[string]string{"ROR_PPROF": "127.0.0.1:0"}[k] }, io.Discard)
	if err != nil || cfg.Pprof != "127.0.0.1:0" {
		t.Fatalf("ROR_PPROF=127.0.0.1:0: got %q, %v", cfg.Pprof, err)
	}
	at, err := servePprof(cfg.Pprof, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + at.String() + "/debug/pprof/goroutine?debug=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(b), "goroutine profile") {
		t.Errorf("got %d %.80s, want the goroutine profile", resp.StatusCode, b)
	}
}
