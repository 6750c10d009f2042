package search

import (
	"context"

	"github.com/ror-recherche/ror"
)

// view is the live offer as a workflow's plan reads it; the caller holds
// d.mu.
type view struct{ d *Directory }

func (v view) EG(finess string) (ror.EG, bool) {
	ord, ok := v.d.o.cat.EGOrdinal(finess)
	if !ok {
		return ror.EG{}, false
	}
	return v.d.o.cat.EGs[ord], true
}

func (v view) UO(id string) (ror.UO, ror.EG, bool) {
	ord, ok := v.d.o.cat.UOOrdinal(id)
	if !ok {
		return ror.UO{}, ror.EG{}, false
	}
	return v.d.o.cat.UOs[ord], v.d.o.cat.EGs[v.d.o.cat.EGOf[ord]], true
}

// Read implements ror.Live.
func (d *Directory) Read(fn func(r ror.Records)) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	fn(view{d})
}

// Update implements ror.Live: the single entry of every change. One update
// at a time (wmu), so that the store and the catalog change in the same
// order; the plan reads under the read lock (searches go on), the store is
// written without any catalog lock, and the catalog and the index change
// together under the write lock.
func (d *Directory) Update(ctx context.Context, plan func(r ror.Records) (*ror.Update, error)) error {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	d.mu.RLock()
	u, err := plan(view{d})
	d.mu.RUnlock()
	if err != nil || u == nil {
		return err
	}
	if u.Commit != nil {
		if err := u.Commit(ctx); err != nil {
			return err
		}
	}
	d.apply(u)
	return nil
}

// apply makes an update visible to searches: catalog and index under the
// write lock. The index re-files under it: another update appending to
// cat.UOs meanwhile would race the index reading it.
func (d *Directory) apply(u *ror.Update) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var ords []uint32
	if len(u.Lieux) > 0 {
		d.o.applyLieux(u.Lieux, nil) // before the UOs that list them
	}
	if u.EG != nil {
		egOrd, _ := d.o.cat.EGOrdinal(u.EG.FINESS)
		renamed := d.o.cat.EGs[egOrd].Name != u.EG.Name
		d.o.cat.EGs[egOrd] = *u.EG
		if renamed {
			d.o.rankNames()
			ords = append(ords, d.o.cat.UOsOf[egOrd]...) // its name is re-indexed with them
		}
	}
	for _, uo := range u.UOs {
		if ord, ok := d.o.cat.UOOrdinal(uo.ID); ok {
			d.o.cat.UOs[ord] = uo
			ords = append(ords, ord)
		} else if egOrd, ok := d.o.cat.EGOrdinal(uo.EG); ok {
			ords = append(ords, d.o.cat.Add(uo, egOrd))
		}
	}
	if len(u.Lieux) > 0 || d.o.cat.HasLieux() {
		d.o.applyLieux(nil, u.UOs)
	}
	for _, uo := range u.Beds {
		if ord, ok := d.o.cat.UOOrdinal(uo.ID); ok {
			d.o.cat.UOs[ord].Capacite = uo.Capacite
		}
	}
	if u.EG != nil || len(u.UOs) > 0 {
		d.o.index.Reindex(d.o.cat, ords)
	}
}
