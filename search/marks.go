package search

import (
	"math/bits"
	"sync"
)

// marks tells which EGs a walk over candidate UOs has seen already, without
// clearing 100,000 slots after each search: a slot is marked when it holds
// the walk's stamp.
type marks struct {
	stamp uint32
	v     []uint32 // by EG ordinal
}

// seen reports whether eg was seen in this walk, and marks it.
func (m *marks) seen(eg uint32) bool {
	if m.v[eg] == m.stamp {
		return true
	}
	m.v[eg] = m.stamp
	return false
}

// markPool keeps the marks between searches.
type markPool struct{ p sync.Pool }

// get returns a fresh set of marks for n EGs; give it back with put.
func (mp *markPool) get(n int) *marks {
	m, _ := mp.p.Get().(*marks)
	if m == nil {
		m = &marks{}
	}
	if len(m.v) < n {
		m.v = make([]uint32, n)
	}
	m.stamp++
	if m.stamp == 0 { // wrapped: old stamps could match again
		clear(m.v)
		m.stamp = 1
	}
	return m
}

func (mp *markPool) put(m *marks) { mp.p.Put(m) }

// bitsPool hands out clear bitsets over UO ordinals: areaUnits' union of
// the units of every place in an area (tens of thousands, in any order)
// comes out ascending without a sort.
type bitsPool struct{ p sync.Pool }

type unitBits struct {
	w []uint64
	n int // bits set
}

// get returns a clear bitset for n units; give it back with put.
func (bp *bitsPool) get(n int) *unitBits {
	b, _ := bp.p.Get().(*unitBits)
	if b == nil {
		b = &unitBits{}
	}
	if words := (n + 63) / 64; len(b.w) < words {
		b.w = make([]uint64, words)
	}
	return b
}

func (bp *bitsPool) put(b *unitBits) { bp.p.Put(b) }

func (b *unitBits) add(us []uint32) {
	for _, u := range us {
		w, m := &b.w[u>>6], uint64(1)<<(u&63)
		if *w&m == 0 {
			*w |= m
			b.n++
		}
	}
}

// drain returns the units set, ascending, and leaves the bitset clear.
func (b *unitBits) drain() []uint32 {
	out := make([]uint32, 0, b.n)
	for i, w := range b.w {
		if w == 0 {
			continue
		}
		for ; w != 0; w &= w - 1 {
			out = append(out, uint32(i<<6+bits.TrailingZeros64(w)))
		}
		b.w[i] = 0
	}
	b.n = 0
	return out
}
