package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

// TestScheduledDrafts checks the schedule of publications: a draft validated
// for a date is listed from that date on, survives a restart, and leaves the
// schedule when it is published or rejected.
func TestScheduledDrafts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, dir)
	if err := db.Offer().ReplaceOffer(ctx, offer(1, "x")); err != nil {
		t.Fatal(err)
	}
	dec1 := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	put := func(id string, st ror.DraftStatus, at time.Time, prev int) ror.Draft {
		t.Helper()
		d := ror.Draft{ID: id, EG: "750000000", Status: st, EffectiveAt: at, Version: prev + 1}
		if err := db.Drafts().PutDraft(ctx, d, prev); err != nil {
			t.Fatal(err)
		}
		return d
	}
	put("b", ror.DraftValidated, dec1.Add(time.Hour), 0)
	a := put("a", ror.DraftValidated, dec1, 0)
	put("c", ror.DraftSubmitted, dec1, 0) // not validated: never scheduled
	due := func(until time.Time) []string {
		t.Helper()
		ids, err := db.Drafts().ScheduledDrafts(ctx, until)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	cases := []struct {
		until time.Time
		want  []string
		why   string
	}{
		{dec1.Add(-time.Nanosecond), nil, "nothing is due before its date"},
		{dec1, []string{"a"}, "a draft is due at its date exactly"},
		{dec1.Add(2 * time.Hour), []string{"a", "b"}, "earliest first"},
	}
	for _, c := range cases {
		if got := due(c.until); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.why, got, c.want)
		}
	}
	db.Close()
	db = open(t, dir)
	defer db.Close()
	if got := due(dec1.Add(2 * time.Hour)); len(got) != 2 {
		t.Errorf("after a restart: got %v, want a and b", got)
	}
	t.Run("a published draft leaves the schedule", func(t *testing.T) {
		a.Status, a.Version = ror.DraftPublished, a.Version+1
		if err := db.Drafts().Publish(ctx, ror.Publication{Draft: a, Prev: 1}); err != nil {
			t.Fatal(err)
		}
		if got := due(dec1.Add(2 * time.Hour)); !slices.Equal(got, []string{"b"}) {
			t.Errorf("got %v, want [b]", got)
		}
	})
	t.Run("publishing twice is a conflict, not a second publication", func(t *testing.T) {
		err := db.Drafts().Publish(ctx, ror.Publication{Draft: a, Prev: 1})
		if ror.ErrorKind(err) != ror.Conflict {
			t.Errorf("got %v, want a Conflict", err)
		}
	})
	t.Run("a rejected draft leaves the schedule", func(t *testing.T) {
		put("b", ror.DraftRejected, dec1.Add(time.Hour), 1)
		if got := due(dec1.Add(2 * time.Hour)); len(got) != 0 {
			t.Errorf("got %v, want nothing", got)
		}
	})
}
