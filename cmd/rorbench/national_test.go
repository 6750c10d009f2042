package main

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ror-recherche/ror/internal/wire"
	"github.com/ror-recherche/ror/search"
	"github.com/ror-recherche/ror/store"
)

var (
	nationalOnce  sync.Once
	nationalDir   *search.Directory
	nationalCases []*benchCase
)

// national loads the data dir of `make bench` (ROR_BENCH_DATA, else
// var/national/data) as the server does; the benchmark is skipped when
// there is none.
func national(b *testing.B) (*search.Directory, []*benchCase) {
	b.Helper()
	dir := os.Getenv("ROR_BENCH_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "var", "national", "data")
	}
	if _, err := os.Stat(filepath.Join(dir, "badger")); err != nil {
		b.Skipf("pas de jeu national dans %s (make bench le crée)", dir)
	}
	nationalOnce.Do(func() {
		quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
		db, err := store.Open(filepath.Join(dir, "badger"), store.Options{Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		offer, err := db.Offer().LoadOffer(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		svc, err := wire.Build(offer, dir, db, wire.Routing{})
		if err != nil {
			b.Fatal(err)
		}
		nationalDir = svc.Directory
		nationalCases = benchCases(offer)
	})
	if nationalDir == nil {
		b.Fatal("jeu national non chargé")
	}
	return nationalDir, nationalCases
}

// BenchmarkNational runs the warm in-process cases of `make bench` on the
// national set, each query in turn: compare medians of -count runs with
// benchstat (the shared machine's noise hides small changes in one run).
func BenchmarkNational(b *testing.B) {
	d, cases := national(b)
	ctx := context.Background()
	for _, c := range cases {
		if c.inProcess == nil || c.cold {
			continue
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if err := c.inProcess(ctx, d, c.queries[i%len(c.queries)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
