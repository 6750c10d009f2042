package search

import (
	"time"

	"github.com/ror-recherche/ror"
)

// Raw is what machine clients read of the directory (the FHIR API builds
// its resources from it): the records, copies safe to keep, the offres
// with their distance, and the reference data.
type Raw struct{ d *Directory }

// Raw returns the directory's records for machine clients.
func (d *Directory) Raw() Raw { return Raw{d} }

// EJ returns the EJ with this FINESS and when it was imported (an EJ
// changes only with an import).
func (r Raw) EJ(finess string) (ror.EJ, time.Time, bool) {
	d := r.d
	d.mu.RLock()
	defer d.mu.RUnlock()
	ej, ok := d.o.ejs[finess]
	return ej, d.o.ejSince[finess], ok
}

// EachEG calls fn with every EG in FINESS order until fn returns false; fn
// must not keep the pointer nor call the Directory.
func (r Raw) EachEG(fn func(eg *ror.EG) bool) {
	d := r.d
	d.mu.RLock()
	defer d.mu.RUnlock()
	for i := range d.o.cat.EGs {
		if !fn(&d.o.cat.EGs[i]) {
			return
		}
	}
}

// EachEJ calls fn with every EJ, in no order, until fn returns false.
func (r Raw) EachEJ(fn func(ej ror.EJ, since time.Time) bool) {
	d := r.d
	d.mu.RLock()
	defer d.mu.RUnlock()
	for k, ej := range d.o.ejs {
		if !fn(ej, d.o.ejSince[k]) {
			return
		}
	}
}

// EGRecord returns the EG with this FINESS and its UOs.
func (r Raw) EGRecord(finess string) (ror.EG, []ror.UO, bool) {
	d := r.d
	d.mu.RLock()
	defer d.mu.RUnlock()
	ord, ok := d.o.cat.EGOrdinal(finess)
	if !ok {
		return ror.EG{}, nil, false
	}
	uos := make([]ror.UO, 0, len(d.o.cat.UOsOf[ord]))
	for _, u := range d.o.cat.UOsOf[ord] {
		uos = append(uos, d.o.cat.UOs[u])
	}
	return d.o.cat.EGs[ord], uos, true
}

// UORecord returns the UO with this id and its EG.
func (r Raw) UORecord(id string) (ror.UO, ror.EG, bool) {
	d := r.d
	d.mu.RLock()
	defer d.mu.RUnlock()
	ord, ok := d.o.cat.UOOrdinal(id)
	if !ok {
		return ror.UO{}, ror.EG{}, false
	}
	return d.o.cat.UOs[ord], d.o.cat.EGs[d.o.cat.EGOf[ord]], true
}
