package index

import (
	"strconv"
	"testing"
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
