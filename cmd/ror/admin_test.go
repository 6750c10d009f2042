package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror/store"
)

func TestAdminCreateReadsThePasswordFromStdin(t *testing.T) {
	stdin := func(s string) *os.File {
		t.Helper()
		p := filepath.Join(t.TempDir(), "stdin")
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		return f
	}
	cfg := DefaultConfig()
	cfg.DataDir, cfg.TokenName = t.TempDir(), "Première Admin"
	var out bytes.Buffer
	if err := adminCreate(context.Background(), cfg, stdin("court\n"), &out); err == nil || !strings.Contains(err.Error(), "12") {
		t.Errorf("a short password: got %v, want the rule of 12 characters", err)
	}
	if err := adminCreate(context.Background(), cfg, stdin("une-phrase-de-passe-longue\n"), &out); err != nil {
		t.Fatal(err)
	}
	cfg.TokenName = ""
	if err := adminCreate(context.Background(), cfg, stdin("une-phrase-de-passe-longue\n"), &out); err == nil {
		t.Error("no -name: got no error, want one")
	}
	db, err := store.Open(filepath.Join(cfg.DataDir, "badger"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := db.Accounts().VerifyPassword(context.Background(), "Première Admin", "une-phrase-de-passe-longue", time.Now())
	if err != nil || a.Role != "administrateur" {
		t.Errorf("got %+v, %v, want an administrator who signs in", a, err)
	}
}
