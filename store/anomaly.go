package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// Reports are kept under anom/<FINESS>/<id> and found through keys that
// hold no report (keys.go):
//
//	anomid/<id>                         → FINESS of the report's EG
//	anomx/<scope>/<status>/<rev 8>/<id> → FINESS; scope "*" or the FINESS, status "*" or the
//	                                      report's; rev = ^creation nanos, big-endian, so the
//	                                      newest comes first
//	anomn/<FINESS>                      → the EG's open reports (decimal)
//
// A listing seeks to its (scope, status) and reads the keys of one page:
// its cost does not grow with the reports stored.

// PutAnomaly stores a new report with its audit entry in one transaction,
// durably: Limited when its EG has MaxOpenAnomaliesPerEG open reports.
// Retried on a Badger conflict (the count of the EG's open reports is
// read again), then a 409.
func (as *Anomalies) PutAnomaly(ctx context.Context, a ror.Anomaly, c ror.Change) error {
	err := as.db.retried(func(txn *badger.Txn) error {
		n, err := openCount(txn, a.EG)
		if err != nil {
			return err
		}
		if n >= ror.MaxOpenAnomaliesPerEG {
			return ror.Errorf(ror.Limited, "/finess", "L'établissement %s a déjà %d signalements ouverts : ses référents doivent en traiter avant d'en recevoir d'autres.", a.EG, n)
		}
		if err := setJSON(txn, anomalyKey(a.EG, a.ID), a); err != nil {
			return err
		}
		if err := indexAnomaly(txn, a); err != nil {
			return err
		}
		if err := txn.Set(openKey(a.EG), []byte(strconv.Itoa(n+1))); err != nil {
			return err
		}
		return as.db.putChanges(txn, []ror.Change{c})
	})
	if err != nil {
		return fmt.Errorf("store: put anomaly %s: %w", a.ID, conflictError(err, "Le signalement", func() int { return 0 }))
	}
	return as.db.bdb.Sync()
}

// Anomalies returns a page of reports, newest first, through the index.
func (as *Anomalies) Anomalies(ctx context.Context, q ror.AnomalyFilter) ([]ror.Anomaly, string, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	prefix := indexPrefix(cmpOr(q.EG, "*"), cmpOr(q.Status, "*"))
	seek := prefix
	if q.Cursor != "" {
		rev, id, ok := strings.Cut(q.Cursor, ".")
		b, err := hex.DecodeString(rev)
		if !ok || err != nil || len(b) != 8 || id == "" || strings.Contains(id, "/") {
			return nil, "", ror.Errorf(ror.Invalid, "curseur", "Le curseur « %s » n'a pas été donné par une page précédente.", clip(q.Cursor))
		}
		seek = append(append(append(bytes.Clone(prefix), b...), '/'), id...)
	}
	out := []ror.Anomaly{}
	next, last := "", []byte(nil) // last: the key of the page's last report
	err := as.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Seek(seek); it.Valid(); it.Next() {
			key := it.Item().Key()
			if q.Cursor != "" && bytes.Equal(key, seek) {
				continue
			}
			var finess string
			if err := it.Item().Value(func(v []byte) error { finess = string(v); return nil }); err != nil {
				return err
			}
			if q.Keep != nil && !q.Keep(finess) {
				continue
			}
			if len(out) == q.Limit { // one more: there is a next page
				rest := last[len(prefix):]
				next = hex.EncodeToString(rest[:8]) + "." + string(rest[9:])
				return nil
			}
			var a ror.Anomaly
			if err := getJSON(txn, anomalyKey(finess, string(key[len(prefix)+9:])), &a); err != nil {
				return fmt.Errorf("store: anomaly %s: %w", key, err)
			}
			out = append(out, a)
			last = it.Item().KeyCopy(last)
		}
		return nil
	})
	return out, next, err
}

