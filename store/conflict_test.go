package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/ror-recherche/ror"
)

// TestConcurrentDraftEditsAre409: many edits of one draft from one version
// at once: one applies, every other gets a Conflict naming the current
// version, never an internal error (Badger's « Transaction Conflict »
// passed through was a 500).
func TestConcurrentDraftEditsAre409(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	if err := db.Offer().ReplaceOffer(ctx, offer(1, "x")); err != nil {
		t.Fatal(err)
	}
	for round := range 30 {
		prev := round // the draft's stored version before this round
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, conflicts := 0, 0
		for w := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				d := ror.Draft{ID: "d", EG: "750000000", Status: ror.DraftOpen, Version: prev + 1, Reason: string(rune('a' + w))}
				err := db.Drafts().PutDraft(ctx, d, prev)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					ok++
				case ror.ErrorKind(err) == ror.Conflict:
					conflicts++
					if e := ror.AsError(err); e.Current == nil {
						t.Errorf("a conflict without the current version: %v", err)
					}
				default:
					t.Errorf("round %d: got %v, want nil or Conflict", round, err)
				}
			}()
		}
		wg.Wait()
		if ok != 1 || conflicts != 11 {
			t.Fatalf("round %d: %d applied, %d conflicts, want 1 and 11", round, ok, conflicts)
		}
	}
}

// TestConcurrentClosingsOfAReport: one closing applies, the others get 409.
func TestConcurrentClosingsOfAReport(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	a := ror.Anomaly{ID: "r1", EG: "750000000", Status: ror.AnomalyOpen}
	if err := db.Anomalies().PutAnomaly(ctx, a, ror.Change{ID: "r1", Kind: "anomalie"}); err != nil {
		t.Fatal(err)
	}
	a.Status = ror.AnomalyClosed
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, conflicts := 0, 0
	for range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.Anomalies().CloseAnomaly(ctx, a, ror.Change{ID: "r1", EG: a.EG, Kind: "anomalie"})
			mu.Lock()
			defer mu.Unlock()
			switch ror.ErrorKind(err) {
			case ror.Conflict:
				conflicts++
			default:
				if err != nil {
					t.Errorf("got %v, want nil or Conflict", err)
				}
				ok++
			}
		}()
	}
	wg.Wait()
	if ok != 1 || conflicts != 11 {
		t.Errorf("%d closings applied, %d conflicts, want 1 and 11", ok, conflicts)
	}
}
