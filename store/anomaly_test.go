package store_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

func TestAnomalies(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	if err := db.Offer().ReplaceOffer(ctx, offer(2, "x")); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for i, a := range []ror.Anomaly{
		{ID: "a1", EG: "750000000", Status: ror.AnomalyOpen},
		{ID: "a2", EG: "750000000", Status: ror.AnomalyOpen},
		{ID: "b1", EG: "750000001", Status: ror.AnomalyOpen},
	} {
		a.CreatedAt = at.Add(time.Duration(i) * time.Minute)
		if err := db.Anomalies().PutAnomaly(ctx, a, ror.Change{At: a.CreatedAt, Author: "signalement anonyme", Kind: "anomalie", ID: a.ID, EG: a.EG}); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(q ror.AnomalyFilter) []string {
		t.Helper()
		as, _, err := db.Anomalies().Anomalies(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	if got := ids(ror.AnomalyFilter{EG: "750000000"}); !slices.Equal(got, []string{"a2", "a1"}) {
		t.Errorf("reports of one EG: got %v, want a2 a1 (newest first)", got)
	}
	if got := ids(ror.AnomalyFilter{}); !slices.Equal(got, []string{"b1", "a2", "a1"}) {
		t.Errorf("every report: got %v, want b1 a2 a1", got)
	}
	b1, err := db.Anomalies().Anomaly(ctx, "b1")
	if err != nil || b1.EG != "750000001" {
		t.Fatalf("b1: got %+v, %v", b1, err)
	}
	for _, id := range []string{"b", "", "750000001/b1", "0/b1"} {
		if _, err := db.Anomalies().Anomaly(ctx, id); ror.ErrorKind(err) != ror.NotFound {
			t.Errorf("id %q: got %v, want NotFound", id, err)
		}
	}
	b1.Status, b1.Resolution, b1.ClosedBy, b1.ClosedAt = ror.AnomalyClosed, "corrigé", "Référente", at.Add(time.Hour)
	c := ror.Change{At: b1.ClosedAt, Author: "Référente", Kind: "anomalie", ID: "b1", EG: b1.EG}
	if err := db.Anomalies().CloseAnomaly(ctx, b1, c); err != nil {
		t.Fatal(err)
	}
	if err := db.Anomalies().CloseAnomaly(ctx, b1, c); ror.ErrorKind(err) != ror.Conflict {
		t.Errorf("closing twice: got %v, want a Conflict", err)
	}
	if got, _ := db.Anomalies().Anomaly(ctx, "b1"); got.Status != ror.AnomalyClosed || got.ClosedBy != "Référente" {
		t.Errorf("stored: %+v", got)
	}
	if got := ids(ror.AnomalyFilter{Status: ror.AnomalyOpen}); !slices.Equal(got, []string{"a2", "a1"}) {
		t.Errorf("open reports: got %v, want a2 a1", got)
	}
	if got := ids(ror.AnomalyFilter{Status: ror.AnomalyClosed}); !slices.Equal(got, []string{"b1"}) {
		t.Errorf("closed reports: got %v, want b1", got)
	}
	if got := ids(ror.AnomalyFilter{Keep: func(eg string) bool { return eg == "750000001" }}); !slices.Equal(got, []string{"b1"}) {
		t.Errorf("a référent's scope: got %v, want b1", got)
	}
	if h, _ := db.Offer().Changes(ctx, "750000001", 10); len(h) != 2 || h[0].Kind != "anomalie" {
		t.Errorf("the EG's history: got %+v, want the filing and the closing", h)
	}
	if _, _, err := db.Anomalies().Anomalies(ctx, ror.AnomalyFilter{Cursor: "../x"}); ror.ErrorKind(err) != ror.Invalid {
		t.Errorf("a forged cursor: got %v, want Invalid", err)
	}
}

// TestAnomalyPagesFollowTheCursor walks 250 reports 40 at a time: every
// report once, newest first.
func TestAnomalyPagesFollowTheCursor(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	as := synthReports(250, 3)
	if err := db.LoadAnomaliesForTest(as); err != nil {
		t.Fatal(err)
	}
	var got []string
	cursor := ""
	for range 10 {
		page, next, err := db.Anomalies().Anomalies(ctx, ror.AnomalyFilter{Limit: 40, Cursor: cursor})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range page {
			got = append(got, a.ID)
		}
		if cursor = next; cursor == "" {
			break
		}
	}
	sort.Slice(as, func(i, j int) bool { return as[i].CreatedAt.After(as[j].CreatedAt) })
	var want []string
	for _, a := range as {
		want = append(want, a.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %d reports, want the %d newest first", len(got), len(want))
	}
}

// TestAnomalyQueueIsBoundedPerEG: past MaxOpenAnomaliesPerEG open reports,
// an EG's new ones are Limited; another EG's are not.
func TestAnomalyQueueIsBoundedPerEG(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	as := synthReports(ror.MaxOpenAnomaliesPerEG, 1)
	if err := db.LoadAnomaliesForTest(as); err != nil {
		t.Fatal(err)
	}
	next := ror.Anomaly{ID: "plein", EG: as[0].EG, Status: ror.AnomalyOpen, CreatedAt: time.Now()}
	if err := db.Anomalies().PutAnomaly(ctx, next, ror.Change{ID: "plein", Kind: "anomalie"}); ror.ErrorKind(err) != ror.Limited {
		t.Errorf("one report too many: got %v, want Limited", err)
	}
	next.EG, next.ID = "750000999", "ailleurs"
	if err := db.Anomalies().PutAnomaly(ctx, next, ror.Change{ID: "ailleurs", Kind: "anomalie"}); err != nil {
		t.Errorf("another EG: got %v", err)
	}
}

// synthReports returns n reports over egs EGs, one a minute, every third
// closed when there are several EGs.
func synthReports(n, egs int) []ror.Anomaly {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	as := make([]ror.Anomaly, n)
	for i := range as {
		st := ror.AnomalyOpen
		if i%3 == 2 && egs > 1 {
			st = ror.AnomalyClosed
		}
		as[i] = ror.Anomaly{ID: fmt.Sprintf("%016x", i*7919+1), EG: fmt.Sprintf("7500%05d", i%egs), Status: st,
			Field: "telephone", Description: "Le numéro a changé", Email: "a.b@example.org", CreatedAt: t0.Add(time.Duration(i) * time.Minute)}
	}
	return as
}

// listingStore is a store holding n reports over n/200 EGs (at least
// one): every page of 10 the benchmark asks (all, open, one EG's) is full
// with 10 reports as with 100,000.
func listingStore(tb testing.TB, n int) *store.DB {
	tb.Helper()
	db := open(tb, tb.TempDir())
	tb.Cleanup(func() { db.Close() })
	if err := db.LoadAnomaliesForTest(synthReports(n, max(1, n/200))); err != nil {
		tb.Fatal(err)
	}
	return db
}

// BenchmarkAnomalyList lists the 10 newest reports (every EG, open ones,
// one EG's) with 10 and with 100,000 stored: the index makes them cost the
// same (compare medians: make bench-go PKGS=./store).
func BenchmarkAnomalyList(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		db := listingStore(b, n)
		for _, q := range []ror.AnomalyFilter{{Limit: 10}, {Limit: 10, Status: ror.AnomalyOpen}, {Limit: 10, EG: "750000000"}} {
			b.Run(fmt.Sprintf("stored=%d/eg=%s/statut=%s", n, q.EG, q.Status), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, _, err := db.Anomalies().Anomalies(context.Background(), q); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestAnomalyListingCostDoesNotGrow: listing 10 reports (all, open, one
// EG's) with 100,000 stored takes at most twice as long as with 10 (medians
// of 300 runs, alternated so that the machine's load hits both alike).
func TestAnomalyListingCostDoesNotGrow(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 100,000 reports")
	}
	small, large := listingStore(t, 10), listingStore(t, 100_000)
	for _, q := range []ror.AnomalyFilter{{Limit: 10}, {Limit: 10, Status: ror.AnomalyOpen}, {Limit: 10, EG: "750000000"}} {
		time1 := func(db *store.DB) time.Duration {
			start := time.Now()
			if page, _, err := db.Anomalies().Anomalies(context.Background(), q); err != nil || len(page) != 10 {
				t.Fatalf("%+v: %v, %d reports", q, err, len(page))
			}
			return time.Since(start)
		}
		for range 50 { // warm both block caches
			time1(small)
			time1(large)
		}
		var a, b []time.Duration
		for range 300 {
			a = append(a, time1(small))
			b = append(b, time1(large))
		}
		slices.Sort(a)
		slices.Sort(b)
		ma, mb := a[len(a)/2], b[len(b)/2]
		t.Logf("eg=%q statut=%q: median listing of 10: %v with 10 reports, %v with 100,000 (%.2f×)", q.EG, q.Status, ma, mb, float64(mb)/float64(ma))
		if mb > 2*ma {
			t.Errorf("eg=%q statut=%q: listing 10 with 100,000 reports: median %v, more than twice %v with 10", q.EG, q.Status, mb, ma)
		}
	}
}