// Anomaly returns the report id.
func (as *Anomalies) Anomaly(ctx context.Context, id string) (ror.Anomaly, error) {
	var a ror.Anomaly
	err := as.db.bdb.View(func(txn *badger.Txn) error {
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
// Retried on a Badger conflict: the stored status is read again.
func (as *Anomalies) CloseAnomaly(ctx context.Context, a ror.Anomaly, c ror.Change) error {
	err := as.db.retried(func(txn *badger.Txn) error {
		var stored ror.Anomaly
		if err := getJSON(txn, anomalyKey(a.EG, a.ID), &stored); err != nil {
			return err
		}
		if stored.Status == ror.AnomalyClosed {
			return ror.Errorf(ror.Conflict, "/statut", "Le signalement n° %s est déjà clos.", a.ID)
		}
		if err := unindexAnomaly(txn, stored); err != nil {
			return err
		}
		if err := setJSON(txn, anomalyKey(a.EG, a.ID), a); err != nil {
			return err
		}
		if err := indexAnomaly(txn, a); err != nil {
			return err
		}
		n, err := openCount(txn, a.EG)
		if err != nil {
			return err
		}
		if err := txn.Set(openKey(a.EG), []byte(strconv.Itoa(max(0, n-1)))); err != nil {
			return err
		}
		return as.db.putChanges(txn, []ror.Change{c})
	})
	if err != nil {
		return fmt.Errorf("store: close anomaly %s: %w", a.ID, conflictError(err, "Le signalement", func() int { return 0 }))
	}
	return as.db.bdb.Sync()
}

// indexAnomaly writes the lookup and index keys of a.
func indexAnomaly(txn *badger.Txn, a ror.Anomaly) error {
	if err := txn.Set(anomalyIDKey(a.ID), []byte(a.EG)); err != nil {
		return err
	}
	for _, k := range indexKeys(a) {
		if err := txn.Set(k, []byte(a.EG)); err != nil {
			return err
		}
	}
	return nil
}

// unindexAnomaly removes the index keys of a as stored (its status).
func unindexAnomaly(txn *badger.Txn, a ror.Anomaly) error {
	for _, k := range indexKeys(a) {
		if err := txn.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func indexKeys(a ror.Anomaly) [][]byte {
	rev := binary.BigEndian.AppendUint64(nil, ^uint64(a.CreatedAt.UnixNano()))
	var keys [][]byte
	for _, scope := range []string{"*", a.EG} {
		for _, st := range []string{"*", a.Status} {
			k := append(append(indexPrefix(scope, st), rev...), '/')
			keys = append(keys, append(k, a.ID...))
		}
	}
	return keys
}

func indexPrefix(scope, status string) []byte { return []byte("anomx/" + scope + "/" + status + "/") }
func anomalyIDKey(id string) []byte           { return []byte("anomid/" + id) }
func openKey(finess string) []byte            { return []byte("anomn/" + finess) }

// openCount reads the number of open reports of an EG.
func openCount(txn *badger.Txn, finess string) (int, error) {
	item, err := txn.Get(openKey(finess))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var n int
	err = item.Value(func(v []byte) error {
		n, err = strconv.Atoi(string(v))
		return err
	})
	return n, err
}

// indexAnomalies builds the index of reports stored before it existed
// (schema of 2026-11: anom/<FINESS>/<id> only), once: meta/anomx says it
// is built.
func (as *Anomalies) indexAnomalies() error {
	return as.db.bdb.Update(func(txn *badger.Txn) error {
		if _, err := txn.Get(keyAnomalyIndex); err == nil {
			return nil
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("anom/"), PrefetchValues: true})
		var all []ror.Anomaly
		for it.Rewind(); it.Valid(); it.Next() {
			var a ror.Anomaly
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &a) }); err != nil {
				it.Close()
				return err
			}
			all = append(all, a)
		}
		it.Close()
		open := map[string]int{}
		for _, a := range all {
			if err := indexAnomaly(txn, a); err != nil {
				return err
			}
			if a.Status == ror.AnomalyOpen {
				open[a.EG]++
			}
		}
		for eg, n := range open {
			if err := txn.Set(openKey(eg), []byte(strconv.Itoa(n))); err != nil {
				return err
			}
		}
		return txn.Set(keyAnomalyIndex, []byte("1"))
	})
}

func findAnomaly(txn *badger.Txn, id string) ([]byte, error) {
	if id != "" && !strings.Contains(id, "/") {
		item, err := txn.Get(anomalyIDKey(id))
		if err == nil {
			var key []byte
			err = item.Value(func(v []byte) error { key = anomalyKey(string(v), id); return nil })
			return key, err
		}
		if !errors.Is(err, badger.ErrKeyNotFound) {
			return nil, err
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

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// clip shortens user input quoted in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
