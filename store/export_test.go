package store

import (
	"strconv"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// LoadAnomaliesForTest stores reports as PutAnomaly does (record, index,
// open counts) in large transactions without syncing each: the 100,000
// reports of the listing benchmark in seconds.
func (db *DB) LoadAnomaliesForTest(as []ror.Anomaly) error {
	open := map[string]int{}
	for start := 0; start < len(as); start += 2000 {
		err := db.bdb.Update(func(txn *badger.Txn) error {
			for _, a := range as[start:min(start+2000, len(as))] {
				if err := setJSON(txn, anomalyKey(a.EG, a.ID), a); err != nil {
					return err
				}
				if err := indexAnomaly(txn, a); err != nil {
					return err
				}
				if a.Status == ror.AnomalyOpen {
					open[a.EG]++
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return db.bdb.Update(func(txn *badger.Txn) error {
		for eg, n := range open {
			if err := txn.Set(openKey(eg), []byte(strconv.Itoa(n))); err != nil {
				return err
			}
		}
		return nil
	})
}
