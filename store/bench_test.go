package store_test

import (
	"context"
	"testing"

	"github.com/ror-recherche/ror/store"
)

// benchEGs is the national scale: 100,000 EGs, 500,000 UOs.
const benchEGs = 100_000

func BenchmarkReplaceOffer(b *testing.B) {
	ctx := context.Background()
	o := synthOffer(benchEGs, 7)
	db, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.ReportAllocs()
	for b.Loop() {
		if err := db.ReplaceOffer(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadOffer(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(b.TempDir(), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.ReplaceOffer(ctx, synthOffer(benchEGs, 7)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		o, err := db.LoadOffer(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if len(o.UOs) != 5*benchEGs {
			b.Fatalf("got %d UOs, want %d", len(o.UOs), 5*benchEGs)
		}
	}
}
