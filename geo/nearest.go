package geo

import (
	"cmp"
	"slices"

	"github.com/ror-recherche/ror"
)

// DirectScanMax is the number of candidates under which a nearest-K search
// measures every candidate instead of walking the R-tree: a selective
// criterion would otherwise visit most of the tree before finding its
// places.
const DirectScanMax = 20000

// Nearest implements ror.Locator: a scan of the candidates when they are
// few, else the R-tree walk in key order; either way places come out in
// increasing key, then ordinal, order.
func (t *Tree) Nearest(q ror.Nearest, visit func(ord uint32, key float64) bool) bool {
	if q.N > 0 && !q.WantMore {
		// Nobody asks whether there are more: stop at the N-th, and drop
		// the farther ones unchecked.
		n, visit0 := 0, visit
		visit = func(ord uint32, key float64) bool { n++; return visit0(ord, key) && n < q.N }
	}
	if q.Len <= DirectScanMax && q.Each != nil {
		return t.scan(q, visit)
	}
	return t.walk(q, visit)
}

// walk visits the tree nearest-first by q.Rank: the rtree opens boxes by
// their lower bound, so each place is visited in exact key order.
func (t *Tree) walk(q ror.Nearest, visit func(ord uint32, key float64) bool) bool {
	n, more := 0, false
	var taken *marks // groups visited: in key order, a group's first place is its nearest
	if q.Group != nil {
		taken = t.getMarks()
		defer t.marks.Put(taken)
	}
	t.tr.Nearby(
		func(min, max [2]float64, _ uint32, item bool) float64 {
			if item {
				return q.Rank.Of(ror.Point{Lon: min[0], Lat: min[1]})
			}
			return q.Rank.Bound(ror.Point{Lon: min[0], Lat: min[1]}, ror.Point{Lon: max[0], Lat: max[1]})
		},
		func(_, _ [2]float64, ord uint32, key float64) bool {
			if q.Max > 0 && key > q.Max {
				return false
			}
			g := ord
			if taken != nil {
				if g = q.Group(ord); taken.marked(g) {
					return true
				}
			}
			if q.Has != nil && !q.Has(ord) || q.Keep != nil && !q.Keep(ord, key) {
				return true
			}
			if q.N > 0 && n == q.N {
				more = true
				return false
			}
			if taken != nil {
				taken.mark(g)
			}
			n++
			return visit(ord, key)
		},
	)
	return more
}

// placed is a candidate place with its key.
type placed struct {
	ord uint32
	key float64
}

func placedOrder(a, b placed) int {
	if a.key != b.key {
		return cmp.Compare(a.key, b.key)
	}
	return cmp.Compare(a.ord, b.ord)
}

// scan measures each candidate place once and keeps the q.N best in a
// bounded max-heap (the worst kept on top): a broad match costs one
// comparison per place, not a sort. Keep is asked for each candidate in
// turn (a place's next candidate may be kept where the first was not), and
// only for places that would enter the list: once the list is known to be
// cut, a place whose cheap bound is past the worst kept is dropped
// unmeasured.
func (t *Tree) scan(q ror.Nearest, visit func(ord uint32, key float64) bool) bool {
	mk := t.getMarks()
	var h []placed
	if q.N > 0 {
		h = make([]placed, 0, min(q.N, q.Len))
	}
	cut := !q.WantMore // a kept place was left out: the list is cut (or nobody asks)
	last, started := uint32(0), false
	var lastKey float64
	done := false // the current place is decided: kept, or out for good
	// With Group, kept holds the group of each place in h: a nearer place
	// of a kept group takes its entry, a farther one is dropped.
	var kept map[uint32]uint32
	if q.Group != nil {
		kept = map[uint32]uint32{}
	}
	q.Each(func(ord uint32) bool {
		if started && ord == last { // a UO's ordinal follows its EG's: runs
			if done {
				return true
			}
		} else {
			last, started, done = ord, true, true
			if int(ord) >= len(t.pts) || mk.marked(ord) {
				return true
			}
			p := t.pts[ord]
			if !p.Valid() {
				return true
			}
			full := q.N > 0 && len(h) == q.N
			if full && cut && q.Rank.Cheap != nil && q.Rank.Cheap(p) > h[0].key {
				mk.mark(ord) // the worst kept only gets nearer
				return true
			}
			lastKey = q.Rank.Of(p)
			if q.Max > 0 && lastKey > q.Max {
				mk.mark(ord)
				return true
			}
			done = false
		}
		c := placed{ord, lastKey}
		full := q.N > 0 && len(h) == q.N
		g, dup := ord, false
		if kept != nil {
			g = q.Group(ord)
			_, dup = kept[g]
		}
		if dup {
			i := slices.IndexFunc(h, func(e placed) bool { return kept[g] == e.ord })
			if placedOrder(c, h[i]) >= 0 {
				done = true
				mk.mark(ord)
				return true
			}
			if q.Keep != nil && !q.Keep(ord, lastKey) {
				return true
			}
			done = true
			mk.mark(ord)
			h[i], kept[g] = c, ord
			downFrom(h, i) // a max-heap entry got nearer: it sinks
			return true
		}
		if full && placedOrder(c, h[0]) >= 0 {
			// Farther than every kept one; whether Keep takes it only
			// decides whether the list is cut.
			if !cut && (q.Keep == nil || q.Keep(ord, lastKey)) {
				cut = true
			}
			if cut {
				done = true
				mk.mark(ord)
			}
			return true
		}
		if q.Keep != nil && !q.Keep(ord, lastKey) {
			return true // its next candidate may be
		}
		done = true
		mk.mark(ord)
		if kept != nil {
			if full {
				delete(kept, q.Group(h[0].ord))
			}
			kept[g] = ord
		}
		if full {
			h[0] = c
			down(h)
			cut = true
			return true
		}
		h = append(h, c)
		up(h)
		return true
	})
	t.marks.Put(mk)
	slices.SortFunc(h, placedOrder)
	for i, c := range h {
		if !visit(c.ord, c.key) {
			return cut || i+1 < len(h)
		}
	}
	return cut
}

// up restores the max-heap after an append.
func up(h []placed) {
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if placedOrder(h[i], h[p]) <= 0 {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

// down restores the max-heap after its top was replaced.
func down(h []placed) { downFrom(h, 0) }

// downFrom restores the max-heap after entry i got nearer.
func downFrom(h []placed, i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		if r := l + 1; r < len(h) && placedOrder(h[r], h[l]) > 0 {
			l = r
		}
		if placedOrder(h[l], h[i]) <= 0 {
			return
		}
		h[i], h[l] = h[l], h[i]
		i = l
	}
}

// marks tells which places a scan has seen already, without clearing a
// slot per place after each search: a slot is marked when it holds the
// scan's stamp.
type marks struct {
	stamp uint32
	v     []uint32 // by ordinal
}

// marked reports whether ord was decided in this scan.
func (m *marks) marked(ord uint32) bool { return m.v[ord] == m.stamp }

// mark notes that ord is decided.
func (m *marks) mark(ord uint32) { m.v[ord] = m.stamp }

func (t *Tree) getMarks() *marks {
	m, _ := t.marks.Get().(*marks)
	if m == nil || len(m.v) < len(t.pts) { // or places were added since
		m = &marks{v: make([]uint32, len(t.pts))}
	}
	m.stamp++
	if m.stamp == 0 { // wrapped: old stamps could match again
		clear(m.v)
		m.stamp = 1
	}
	return m
}
