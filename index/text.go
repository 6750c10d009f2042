package index

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ror-recherche/ror"
)

// textMatch is what a text criterion finds in the vocabulary: every
// matching entry (no cap: a one-word name search lists every établissement
// whose name has the word), best first, and the ways to find the best one
// of a UO without walking them.
type textMatch struct {
	hits  []hit
	byEG  map[uint32]int32 // EG ordinal → index in hits of its name entry
	codes []int32          // indices in hits of the other entries, best first

	mu    sync.Mutex
	union *roaring.Bitmap // the UOs of every hit, as the index was at generation gen
	gen   uint64
}

// maxCachedHits bounds the matches kept, in hits (about 60 bytes each with
// their EG's slot: 60 MB at most, some 80 of the broadest words, thousands
// of ordinary ones). The vocabulary does not change while the index lives,
// so a kept match never goes stale; only its union of UOs does, and it is
// redone after a Reindex.
const maxCachedHits = 1 << 20

// textCache keeps the matches of the texts searched recently: a broad word
// matches thousands of names, which Bleve takes 10 to 40 ms to list at
// national scale, and coordinators search the same words all day.
type textCache struct {
	mu   sync.Mutex
	m    map[string]*textMatch
	hits int // in every kept match
}

// put keeps tm under key, dropping matches at random until the hits fit.
func (c *textCache) put(key string, tm *textMatch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]*textMatch{}
	}
	if old, ok := c.m[key]; ok { // found meanwhile by another search
		delete(c.m, key)
		c.hits -= len(old.hits) + 1
	}
	for k, old := range c.m { // the map's order is random
		if c.hits+len(tm.hits)+1 <= maxCachedHits {
			break
		}
		delete(c.m, k)
		c.hits -= len(old.hits) + 1
	}
	c.m[key] = tm
	c.hits += len(tm.hits) + 1
}

// clear forgets every match (the vocabulary changed).
func (c *textCache) clear() {
	c.mu.Lock()
	c.m, c.hits = nil, 0
	c.mu.Unlock()
}

func textKey(text string, dans ror.Dans) string {
	return string(dans) + "\x00" + strings.Join(strings.Fields(ror.Fold(text)), " ")
}

// textMatch returns the match of text in dans, from the cache or Bleve.
func (x *Index) textMatch(text string, dans ror.Dans) (*textMatch, error) {
	key := textKey(text, dans)
	c := &x.texts
	c.mu.Lock()
	tm, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return tm, nil
	}
	hits, err := x.search(text, dans, len(x.entries), 1)
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return cmp.Compare(b.score, a.score) })
	tm = &textMatch{hits: hits, byEG: map[uint32]int32{}}
	for i, h := range hits {
		if h.e.dans == ror.DansNoms {
			if _, seen := tm.byEG[h.e.eg]; !seen {
				tm.byEG[h.e.eg] = int32(i)
			}
		} else {
			tm.codes = append(tm.codes, int32(i))
		}
	}
	c.put(key, tm)
	return tm, nil
}

// unionAt returns the UOs of every hit as of generation gen; the caller
// holds the index's read lock, so no Reindex runs meanwhile. The bitmap is
// shared: read it, never change it.
func (tm *textMatch) unionAt(gen uint64) *roaring.Bitmap {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	if tm.union == nil || tm.gen != gen {
		tm.union, tm.gen = union(tm.hits), gen
	}
	return tm.union
}

// union is the UOs of every hit. A broad word has 25,000 names of a few UOs
// each: ORing them one by one into a bitmap took 15 ms, setting their bits
// in a plain bit array then reading it as a bitmap takes one. Hits of many
// UOs (codes, whose bitmaps may hold dense blocks) are ORed after.
func union(hits []hit) *roaring.Bitmap {
	if len(hits) < 64 {
		parts := make([]*roaring.Bitmap, len(hits))
		for i, h := range hits {
			parts[i] = h.e.bm
		}
		return roaring.FastOr(parts...)
	}
	var big, small []*roaring.Bitmap
	size := uint64(0)
	for _, h := range hits {
		switch n := h.e.bm.GetCardinality(); {
		case n == 0:
		case n > 4096: // may hold a dense block, which WriteDenseTo copies over, not ORs
			big = append(big, h.e.bm)
		default:
			small = append(small, h.e.bm)
			size = max(size, h.e.bm.DenseSize())
		}
	}
	dense := make([]uint64, size)
	for _, bm := range small {
		bm.WriteDenseTo(dense)
	}
	u := roaring.FromDense(dense, false)
	for _, bm := range big {
		u.Or(bm)
	}
	u.RunOptimize()
	return u
}

// bestFunc returns the best-ranked hit holding UO ord, a UO of the match:
// its EG's name entry or the first other entry (best first) whose UOs hold
// it, whichever ranks first. It is asked for the UOs rendered only (a page,
// an export), so each call reads the entries under the read lock rather
// than Match computing every entry's share of the match up front (that
// cost more than the whole page for a broad word).
func (x *Index) bestFunc(tm *textMatch) func(uint32) *hit {
	return func(ord uint32) *hit {
		x.mu.RLock()
		defer x.mu.RUnlock()
		best := int32(len(tm.hits))
		if int(ord) < len(x.f.egOf) {
			if i, ok := tm.byEG[x.f.egOf[ord]]; ok {
				best = i
			}
		}
		for _, j := range tm.codes {
			if j >= best {
				break
			}
			if tm.hits[j].e.bm.Contains(ord) {
				best = j
				break
			}
		}
		if int(best) < len(tm.hits) {
			return &tm.hits[best]
		}
		return nil
	}
}

// rankedFunc returns Match.Ranked: each hit's UOs among units, best hit
// first (hits are sorted by score), under the read lock. whole says units
// are every hit's UOs (no code, no filter): a hit's UOs are then handed out
// as they are; a hit of a few UOs (a name) is filtered into a reused list;
// only the others are intersected, which allocates.
func (x *Index) rankedFunc(tm *textMatch, units *roaring.Bitmap, whole bool) func(func(float64, ror.Candidates) bool) {
	return func(fn func(float64, ror.Candidates) bool) {
		x.mu.RLock()
		defer x.mu.RUnlock()
		var buf list
		for i := range tm.hits {
			h := &tm.hits[i]
			var c ror.Candidates
			switch n := h.e.bm.GetCardinality(); {
			case n == 0:
				continue
			case whole:
				c = set{h.e.bm}
			case n <= 64:
				buf = buf[:0]
				h.e.bm.Iterate(func(u uint32) bool {
					if units.Contains(u) {
						buf = append(buf, u)
					}
					return true
				})
				if len(buf) == 0 {
					continue
				}
				c = &buf
			default:
				s := roaring.And(h.e.bm, units)
				if s.IsEmpty() {
					continue
				}
				c = set{s}
			}
			if !fn(h.score, c) {
				return
			}
		}
	}
}
