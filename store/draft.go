package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// PutDraft stores d when the stored draft is still at version prev.
func (db *DB) PutDraft(ctx context.Context, d ror.Draft, prev int) error {
	err := db.bdb.Update(func(txn *badger.Txn) error {
		if err := checkDraftVersion(txn, d.ID, prev); err != nil {
			return err
		}
		return setJSON(txn, draftKey(d.ID), d)
	})
	if err != nil {
		return err
	}
	return db.bdb.Sync()
}

// Draft returns the draft id.
func (db *DB) Draft(ctx context.Context, id string) (ror.Draft, error) {
	var d ror.Draft
	err := db.bdb.View(func(txn *badger.Txn) error {
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
func (db *DB) Publish(ctx context.Context, p ror.Publication) error {
	err := db.bdb.Update(func(txn *badger.Txn) error {
		if err := checkDraftVersion(txn, p.Draft.ID, p.Prev); err != nil {
			return err
		}
		cur, err := db.editable(txn)
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
		if err := db.putChanges(txn, p.Changes); err != nil {
			return err
		}
		return setJSON(txn, draftKey(p.Draft.ID), p.Draft)
	})
	if err != nil {
		return fmt.Errorf("store: publish draft %s: %w", p.Draft.ID, txnError(err))
	}
	return db.bdb.Sync()
}

func checkDraftVersion(txn *badger.Txn, id string, prev int) error {
	var stored ror.Draft
	item, err := txn.Get(draftKey(id))
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		stored.Version = 0
	case err != nil:
		return err
	default:
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &stored) }); err != nil {
			return err
		}
	}
	if stored.Version != prev {
		return ror.Errorf(ror.Conflict, "/version", "Le brouillon a changé entre-temps : version %d, votre modification part de la version %d.", stored.Version, prev)
	}
	return nil
}

func setJSON(txn *badger.Txn, key []byte, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return txn.Set(key, b)
}
