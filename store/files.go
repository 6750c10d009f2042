package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// PutFile keeps a file the service serves besides the offer (the
// département outlines) in the store, so that a backup carries it.
func (of *Offer) PutFile(ctx context.Context, name string, b []byte) error {
	if err := of.db.bdb.Update(func(txn *badger.Txn) error { return txn.Set(fileKey(name), b) }); err != nil {
		return fmt.Errorf("store: put file %s: %w", name, err)
	}
	return of.db.bdb.Sync()
}

// File returns a file kept by PutFile; NotFound when there is none.
func (of *Offer) File(ctx context.Context, name string) ([]byte, error) {
	var b []byte
	err := of.db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(fileKey(name))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ror.Errorf(ror.NotFound, "", "Le fichier « %s » n'est pas dans le répertoire de données.", name)
		}
		if err != nil {
			return err
		}
		b, err = item.ValueCopy(nil)
		return err
	})
	return b, err
}

func fileKey(name string) []byte { return []byte("file/" + name) }
