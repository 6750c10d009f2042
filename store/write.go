package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// PutUOs writes changed UOs into the current generation with their audit
// entries in one transaction, synced to disk before it returns.
// Unavailable before the first import, Conflict when an import was
// published meanwhile, Invalid beyond about 7,500 UOs at once (txnError).
func (of *Offer) PutUOs(ctx context.Context, uos []ror.UO, changes []ror.Change) error {
	err := of.db.bdb.Update(func(txn *badger.Txn) error {
		cur, err := of.db.editable(txn)
		if err != nil {
			return err
		}
		for i := range uos {
			if err := putUO(txn, cur, &uos[i]); err != nil {
				return err
			}
		}
		return of.db.putChanges(txn, changes)
	})
	if err != nil {
		return fmt.Errorf("store: put %d UO: %w", len(uos), txnError(err))
	}
	return of.db.bdb.Sync()
}

// PutEG writes a changed EG with its audit entry, durably.
func (of *Offer) PutEG(ctx context.Context, eg ror.EG, change ror.Change) error {
	err := of.db.bdb.Update(func(txn *badger.Txn) error {
		cur, err := of.db.editable(txn)
		if err != nil {
			return err
		}
		if err := putEG(txn, cur, &eg); err != nil {
			return err
		}
		return of.db.putChanges(txn, []ror.Change{change})
	})
	if err != nil {
		return fmt.Errorf("store: put EG %s: %w", eg.FINESS, txnError(err))
	}
	return of.db.bdb.Sync()
}

// editable returns the current generation, which edits change in place;
// Unavailable before the first import.
func (db *DB) editable(txn *badger.Txn) (uint64, error) {
	cur, err := db.current(txn)
	if err == nil && cur == 0 {
		err = ror.Errorf(ror.Unavailable, "", "Aucun import : rien à modifier.")
	}
	return cur, err
}

// txnError turns Badger's refusals of an edit into domain errors. Conflict:
// an edit reads the current generation, so it conflicts with an import
// published meanwhile, and the record it changed is no longer the one shown.
// Invalid: one transaction holds about 7,500 bed updates with their audit
// entries (before and after), Badger's limit of 15 % of its default 64 MiB
// memtable, measured.
func txnError(err error) error {
	switch {
	case errors.Is(err, badger.ErrConflict):
		return &ror.Error{Kind: ror.Conflict, Message: "L'offre a été réimportée pendant la modification : rechargez la fiche et recommencez.", Err: err}
	case errors.Is(err, badger.ErrTxnTooBig):
		return &ror.Error{Kind: ror.Invalid, Message: "Trop de modifications en une fois : envoyez-les par lots de 5 000 unités au plus.", Err: err}
	}
	return err
}

// putChanges files each change under its record id and, for UO changes,
// under its EG too, so that an EG's history lists its units' changes.
func (db *DB) putChanges(txn *badger.Txn, changes []ror.Change) error {
	if err := db.markApplied(txn); err != nil { // applied.go
		return err
	}
	for _, c := range changes {
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		at := c.At
		if at.IsZero() {
			at = time.Now()
		}
		ids := []string{c.ID}
		if c.EG != "" && c.EG != c.ID {
			ids = append(ids, c.EG)
		}
		for _, id := range ids {
			if err := txn.Set(logKey(id, at.UnixNano(), db.logSeq.Add(1)), b); err != nil {
				return err
			}
		}
	}
	return nil
}

// Changes returns the audit entries of a UO id or an EG FINESS, newest
// first, at most limit (0: 100).
func (of *Offer) Changes(ctx context.Context, id string, limit int) ([]ror.Change, error) {
	if limit <= 0 {
		limit = 100
	}
	out := []ror.Change{}
	err := of.db.bdb.View(func(txn *badger.Txn) error {
		prefix := logPrefix(id)
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, Reverse: true, PrefetchValues: true})
		defer it.Close()
		seek := append(append([]byte{}, prefix...), 0xff)
		for it.Seek(seek); it.Valid() && len(out) < limit; it.Next() {
			var c ror.Change
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &c) }); err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, err
}
