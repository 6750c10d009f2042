package store

import (
	"context"
	"encoding/json"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// PutAnomaly stores a report under anom/<FINESS>/<id>, durably.
func (db *DB) PutAnomaly(ctx context.Context, a ror.Anomaly) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := db.bdb.Update(func(txn *badger.Txn) error {
		return txn.Set(anomalyKey(a.EG, a.ID), b)
	}); err != nil {
		return err
	}
	return db.bdb.Sync()
}
