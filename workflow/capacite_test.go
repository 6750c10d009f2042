package workflow_test

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/internal/sources"
	"github.com/ror-recherche/ror/search"
	"github.com/ror-recherche/ror/store"
	"github.com/ror-recherche/ror/workflow"
)

var (
	offerOnce sync.Once
	offer     *ror.Offer
	offerErr  error
)

// realOffer imports the real data once for the package's tests and hands
// each caller its own EG and UO slices.
func realOffer(tb testing.TB) *ror.Offer {
	tb.Helper()
	src := sources.Dir(tb)
	offerOnce.Do(func() {
		offer, offerErr = data.Import(context.Background(), src, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	})
	if offerErr != nil {
		tb.Fatal(offerErr)
	}
	o := *offer
	o.EGs = slices.Clone(offer.EGs)
	o.UOs = slices.Clone(offer.UOs)
	return &o
}

// writable builds the capacitaire workflow over a real read side and the
// real offer stored in Badger.
func writable(tb testing.TB) (*workflow.Beds, *ror.Offer) {
	tb.Helper()
	ctx := context.Background()
	o := realOffer(tb)
	db, err := store.Open(filepath.Join(tb.TempDir(), "badger"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.Offer().ReplaceOffer(ctx, o); err != nil {
		tb.Fatal(err)
	}
	cat := ror.NewCatalog(o.EGs, o.UOs)
	idx, err := index.Build(cat, o.Nomenclature, index.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	presets, _ := data.Presets(o.Nomenclature)
	pts := make([]ror.Point, len(cat.EGs))
	for i := range cat.EGs {
		pts[i] = cat.EGs[i].Point
	}
	d := search.NewDirectory(search.Parts{Catalog: cat, Nomenclature: o.Nomenclature, Index: idx, Presets: presets,
		Gazetteer: geo.NewGazetteer(o.Communes, o.Departments), Locator: geo.NewTree(pts), Router: geo.NewRouter()})
	return workflow.NewBeds(d, db.Offer()), o
}

// BenchmarkFeed applies a feed of 5,000 lines (every line a new figure) in
// one durable transaction.
func BenchmarkFeed(b *testing.B) {
	d, o := writable(b)
	admin := &ror.Account{Name: "bench", Role: ror.RoleAdmin}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n++
		feed := ror.Feed{}
		for i := 0; i < 5000 && i < len(o.UOs); i++ {
			feed.Updates = append(feed.Updates, ror.CapaciteUpdate{UO: o.UOs[i].ID, Installes: 20, Disponibles: (i + n) % 10})
		}
		rep, err := d.UpdateCapacite(context.Background(), admin, feed, time.Now())
		if err != nil || len(rep.Rejected) > 0 {
			b.Fatalf("%v %v", err, rep.Rejected[:min(3, len(rep.Rejected))])
		}
	}
}

// TestBedsOrderedByFactTime: a figure older than the stored one is refused
// and reported with the stored date, the others of the feed apply, and a
// feed in all-or-nothing mode applies none of them.
func TestBedsOrderedByFactTime(t *testing.T) {
	d, _ := writable(t)
	ctx := context.Background()
	gest := &ror.Account{Name: "Gestionnaire Bourg", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}}
	now := time.Now()
	put := func(feed ror.Feed) *ror.FeedReport {
		t.Helper()
		rep, err := d.UpdateCapacite(ctx, gest, feed, now)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := put(ror.Feed{Updates: []ror.CapaciteUpdate{{UO: "010000024-REA", Installes: 12, Disponibles: 10, At: now}}}); rep.Applied != 1 {
		t.Fatalf("first figure: got %+v, want applied", rep)
	}
	old := ror.CapaciteUpdate{UO: "010000024-REA", Installes: 12, Disponibles: 0, At: now.Add(-6 * time.Hour)}
	other := ror.CapaciteUpdate{UO: "010000024-MED", Installes: 200, Disponibles: 3, At: now.Add(-6 * time.Hour)}

	t.Run("an older line is refused with the stored date, the others apply", func(t *testing.T) {
		rep := put(ror.Feed{Updates: []ror.CapaciteUpdate{old, other}})
		if rep.Applied != 1 || len(rep.Rejected) != 1 || rep.Rejected[0].Kind != ror.Conflict || rep.Rejected[0].Current != now.UTC().Format(time.RFC3339) {
			t.Fatalf("got %+v, want MED applied and REA refused as a conflict naming %s", rep, now.UTC().Format(time.RFC3339))
		}
	})
	t.Run("in all-or-nothing mode an older line voids the feed", func(t *testing.T) {
		other.At, other.Disponibles = now.Add(-time.Hour), 4
		rep := put(ror.Feed{Updates: []ror.CapaciteUpdate{old, other}, AllOrNothing: true})
		if rep.Applied != 0 || len(rep.Rejected) != 1 {
			t.Fatalf("got %+v, want nothing applied", rep)
		}
	})
	t.Run("the stored figure is still the newest", func(t *testing.T) {
		h, err := d.Changes(ctx, "010000024-REA", 10)
		if err != nil || len(h) != 1 {
			t.Fatalf("history: %v %d entries, want 1", err, len(h))
		}
	})
	t.Run("a fact time out of the window is refused", func(t *testing.T) {
		for _, at := range []time.Time{
			time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), // the future
			time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), // the distant past
			now.Add(-ror.MaxFactAge - time.Minute),      // just older than a week
			now.Add(ror.MaxFactAhead + time.Minute),     // just past the clock skew allowed
		} {
			rep := put(ror.Feed{Updates: []ror.CapaciteUpdate{{UO: "010000024-SI", Installes: 6, Disponibles: 1, At: at}}})
			if rep.Applied != 0 || len(rep.Rejected) != 1 || rep.Rejected[0].Field != "maj" {
				t.Errorf("maj %s: got %+v, want refused on maj", at, rep)
			}
		}
	})
	t.Run("a référent may not write beds", func(t *testing.T) {
		ref := &ror.Account{Name: "Référent Bourg", Role: ror.RoleReferent, Scope: []string{"010000024"}}
		_, err := d.UpdateCapacite(ctx, ref, ror.Feed{Updates: []ror.CapaciteUpdate{{UO: "010000024-SI", Installes: 6, Disponibles: 1}}}, now)
		if ror.ErrorKind(err) != ror.Forbidden {
			t.Errorf("got %v, want Forbidden", err)
		}
	})
}
