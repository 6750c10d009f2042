package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

func TestAnomalies(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	if err := db.ReplaceOffer(ctx, offer(2, "x")); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for _, a := range []ror.Anomaly{
		{ID: "a1", EG: "750000000", Status: ror.AnomalyOpen, CreatedAt: at},
		{ID: "a2", EG: "750000000", Status: ror.AnomalyOpen, CreatedAt: at},
		{ID: "b1", EG: "750000001", Status: ror.AnomalyOpen, CreatedAt: at},
	} {
		if err := db.PutAnomaly(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if as, err := db.Anomalies(ctx, "750000000"); err != nil || len(as) != 2 {
		t.Errorf("reports of one EG: got %d (%v), want 2", len(as), err)
	}
	if as, _ := db.Anomalies(ctx, ""); len(as) != 3 {
		t.Errorf("every report: got %d, want 3", len(as))
	}
	b1, err := db.Anomaly(ctx, "b1")
	if err != nil || b1.EG != "750000001" {
		t.Fatalf("b1: got %+v, %v", b1, err)
	}
	for _, id := range []string{"b", "", "750000001/b1", "0/b1"} {
		if _, err := db.Anomaly(ctx, id); ror.ErrorKind(err) != ror.NotFound {
			t.Errorf("id %q: got %v, want NotFound", id, err)
		}
	}
	b1.Status, b1.Resolution, b1.ClosedBy, b1.ClosedAt = ror.AnomalyClosed, "corrigé", "Référente", at.Add(time.Hour)
	c := ror.Change{At: b1.ClosedAt, Author: "Référente", Kind: "anomalie", ID: "b1", EG: b1.EG}
	if err := db.CloseAnomaly(ctx, b1, c); err != nil {
		t.Fatal(err)
	}
	if err := db.CloseAnomaly(ctx, b1, c); ror.ErrorKind(err) != ror.Conflict {
		t.Errorf("closing twice: got %v, want a Conflict", err)
	}
	if got, _ := db.Anomaly(ctx, "b1"); got.Status != ror.AnomalyClosed || got.ClosedBy != "Référente" {
		t.Errorf("stored: %+v", got)
	}
	if h, _ := db.Changes(ctx, "750000001", 10); len(h) != 1 || h[0].Kind != "anomalie" {
		t.Errorf("the EG's history: got %+v, want the closing", h)
	}
}
