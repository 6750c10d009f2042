package index

import (
	"slices"
	"strings"
	"sync"

	"github.com/ror-recherche/ror"
)

// genCache keeps answers that depend on the index's generation, valid
// until the next Reindex: the facet counts of recent criteria (they depend on
// the criterion and the filters only, never on the commune, the radius or
// the page, so the same word searched from every commune of France counts
// once; counting costs 2 to 4 ms over a broad match set at national scale)
// and recent suggestions (Bleve takes up to 25 ms over 100,000 names).
// Values are never handed out: get and put copy them.
type genCache[T any] struct {
	mu   sync.Mutex
	m    map[string]genEntry[T]
	copy func(T) T
}

type genEntry[T any] struct {
	gen uint64
	v   T
}

// maxCached bounds each cache; past it an entry at random makes room. A
// broad criterion's facets hold 2,000 values (80 kB): 40 MB at most.
const maxCached = 512

// facetKey names what the counts of q depend on.
func facetKey(q *ror.Query) string {
	var b strings.Builder
	b.WriteString(textKey(q.Text, q.Dans))
	b.WriteByte(0)
	codes := slices.Clone(q.Codes)
	slices.Sort(codes)
	b.WriteString(strings.Join(codes, ","))
	facets := make([]string, 0, len(q.Filters))
	for f := range q.Filters {
		facets = append(facets, string(f))
	}
	slices.Sort(facets)
	for _, f := range facets {
		vals := slices.Clone(q.Filters[ror.Facet(f)])
		slices.Sort(vals)
		b.WriteString("\x00" + f + "=" + strings.Join(vals, ","))
	}
	return b.String()
}

func (c *genCache[T]) get(key string, gen uint64) (T, bool) {
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if !ok || e.gen != gen {
		var zero T
		return zero, false
	}
	return c.copy(e.v), true
}

func (c *genCache[T]) put(key string, gen uint64, v T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]genEntry[T]{}
	}
	if len(c.m) >= maxCached {
		for k := range c.m { // any one: the map's order is random
			delete(c.m, k)
			break
		}
	}
	c.m[key] = genEntry[T]{gen: gen, v: c.copy(v)}
}

// copyFacets copies the list, not the values: Match.Facets values are
// shared, read only.
func copyFacets(fs []ror.FacetCounts) []ror.FacetCounts { return slices.Clone(fs) }
