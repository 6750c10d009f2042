package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// header is the small record of an import.
type header struct {
	Sources    []string  `json:"sources"`
	ImportedAt time.Time `json:"imported_at"`
}

// storedConcept keeps every field of a concept (ror.Concept hides Code and
// System from JSON).
type storedConcept struct {
	Key, Code, Label, System string
}

// ReplaceOffer writes o under a new generation with a WriteBatch (an import
// is far bigger than one Badger transaction), publishes it by setting the
// current key in one transaction, then drops the previous generation. Edits
// (PutUOs, PutEG, Publish) committed before the flip belong to the previous
// generation and are replaced with it; one racing the flip fails.
func (of *Offer) ReplaceOffer(ctx context.Context, o *ror.Offer) error {
	of.db.imp.Lock()
	defer of.db.imp.Unlock()
	// Above every generation on disk, so that nothing a failed import left
	// can mix into this one.
	top, err := of.db.collect()
	if err != nil {
		return err
	}
	var cur uint64
	if err := of.db.bdb.View(func(txn *badger.Txn) (err error) { cur, err = of.db.current(txn); return }); err != nil {
		return err
	}
	gen := top + 1
	if err := of.writeGeneration(ctx, gen, o); err != nil {
		if derr := of.db.bdb.DropPrefix(genPrefix(gen)); derr != nil {
			of.db.log.Warn("store: unfinished generation left for the next open", "gen", gen, "err", derr)
		}
		return fmt.Errorf("store: write generation %d: %w", gen, err)
	}
	// The generation must be on disk before the key that names it.
	if err := of.db.bdb.Sync(); err != nil {
		return err
	}
	if err := of.db.bdb.Update(func(txn *badger.Txn) error {
		return txn.Set(keyCurrent, binary.BigEndian.AppendUint64(nil, gen))
	}); err != nil {
		return fmt.Errorf("store: publish generation %d: %w", gen, err)
	}
	if err := of.db.bdb.Sync(); err != nil {
		return err
	}
	if cur != 0 {
		if err := of.db.bdb.DropPrefix(genPrefix(cur)); err != nil {
			of.db.log.Warn("store: previous generation left for the next open", "gen", cur, "err", err)
		}
	}
	return nil
}

// writeGeneration writes every record of o under gen.
func (of *Offer) writeGeneration(ctx context.Context, gen uint64, o *ror.Offer) error {
	wb := of.db.bdb.NewWriteBatch()
	defer wb.Cancel()
	putJSON := func(key []byte, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return wb.Set(key, b)
	}
	if err := putJSON(genKey(gen, "meta", ""), header{Sources: o.Sources, ImportedAt: o.ImportedAt}); err != nil {
		return err
	}
	if o.Nomenclature != nil {
		for _, vs := range o.Nomenclature.ValueSets() {
			var cs []storedConcept
			for _, c := range o.Nomenclature.Concepts(vs) {
				cs = append(cs, storedConcept{c.Key, c.Code, c.Label, c.System})
			}
			if err := putJSON(genKey(gen, "nom", string(vs)), cs); err != nil {
				return err
			}
		}
	}
	if err := putJSON(genKey(gen, "communes", ""), o.Communes); err != nil {
		return err
	}
	if err := putJSON(genKey(gen, "deps", ""), o.Departments); err != nil {
		return err
	}
	for i := range o.EJs {
		if err := putJSON(genKey(gen, "ej", o.EJs[i].FINESS), &o.EJs[i]); err != nil {
			return err
		}
	}
	for i := range o.EGs {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := putEG(wb, gen, &o.EGs[i]); err != nil {
			return err
		}
	}
	for i := range o.UOs {
		if i%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := putUO(wb, gen, &o.UOs[i]); err != nil {
			return err
		}
	}
	if err := putLieux(wb, gen, o.Lieux); err != nil {
		return err
	}
	return wb.Flush()
}

// setter is what both a transaction and a WriteBatch offer. Badger keeps the
// slices until it commits: each record gets its own.
type setter interface {
	Set(key, val []byte) error
}

func putUO(s setter, gen uint64, u *ror.UO) error {
	b, err := appendUO(nil, u)
	if err != nil {
		return fmt.Errorf("UO %s: %w", u.ID, err)
	}
	return s.Set(uoKey(gen, u.ID), b)
}

func putEG(s setter, gen uint64, g *ror.EG) error {
	b, err := appendEG(nil, g)
	if err != nil {
		return fmt.Errorf("EG %s: %w", g.FINESS, err)
	}
	return s.Set(egKey(gen, g.FINESS), b)
}
