package search

import "sync"

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
