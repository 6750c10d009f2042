package ror

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

// marks returns a fresh set of marks, pooled; give it back with putMarks.
func (d *Directory) marks() *marks {
	m, _ := d.markPool.Get().(*marks)
	if m == nil {
		m = &marks{}
	}
	if len(m.v) < len(d.cat.EGs) {
		m.v = make([]uint32, len(d.cat.EGs))
	}
	m.stamp++
	if m.stamp == 0 { // wrapped: old stamps could match again
		clear(m.v)
		m.stamp = 1
	}
	return m
}

func (d *Directory) putMarks(m *marks) { d.markPool.Put(m) }
