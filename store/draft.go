package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// PutDraft stores d with its audit entries when the stored draft is still
// at version prev, and keeps the schedule of publications in step.
func (ds *Drafts) PutDraft(ctx context.Context, d ror.Draft, prev int, changes ...ror.Change) error {
	err := ds.db.retried(func(txn *badger.Txn) error {
		if err := putDraft(txn, d, prev); err != nil {
			return err
		}
		return ds.db.putChanges(txn, changes)
	})
	if err != nil {
		return fmt.Errorf("store: put draft %s: %w", d.ID, conflictError(err, "Le brouillon", ds.draftVersion(d.ID)))
	}
	return ds.db.bdb.Sync()
}

// draftVersion returns a reader of the stored version of draft id (0 when
// it cannot be read), for the 409 of a conflict.
func (ds *Drafts) draftVersion(id string) func() int {
	return func() int {
		var v int
		ds.db.bdb.View(func(txn *badger.Txn) error {
			d, err := storedDraft(txn, id)
			v = d.Version
			return err
		})
		return v
	}
}

// Draft returns the draft id.
func (ds *Drafts) Draft(ctx context.Context, id string) (ror.Draft, error) {
	var d ror.Draft
	err := ds.db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(draftKey(id))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ror.Errorf(ror.NotFound, "id", "Le brouillon « %s » n'existe pas.", id)
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error { return json.Unmarshal(v, &d) })
	})
	return d, err
}

// Publish writes the records of a validated draft, their audit entries and
// the draft in one transaction, synced before it returns.
func (ds *Drafts) Publish(ctx context.Context, p ror.Publication) error {
	err := ds.db.bdb.Update(func(txn *badger.Txn) error {
		cur, err := ds.db.editable(txn)
		if err != nil {
			return err
		}
		for i := range p.UOs {
			if err := putUO(txn, cur, &p.UOs[i]); err != nil {
				return err
			}
		}
		if p.EG != nil {
			if err := putEG(txn, cur, p.EG); err != nil {
				return err
			}
		}
		if err := putLieux(txn, cur, p.Lieux); err != nil {
			return err
		}
		if err := ds.db.putChanges(txn, p.Changes); err != nil {
			return err
		}
		return putDraft(txn, p.Draft, p.Prev)
	})
	if errors.Is(err, badger.ErrConflict) {
		// Publications run one at a time under the read side's update, so
		// what moved meanwhile is the draft (an edit, another decision) or
		// the whole offer (an import).
		if v := ds.draftVersion(p.Draft.ID)(); v != p.Prev {
			err = conflictError(err, "Le brouillon", func() int { return v })
		}
	}
	if err != nil {
		return fmt.Errorf("store: publish draft %s: %w", p.Draft.ID, txnError(err))
	}
	return ds.db.bdb.Sync()
}

// ScheduledDrafts returns the ids of the drafts validated for publication
// at or before until, earliest first.
func (ds *Drafts) ScheduledDrafts(ctx context.Context, until time.Time) ([]string, error) {
	var ids []string
	err := ds.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(schedPrefix)})
		defer it.Close()
		end := schedKey(until.Add(time.Nanosecond), "")
		for it.Rewind(); it.Valid() && bytes.Compare(it.Item().Key(), end) < 0; it.Next() {
			ids = append(ids, string(it.Item().Key()[len(schedPrefix)+8+1:]))
		}
		return nil
	})
	return ids, err
}

// putDraft writes d when the stored draft is still at version prev (0: none),
// moving its entry in the schedule of publications: removed when the stored
// draft was scheduled, added when d is.
func putDraft(txn *badger.Txn, d ror.Draft, prev int) error {
	stored, err := storedDraft(txn, d.ID)
	if err != nil {
		return err
	}
	if stored.Version != prev {
		e := ror.Errorf(ror.Conflict, "/version", "Le brouillon a changé entre-temps : version %d, votre modification part de la version %d.", stored.Version, prev)
		e.Current = map[string]int{"version": stored.Version}
		return e
	}
	if stored.Scheduled() {
		if err := txn.Delete(schedKey(stored.EffectiveAt, stored.ID)); err != nil {
			return err
		}
	}
	if d.Scheduled() {
		if err := txn.Set(schedKey(d.EffectiveAt, d.ID), nil); err != nil {
			return err
		}
	}
	return setJSON(txn, draftKey(d.ID), d)
}

// storedDraft reads a draft in txn; version 0 when there is none.
func storedDraft(txn *badger.Txn, id string) (ror.Draft, error) {
	var stored ror.Draft
	item, err := txn.Get(draftKey(id))
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		return stored, nil
	case err != nil:
		return stored, err
	}
	err = item.Value(func(v []byte) error { return json.Unmarshal(v, &stored) })
	return stored, err
}

func setJSON(txn *badger.Txn, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.Set(key, b)
}
