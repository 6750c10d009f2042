package store_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/ror-recherche/ror"
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
		if err := db.Offer().ReplaceOffer(ctx, o); err != nil {
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
	if err := db.Offer().ReplaceOffer(ctx, synthOffer(benchEGs, 7)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var o *ror.Offer
	for b.Loop() {
		o = nil
		if o, err = db.Offer().LoadOffer(ctx); err != nil {
			b.Fatal(err)
		}
		if len(o.UOs) != 5*benchEGs {
			b.Fatalf("got %d UOs, want %d", len(o.UOs), 5*benchEGs)
		}
	}
	b.StopTimer()
	// What the loaded offer keeps live: the structs and whatever their
	// fields hold (records, lists), per unit.
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(len(o.UOs)), "live-B/UO")
	runtime.KeepAlive(o)
}
