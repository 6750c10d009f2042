package ror

import "time"

// Raw records for machine clients (the FHIR API builds its resources from
// them); copies, safe to keep.

// EJ returns the EJ with this FINESS and when it was imported (an EJ
// changes only with an import).
func (d *Directory) EJ(finess string) (EJ, time.Time, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ej, ok := d.ejs[finess]
	return ej, d.ejSince[finess], ok
}

// EachEG calls fn with every EG in FINESS order until fn returns false; fn
// must not keep the pointer nor call the Directory.
func (d *Directory) EachEG(fn func(eg *EG) bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	for i := range d.cat.EGs {
		if !fn(&d.cat.EGs[i]) {
			return
		}
	}
}

// EachEJ calls fn with every EJ, in no order, until fn returns false.
func (d *Directory) EachEJ(fn func(ej EJ, since time.Time) bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	for k, ej := range d.ejs {
		if !fn(ej, d.ejSince[k]) {
			return
		}
	}
}

// EGRecord returns the EG with this FINESS and its UOs.
func (d *Directory) EGRecord(finess string) (EG, []UO, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ord, ok := d.cat.EGOrdinal(finess)
	if !ok {
		return EG{}, nil, false
	}
	uos := make([]UO, 0, len(d.cat.UOsOf[ord]))
	for _, u := range d.cat.UOsOf[ord] {
		uos = append(uos, d.cat.UOs[u])
	}
	return d.cat.EGs[ord], uos, true
}

// UORecord returns the UO with this id and its EG.
func (d *Directory) UORecord(id string) (UO, EG, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ord, ok := d.cat.UOOrdinal(id)
	if !ok {
		return UO{}, EG{}, false
	}
	return d.cat.UOs[ord], d.cat.EGs[d.cat.EGOf[ord]], true
}

// EGsOfEJ returns the FINESS of the EGs of an EJ.
func (d *Directory) EGsOfEJ(ej string) []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	var out []string
	for i := range d.cat.EGs {
		if d.cat.EGs[i].EJ == ej {
			out = append(out, d.cat.EGs[i].FINESS)
		}
	}
	return out
}
