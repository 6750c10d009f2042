package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// Options tune the store; zero values are the defaults.
type Options struct {
	InMemory bool         // no files (tests of code above the store)
	Logger   *slog.Logger // Badger's warnings and errors go there
}

// DB is the Badger store of the offer.
type DB struct {
	bdb *badger.DB
	log *slog.Logger
}

// Open opens (creating if needed) the store in dir and removes what a crash
// left of an unfinished import.
func Open(dir string, o Options) (*DB, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	opts := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{o.Logger}).
		WithInMemory(o.InMemory).
		WithSyncWrites(false). // writes that must be durable call Sync themselves
		WithNumVersionsToKeep(1).
		WithCompactL0OnClose(true)
	if o.InMemory {
		opts.Dir, opts.ValueDir = "", ""
	}
	bdb, err := badger.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dir, err)
	}
	db := &DB{bdb: bdb, log: o.Logger}
	if err := db.checkSchema(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.collect(); err != nil {
		bdb.Close()
		return nil, err
	}
	return db, nil
}

// Close flushes and closes the files.
func (db *DB) Close() error { return db.bdb.Close() }

func (db *DB) checkSchema() error {
	return db.bdb.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(keySchema)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return txn.Set(keySchema, []byte(fmt.Sprint(schemaVersion)))
		}
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		n, err := parseSchema(v)
		if err != nil {
			return err
		}
		if n > schemaVersion {
			return fmt.Errorf("store: data dir written by schema %d, this binary knows up to %d: use a newer binary", n, schemaVersion)
		}
		return nil
	})
}

// current returns the current generation, 0 when nothing was imported.
func (db *DB) current(txn *badger.Txn) (uint64, error) {
	item, err := txn.Get(keyCurrent)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return 0, err
	}
	if len(v) != 8 {
		return 0, fmt.Errorf("store: corrupt current generation %x", v)
	}
	return binary.BigEndian.Uint64(v), nil
}

// collect drops every generation that is not current: leftovers of an
// import that crashed before its flip, or of one whose cleanup did not end.
func (db *DB) collect() error {
	var cur uint64
	stale := map[uint64]bool{}
	err := db.bdb.View(func(txn *badger.Txn) error {
		var err error
		if cur, err = db.current(txn); err != nil {
			return err
		}
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("g/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); {
			k := it.Item().Key()
			if len(k) < 11 {
				it.Next()
				continue
			}
			gen := binary.BigEndian.Uint64(k[2:10])
			if gen != cur {
				stale[gen] = true
			}
			// jump to the next generation
			next := genPrefix(gen + 1)
			it.Seek(next)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for gen := range stale {
		if err := db.bdb.DropPrefix(genPrefix(gen)); err != nil {
			return fmt.Errorf("store: drop generation %d: %w", gen, err)
		}
	}
	return nil
}

type header struct {
	Sources    []string  `json:"sources"`
	ImportedAt time.Time `json:"imported_at"`
}

// ReplaceOffer writes o under a new generation, then publishes it by one
// transaction on the current key, then drops the previous generation.
func (db *DB) ReplaceOffer(ctx context.Context, o *ror.Offer) error {
	var cur uint64
	if err := db.bdb.View(func(txn *badger.Txn) (err error) { cur, err = db.current(txn); return }); err != nil {
		return err
	}
	gen := cur + 1
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	put := func(key []byte, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		return wb.Set(key, b)
	}
	if err := put(genKey(gen, "meta", ""), header{Sources: o.Sources, ImportedAt: o.ImportedAt}); err != nil {
		return err
	}
	if o.Nomenclature != nil {
		for _, vs := range o.Nomenclature.ValueSets() {
			if err := put(genKey(gen, "nom", string(vs)), storedConcepts(o.Nomenclature.Concepts(vs))); err != nil {
				return err
			}
		}
	}
	if err := put(genKey(gen, "communes", ""), o.Communes); err != nil {
		return err
	}
	if err := put(genKey(gen, "deps", ""), o.Departments); err != nil {
		return err
	}
	for i := range o.EJs {
		if err := put(genKey(gen, "ej", o.EJs[i].FINESS), &o.EJs[i]); err != nil {
			return err
		}
	}
	for i := range o.EGs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := put(genKey(gen, "eg", o.EGs[i].FINESS), &o.EGs[i]); err != nil {
			return err
		}
	}
	for i := range o.UOs {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := put(genKey(gen, "uo", o.UOs[i].ID), &o.UOs[i]); err != nil {
			return err
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("store: write generation %d: %w", gen, err)
	}
	if err := db.bdb.Sync(); err != nil {
		return err
	}
	if err := db.bdb.Update(func(txn *badger.Txn) error {
		return txn.Set(keyCurrent, binary.BigEndian.AppendUint64(nil, gen))
	}); err != nil {
		return fmt.Errorf("store: publish generation %d: %w", gen, err)
	}
	if err := db.bdb.Sync(); err != nil {
		return err
	}
	if cur != 0 {
		if err := db.bdb.DropPrefix(genPrefix(cur)); err != nil {
			db.log.Warn("store: previous generation left for the next open", "gen", cur, "err", err)
		}
	}
	return nil
}

// storedConcept keeps every field of a concept (ror.Concept hides Code and
// System from JSON).
type storedConcept struct {
	Key, Code, Label, System string
}

func storedConcepts(cs []ror.Concept) []storedConcept {
	out := make([]storedConcept, len(cs))
	for i, c := range cs {
		out[i] = storedConcept{c.Key, c.Code, c.Label, c.System}
	}
	return out
}
