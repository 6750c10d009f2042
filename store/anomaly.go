package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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

// Anomalies returns the reports about the EG eg, or every report when eg
// is "".
func (db *DB) Anomalies(ctx context.Context, eg string) ([]ror.Anomaly, error) {
	prefix := []byte("anom/")
	if eg != "" {
		prefix = anomalyKey(eg, "")
	}
	var out []ror.Anomaly
	err := db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var a ror.Anomaly
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &a) }); err != nil {
				return fmt.Errorf("store: anomaly %s: %w", it.Item().Key(), err)
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

// Anomaly returns the report id. Reports are keyed by EG first, so this
// walks the keys (not the values) of all of them: a few thousand at most.
func (db *DB) Anomaly(ctx context.Context, id string) (ror.Anomaly, error) {
	var a ror.Anomaly
	err := db.bdb.View(func(txn *badger.Txn) error {
		key, err := findAnomaly(txn, id)
		if err != nil {
			return err
		}
		return getJSON(txn, key, &a)
	})
	return a, err
}

// CloseAnomaly stores the closed report a with its audit entry in one
// transaction, synced: Conflict when the stored report is closed already.
func (db *DB) CloseAnomaly(ctx context.Context, a ror.Anomaly, c ror.Change) error {
	err := db.bdb.Update(func(txn *badger.Txn) error {
		var stored ror.Anomaly
		if err := getJSON(txn, anomalyKey(a.EG, a.ID), &stored); err != nil {
			return err
		}
		if stored.Status == ror.AnomalyClosed {
			return ror.Errorf(ror.Conflict, "/statut", "Le signalement n° %s est déjà clos.", a.ID)
		}
		if err := setJSON(txn, anomalyKey(a.EG, a.ID), a); err != nil {
			return err
		}
		return db.putChanges(txn, []ror.Change{c})
	})
	if err != nil {
		return fmt.Errorf("store: close anomaly %s: %w", a.ID, err)
	}
	return db.bdb.Sync()
}

func findAnomaly(txn *badger.Txn, id string) ([]byte, error) {
	if id != "" && !strings.Contains(id, "/") {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("anom/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if k := it.Item().Key(); bytes.HasSuffix(k, []byte("/"+id)) {
				return it.Item().KeyCopy(nil), nil
			}
		}
	}
	return nil, ror.Errorf(ror.NotFound, "id", "Le signalement « %s » n'existe pas.", clip(id))
}

// getJSON decodes the value of key; NotFound when there is none.
func getJSON(txn *badger.Txn, key []byte, v any) error {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return ror.Errorf(ror.NotFound, "", "L'enregistrement demandé n'existe pas (ou plus).")
	}
	if err != nil {
		return err
	}
	return item.Value(func(b []byte) error { return json.Unmarshal(b, v) })
}

// clip shortens user input quoted in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
