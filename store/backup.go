package store

import (
	"fmt"
	"io"
)

// Backup writes a full, consistent copy of the store to w while it keeps
// serving (Badger's online backup of every key's latest version).
func (db *DB) Backup(w io.Writer) error {
	if _, err := db.bdb.Backup(w, 0); err != nil {
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
	return db.bdb.Sync()
}
