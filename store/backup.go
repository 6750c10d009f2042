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
// empty (a fresh data dir); the generation it names becomes current.
func (db *DB) Restore(r io.Reader) error {
	if err := db.bdb.Load(r, 256); err != nil {
		return fmt.Errorf("store: restore: %w", err)
	}
	return db.bdb.Sync()
}
