package ror_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/internal/sources"
	"github.com/ror-recherche/ror/store"
)

// writable builds a Directory over the real offer stored in Badger.
func writable(tb testing.TB) (*ror.Directory, *ror.Offer) {
	tb.Helper()
	ctx := context.Background()
	o, err := data.Import(ctx, sources.Dir(tb), time.Now())
	if err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(filepath.Join(tb.TempDir(), "badger"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	if err := db.ReplaceOffer(ctx, o); err != nil {
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
	return ror.NewDirectory(ror.Parts{Catalog: cat, Nomenclature: o.Nomenclature, Index: idx, Store: db, Presets: presets,
		Gazetteer: geo.NewGazetteer(o.Communes, o.Departments), Locator: geo.NewTree(pts), Router: geo.NewRouter()}), o
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

func BenchmarkProximity(b *testing.B) {
	d := directory(b)
	ctx := context.Background()
	for i, q := range []ror.NearQuery{
		{Ou: "91228", Besoin: "obesite-severe", Limit: 10},
		{Ou: "75110", Require: []ror.Requirement{{Facet: ror.FacetTypeUO, AnyOf: []string{"121"}}}, MinLits: 1, Limit: 10},
	} {
		b.Run(fmt.Sprint(i), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := d.Nearby(ctx, q, time.Now()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
