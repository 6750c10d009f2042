package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestServeExitsWhenTheDataCannotBeLoaded: a new data dir and no usable
// sources end serve with the reason, instead of a process whose /readyz
// answers 503 « réessayer » forever.
func TestServeExitsWhenTheDataCannotBeLoaded(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- Main(ctx, []string{"serve", "-addr", "127.0.0.1:0", "-data", dir, "-sources", filepath.Join(dir, "nulle-part"), "-log-level", "error"},
			func(string) string { return "" })
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "chargement") {
			t.Errorf("got %v, want the load's failure", err)
		}
	case <-time.After(30 * time.Second):
		cancel()
		<-done
		t.Fatal("serve still runs 30 s after its load failed")
	}
}
