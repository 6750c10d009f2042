package store

import (
	"fmt"
	"io"

	"github.com/dgraph-io/badger/v4"
)

// Backup writes a full, consistent copy of the store to w while it keeps
// serving (Badger's online backup of every key's latest version). One
// reading goroutine: Badger's stream gives each of its goroutines a read
// transaction of its own, so with several a write landing meanwhile could
// be in one key range and not in another (a figure without its audit entry,
// the replicated log's applied sequence without the write it counts).
func (db *DB) Backup(w io.Writer) error {
	stream := db.bdb.NewStream()
	stream.LogPrefix = "DB.Backup"
	stream.NumGo = 1
	if _, err := stream.Backup(w, 0); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// Restore loads a backup written by Backup into this store, which should be
// a fresh data dir: the generation the backup names becomes current, and
// the schema check of Open applies to it.
func (db *DB) Restore(r io.Reader) error {
	db.imp.Lock()
	defer db.imp.Unlock()
	if err := db.bdb.Load(r, 256); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	if err := db.checkSchema(); err != nil {
		return err
	}
	if _, err := db.collect(); err != nil {
		return err
	}
	// A backup from before the reports' index: built again (idempotent).
	if err := db.bdb.Update(func(txn *badger.Txn) error { return txn.Delete(keyAnomalyIndex) }); err != nil {
		return err
	}
	if err := db.anomalies.indexAnomalies(); err != nil {
		return err
	}
	return db.bdb.Sync()
}
