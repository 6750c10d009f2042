package search

import "sort"

// firstInOrder sorts the first n groups of gs in order and drops the rest,
// reporting whether it dropped any, without sorting them all.
func firstInOrder(gs []group, n int, order func(a, b *group) int) ([]group, bool) {
	if len(gs) <= n {
		sort.Slice(gs, func(i, j int) bool { return order(&gs[i], &gs[j]) < 0 })
		return gs, false
	}
	t := newTop(n, order)
	for i := range gs {
		t.add(gs[i])
	}
	return t.sorted()
}

// top keeps the first n groups in order of those added: a max-heap, the
// worst kept on top, so that a broad word matching 20,000 établissements
// costs a comparison each, not a sort.
type top struct {
	h     []group
	n     int
	added int
	order func(a, b *group) int
}

func newTop(n int, order func(a, b *group) int) *top {
	return &top{h: make([]group, 0, n+1), n: n, order: order} // +1: the spare slot of add
}

func (t *top) full() bool    { return len(t.h) == t.n }
func (t *top) worst() *group { return &t.h[0] }

func (t *top) add(g group) {
	t.added++
	if len(t.h) < t.n {
		t.h = append(t.h, g)
		for i := len(t.h) - 1; i > 0; { // up
			p := (i - 1) / 2
			if t.order(&t.h[i], &t.h[p]) <= 0 {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	if t.n == 0 {
		return
	}
	// Compared from the spare slot past the heap: &g handed to order would
	// move every g added to the heap (escape analysis cannot see through
	// the func), one allocation per candidate établissement.
	spare := t.h[:t.n+1]
	spare[t.n] = g
	if t.order(&spare[t.n], &t.h[0]) >= 0 {
		return
	}
	t.h[0] = spare[t.n]
	for i := 0; ; { // down
		l := 2*i + 1
		if l >= len(t.h) {
			return
		}
		if r := l + 1; r < len(t.h) && t.order(&t.h[r], &t.h[l]) > 0 {
			l = r
		}
		if t.order(&t.h[l], &t.h[i]) <= 0 {
			return
		}
		t.h[i], t.h[l] = t.h[l], t.h[i]
		i = l
	}
}

// sorted returns the groups kept, in order, and whether any was dropped.
func (t *top) sorted() ([]group, bool) {
	h := t.h
	sort.Slice(h, func(i, j int) bool { return t.order(&h[i], &h[j]) < 0 })
	return h, t.added > len(h)
}
