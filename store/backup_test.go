package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

func TestBackupRestore(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	in := offer(10, "sauvegardé")
	if err := db.Offer().ReplaceOffer(ctx, in); err != nil {
		t.Fatal(err)
	}
	u := in.UOs[3]
	u.Capacite.Disponibles = 7
	if err := db.Offer().PutUOs(ctx, []ror.UO{u}, []ror.Change{bedChange(u, time.Now())}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := db.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	// Written after the backup: must not be in the copy.
	if err := db.Offer().ReplaceOffer(ctx, offer(1, "après")); err != nil {
		t.Fatal(err)
	}

	restored := open(t, t.TempDir())
	defer restored.Close()
	if err := restored.Restore(&buf); err != nil {
		t.Fatal(err)
	}
	want := offer(10, "sauvegardé")
	want.UOs[3] = u
	t.Run("the restored store holds the offer of the backup", func(t *testing.T) {
		out, err := restored.Offer().LoadOffer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameOffer(t, out, want)
	})
	t.Run("the restored store keeps the history", func(t *testing.T) {
		if h, _ := restored.Offer().Changes(ctx, u.ID, 10); len(h) != 1 {
			t.Errorf("got %d entries, want 1", len(h))
		}
	})
	t.Run("the restored store takes edits", func(t *testing.T) {
		u.Capacite.Disponibles = 1
		if err := restored.Offer().PutUOs(ctx, []ror.UO{u}, nil); err != nil {
			t.Fatal(err)
		}
	})
}
