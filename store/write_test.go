package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

// bedChange is the audit entry of a new figure of available beds.
func bedChange(u ror.UO, at time.Time) ror.Change {
	after, _ := json.Marshal(u.Capacite)
	return ror.Change{At: at, Author: "gestionnaire", Kind: "capacitaire", ID: u.ID, EG: u.EG, After: after}
}

func TestPutUOsWithHistory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, dir)
	if err := db.Offer().ReplaceOffer(ctx, offer(2, "x")); err != nil {
		t.Fatal(err)
	}
	o, _ := db.Offer().LoadOffer(ctx)
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for n := 1; n <= 3; n++ {
		u := o.UOs[0]
		u.Capacite.Disponibles = n
		if err := db.Offer().PutUOs(ctx, []ror.UO{u}, []ror.Change{bedChange(u, start.Add(time.Duration(n)*time.Minute))}); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	db = open(t, dir) // acknowledged writes survive a restart
	defer db.Close()
	o, _ = db.Offer().LoadOffer(ctx)
	if o.UOs[0].Capacite.Disponibles != 3 {
		t.Errorf("got %d beds available, want the last figure 3", o.UOs[0].Capacite.Disponibles)
	}
	for _, id := range []string{o.UOs[0].ID, o.UOs[0].EG} {
		t.Run("the history of "+id+" lists the newest first", func(t *testing.T) {
			h, err := db.Offer().Changes(ctx, id, 10)
			if err != nil || len(h) != 3 {
				t.Fatalf("got %d entries, %v, want 3", len(h), err)
			}
			for i, c := range h {
				var beds ror.Capacite
				json.Unmarshal(c.After, &beds)
				if want := 3 - i; beds.Disponibles != want {
					t.Errorf("entry %d: got %d beds, want %d", i, beds.Disponibles, want)
				}
			}
		})
	}
	t.Run("the history stops at the limit, keeping the newest", func(t *testing.T) {
		h, _ := db.Offer().Changes(ctx, o.UOs[0].ID, 2)
		if len(h) != 2 || !h[0].At.After(h[1].At) || !h[0].At.Equal(start.Add(3*time.Minute)) {
			t.Errorf("got %d entries, want the 2 newest in order", len(h))
		}
	})
	t.Run("a unit without changes has an empty history", func(t *testing.T) {
		if h, err := db.Offer().Changes(ctx, o.UOs[1].ID, 10); err != nil || len(h) != 0 {
			t.Errorf("got %d entries, %v, want none", len(h), err)
		}
	})
	t.Run("one id's history does not list another whose id it prefixes", func(t *testing.T) {
		// Keys are log/<id>/…: "750000000-1" must not list "750000000-10".
		u := o.UOs[1]
		u.ID += "0"
		if err := db.Offer().PutUOs(ctx, nil, []ror.Change{bedChange(u, start)}); err != nil {
			t.Fatal(err)
		}
		if h, _ := db.Offer().Changes(ctx, o.UOs[1].ID, 10); len(h) != 0 {
			t.Errorf("got %d entries, want none", len(h))
		}
	})
}

func TestPutUOsIsAtomic(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	if err := db.Offer().ReplaceOffer(ctx, offer(1, "x")); err != nil {
		t.Fatal(err)
	}
	o, _ := db.Offer().LoadOffer(ctx)
	u := o.UOs[0]
	u.Capacite.Disponibles = 9
	bad := bedChange(u, time.Now())
	bad.After = json.RawMessage("{pas du JSON") // fails in the middle of the transaction
	if err := db.Offer().PutUOs(ctx, []ror.UO{u}, []ror.Change{bedChange(u, time.Now()), bad}); err == nil {
		t.Fatal("a change that cannot be written: got no error")
	}
	t.Run("a failed write changes no unit", func(t *testing.T) {
		o, _ := db.Offer().LoadOffer(ctx)
		if got := o.UOs[0].Capacite.Disponibles; got != 2 {
			t.Errorf("got %d beds available, want the imported 2", got)
		}
	})
	t.Run("a failed write leaves no history", func(t *testing.T) {
		if h, _ := db.Offer().Changes(ctx, u.ID, 10); len(h) != 0 {
			t.Errorf("got %d entries, want none", len(h))
		}
	})
}

func TestPutEG(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	g := offer(1, "x").EGs[0]
	if err := db.Offer().PutEG(ctx, g, ror.Change{ID: g.FINESS, Kind: "eg"}); ror.ErrorKind(err) != ror.Unavailable {
		t.Errorf("before any import: got %v, want Unavailable", err)
	}
	if err := db.Offer().ReplaceOffer(ctx, offer(3, "x")); err != nil {
		t.Fatal(err)
	}
	g.Phone, g.Version = "04 00 00 00 00", 3
	before, _ := json.Marshal(offer(1, "x").EGs[0])
	after, _ := json.Marshal(g)
	if err := db.Offer().PutEG(ctx, g, ror.Change{At: time.Now(), Author: "référent", Kind: "eg", ID: g.FINESS, Before: before, After: after}); err != nil {
		t.Fatal(err)
	}
	o, _ := db.Offer().LoadOffer(ctx)
	if len(o.EGs) != 3 || o.EGs[0].Phone != g.Phone || o.EGs[0].Version != 3 {
		t.Errorf("got %d EGs, the first %+v, want 3 with the new phone", len(o.EGs), o.EGs[0])
	}
	if h, _ := db.Offer().Changes(ctx, g.FINESS, 10); len(h) != 1 || h[0].Author != "référent" {
		t.Errorf("got %+v, want the one change of the référent", h)
	}
}

func TestPutUOsBeforeImport(t *testing.T) {
	db := open(t, t.TempDir())
	defer db.Close()
	u := offer(1, "x").UOs[0]
	err := db.Offer().PutUOs(context.Background(), []ror.UO{u}, nil)
	if ror.ErrorKind(err) != ror.Unavailable {
		t.Errorf("got %v, want Unavailable", err)
	}
}

func TestPutUOsTooMany(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	o := offer(4000, "x")
	if err := db.Offer().ReplaceOffer(ctx, o); err != nil {
		t.Fatal(err)
	}
	var changes []ror.Change
	for _, u := range o.UOs {
		changes = append(changes, bedChange(u, time.Now()))
	}
	err := db.Offer().PutUOs(ctx, o.UOs, changes)
	if ror.ErrorKind(err) != ror.Invalid {
		t.Errorf("20,000 UOs at once: got %v, want Invalid", err)
	}
}

func BenchmarkPutUOs(b *testing.B) {
	// One bed update with its history entry, synced: the latency a
	// gestionnaire de lits waits for.
	ctx := context.Background()
	db := open(b, b.TempDir())
	defer db.Close()
	if err := db.Offer().ReplaceOffer(ctx, offer(100, "x")); err != nil {
		b.Fatal(err)
	}
	u := offer(100, "x").UOs[42]
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		u.Capacite.Disponibles = n % 7
		u.Name = fmt.Sprint(n)
		if err := db.Offer().PutUOs(ctx, []ror.UO{u}, []ror.Change{bedChange(u, time.Now())}); err != nil {
			b.Fatal(err)
		}
	}
}
