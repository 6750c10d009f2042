package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

var logSeq atomic.Uint64 // orders audit entries written in the same nanosecond

// PutUOs writes changed UOs into the current generation with their audit
// entries in one transaction, synced to disk before it returns.
func (db *DB) PutUOs(ctx context.Context, uos []ror.UO, changes []ror.Change) error {
	err := db.bdb.Update(func(txn *badger.Txn) error {
		cur, err := db.current(txn)
		if err != nil {
			return err
		}
		if cur == 0 {
			return ror.Errorf(ror.Unavailable, "", "Aucun import : rien à modifier.")
		}
		for i := range uos {
			b, err := json.Marshal(&uos[i])
			if err != nil {
				return err
			}
			if err := txn.Set(genKey(cur, "uo", uos[i].ID), b); err != nil {
				return err
			}
		}
		return putChanges(txn, changes)
	})
	if err != nil {
		return fmt.Errorf("store: put %d UO: %w", len(uos), err)
	}
	return db.bdb.Sync()
}

// PutEG writes a changed EG with its audit entry, durably.
func (db *DB) PutEG(ctx context.Context, eg ror.EG, change ror.Change) error {
	err := db.bdb.Update(func(txn *badger.Txn) error {
		cur, err := db.current(txn)
		if err != nil {
			return err
		}
		b, err := json.Marshal(&eg)
		if err != nil {
			return err
		}
		if err := txn.Set(genKey(cur, "eg", eg.FINESS), b); err != nil {
			return err
		}
		return putChanges(txn, []ror.Change{change})
	})
	if err != nil {
		return fmt.Errorf("store: put EG %s: %w", eg.FINESS, err)
	}
	return db.bdb.Sync()
}

// putChanges files each change under its record id and, for UO changes,
// under its EG too, so that an EG's history lists its units' changes.
func putChanges(txn *badger.Txn, changes []ror.Change) error {
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
			if err := txn.Set(logKey(id, at.UnixNano(), logSeq.Add(1)), b); err != nil {
				return err
			}
		}
	}
	return nil
}

// Changes returns the audit entries of a UO id or an EG FINESS, newest
// first, at most limit (0: 100).
func (db *DB) Changes(ctx context.Context, id string, limit int) ([]ror.Change, error) {
	if limit <= 0 {
		limit = 100
	}
	out := []ror.Change{}
	err := db.bdb.View(func(txn *badger.Txn) error {
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
