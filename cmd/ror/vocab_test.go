package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/internal/sources"
	"github.com/ror-recherche/ror/store"
)

// The vocabulary kept on disk beside the store makes restarts fast, and
// never answers for an offer it was not built from.
func TestVocabularyOnDiskFollowsTheStore(t *testing.T) {
	dir := t.TempDir()
	meta := filepath.Join(dir, vocabDir, "index_meta.json")
	mtime := func() time.Time {
		t.Helper()
		fi, err := os.Stat(meta)
		if err != nil {
			t.Fatal(err)
		}
		return fi.ModTime()
	}
	names := func(app *App, q string) map[string]bool {
		t.Helper()
		var r searchResp
		get(t, app, "/api/v1/search?dans=noms&q="+q, &r)
		out := map[string]bool{}
		for _, eg := range r.Etablissements {
			out[eg.FINESS] = true
		}
		return out
	}
	app := startApp(t, dir, sources.Dir(t), slice)
	built := mtime()
	app.Close()

	t.Run("a restart on the same data reuses it", func(t *testing.T) {
		app := startApp(t, dir, "")
		defer app.Close()
		if got := mtime(); !got.Equal(built) {
			t.Errorf("index_meta.json written at %v, was %v: the vocabulary was rebuilt", got, built)
		}
		if len(names(app, "hopital")) == 0 {
			t.Error("no établissement named hôpital from the reused vocabulary")
		}
	})
	t.Run("an EG renamed in the store is found by its new name after a restart", func(t *testing.T) {
		db, err := store.Open(filepath.Join(dir, "badger"), store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		offer, err := db.Offer().LoadOffer(context.Background())
		if err != nil {
			db.Close()
			t.Fatal(err)
		}
		eg := offer.EGs[0]
		eg.Name = "Zorglub Santé"
		err = db.Offer().PutEG(context.Background(), eg, ror.Change{At: time.Now(), Author: "test", Kind: "eg", ID: eg.FINESS})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		app := startApp(t, dir, "")
		defer app.Close()
		if got := names(app, "zorglub"); !got[eg.FINESS] || len(got) != 1 {
			t.Errorf("zorglub: got %v, want only %s", got, eg.FINESS)
		}
		if mtime().Equal(built) {
			t.Error("index_meta.json untouched: a stale vocabulary served")
		}
	})
	t.Run("a new import rebuilds it", func(t *testing.T) {
		before := mtime()
		if err := Main(context.Background(), []string{"import", "-data", dir, "-sources", sources.Dir(t), "-departements", strings.Join(testSlice, ","), "-log-level", "error"}, func(string) string { return "" }); err != nil {
			t.Fatal(err)
		}
		app := startApp(t, dir, "")
		defer app.Close()
		if len(names(app, "zorglub")) != 0 {
			t.Error("the name of the previous import is still found")
		}
		if mtime().Equal(before) {
			t.Error("index_meta.json untouched after a new import")
		}
	})
}
