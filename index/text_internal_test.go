package index

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// The kept matches never hold more than maxCachedHits hits, however many
// broad words are searched.
func TestTextCacheIsBounded(t *testing.T) {
	var c textCache
	for i := range 200 {
		c.put(strconv.Itoa(i), &textMatch{hits: make([]hit, maxCachedHits/10)})
		c.put(strconv.Itoa(i), &textMatch{hits: make([]hit, 3)}) // the same text again
		c.put("small"+strconv.Itoa(i), &textMatch{hits: make([]hit, 5)})
		total := 0
		for _, tm := range c.m {
			total += len(tm.hits) + 1
		}
		if total != c.hits || c.hits > maxCachedHits {
			t.Fatalf("after %d puts: %d hits kept, counted %d, bound %d", i+1, total, c.hits, maxCachedHits)
		}
	}
}

// TestUnionIsEveryHitsUOs checks the union of a broad match (through a bit
// array) against ORing the hits one by one: small and large entries, runs,
// dense blocks, empty ones.
func TestUnionIsEveryHitsUOs(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for round := range 20 {
		var hits []hit
		for range 50 + r.IntN(500) {
			bm := roaring.New()
			switch r.IntN(6) {
			case 0: // a code of many UOs: a dense block
				start := r.Uint64N(500_000)
				bm.AddRange(start, start+5000+r.Uint64N(70_000))
			case 1: // empty
			case 2: // a run
				start := r.Uint64N(600_000)
				bm.AddRange(start, start+1+r.Uint64N(40))
				bm.RunOptimize()
			default: // a name: a few UOs
				for range 1 + r.IntN(8) {
					bm.Add(r.Uint32N(600_000))
				}
			}
			hits = append(hits, hit{e: &entry{bm: bm}})
		}
		want := roaring.New()
		for _, h := range hits {
			want.Or(h.e.bm)
		}
		if got := union(hits); !got.Equals(want) {
			t.Fatalf("round %d: union of %d hits has %d UOs, want %d", round, len(hits), got.GetCardinality(), want.GetCardinality())
		}
	}
}
