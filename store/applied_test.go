package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

// A write made while applying log message n records n in its own
// transaction; after a restart the store says n, so the applier resumes at
// n+1. A write outside the log (one process alone) records nothing.
func TestAppliedRidesWithTheWrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, dir)
	if err := db.Offer().ReplaceOffer(ctx, offer(2, "x")); err != nil {
		t.Fatal(err)
	}
	o, _ := db.Offer().LoadOffer(ctx)
	u := o.UOs[0]
	u.Capacite.Disponibles = 4
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if err := db.Offer().PutUOs(ctx, []ror.UO{u}, []ror.Change{bedChange(u, at)}); err != nil {
		t.Fatal(err)
	}
	if seq, _ := db.Progress().Applied(); seq != 0 {
		t.Fatalf("a write outside the log recorded message %d", seq)
	}
	db.Progress().Applying(41)
	u.Capacite.Disponibles = 5
	err := db.Offer().PutUOs(ctx, []ror.UO{u}, []ror.Change{bedChange(u, at.Add(time.Minute))})
	db.Progress().Applying(0)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, dir)
	defer db.Close()
	if seq, _ := db.Progress().Applied(); seq != 41 {
		t.Errorf("after a restart the store says message %d applied, want 41", seq)
	}
	if err := db.Progress().SetApplied(42); err != nil { // a refused write: recorded alone
		t.Fatal(err)
	}
	if seq, _ := db.Progress().Applied(); seq != 42 {
		t.Errorf("applied %d, want 42", seq)
	}
}

// Two stores given the same writes in the same order have the same digest,
// though their audit keys end with counters of their own processes (one was
// restarted between the writes); one more write tells them apart.
func TestDigestComparesData(t *testing.T) {
	ctx := context.Background()
	dirB := t.TempDir()
	a, b := open(t, t.TempDir()), open(t, dirB)
	defer a.Close()
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	o := offer(3, "x")
	o.ImportedAt = at
	for _, db := range []*store.DB{a, b} {
		if err := db.Offer().ReplaceOffer(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	put := func(db *store.DB, n int) {
		t.Helper()
		u := o.UOs[1]
		u.Capacite.Disponibles = n
		if err := db.Offer().PutUOs(ctx, []ror.UO{u}, []ror.Change{bedChange(u, at.Add(time.Duration(n)*time.Second))}); err != nil {
			t.Fatal(err)
		}
	}
	put(a, 1)
	put(b, 1)
	b.Close()
	b = open(t, dirB) // its audit counter starts again
	defer b.Close()
	put(a, 2)
	put(b, 2)
	da, na, _ := a.Progress().Digest()
	db, nb, _ := b.Progress().Digest()
	if da != db || na != nb {
		t.Fatalf("same writes, different digests: %s (%d keys) vs %s (%d keys)", da[:12], na, db[:12], nb)
	}
	put(b, 3)
	if d, _, _ := b.Progress().Digest(); d == da {
		t.Error("one more write, same digest")
	}
}
