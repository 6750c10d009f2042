package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// Options tune the store; zero values are the defaults.
type Options struct {
	InMemory bool         // no files (tests of code above the store)
	Logger   *slog.Logger // Badger's warnings and errors go there, its chatter at debug
}

// DB is the Badger store: it opens and closes the files, checks the
// schema, backs up and restores, and hands out one store per concern, each
// the one owner of its keys (keys.go). Every method is safe for concurrent
// use; imports are serialised.
type DB struct {
	bdb *badger.DB
	log *slog.Logger
	imp sync.Mutex // one ReplaceOffer (or Restore) at a time: each picks the next generation

	logSeq atomic.Uint64 // orders audit entries of the same nanosecond

	applying atomic.Uint64 // the replicated log's message being applied (applied.go)

	offer     *Offer
	accounts  *Accounts
	sessions  *Sessions
	drafts    *Drafts
	anomalies *Anomalies
}

// Offer is the offer's records: imports (generations), the gestionnaires'
// edits of UOs and EGs, the audit trail, and the files kept beside them.
type Offer struct{ db *DB }

// Accounts is the named accounts and their credentials: bearer tokens,
// passwords (argon2id, lockout) and linked OpenID Connect identities.
type Accounts struct{ db *DB }

// Sessions is the signed-in browsers.
type Sessions struct{ db *DB }

// Drafts is the dossiers collaboratifs, their schedule and their
// publication.
type Drafts struct{ db *DB }

// Anomalies is the reports of anomalies and their index.
type Anomalies struct{ db *DB }

// The stores are the ror ports the workflows and the HTTP layer take.
var (
	_ ror.Store     = (*Offer)(nil)
	_ ror.Accounts  = (*Accounts)(nil)
	_ ror.Drafts    = (*Drafts)(nil)
	_ ror.Anomalies = (*Anomalies)(nil)
	_ ror.Backuper  = (*DB)(nil)
)

// Offer returns the store of the offer's records (a ror.Store).
func (db *DB) Offer() *Offer { return db.offer }

// Accounts returns the store of the accounts and their credentials (a
// ror.Accounts).
func (db *DB) Accounts() *Accounts { return db.accounts }

// Sessions returns the store of the browser sessions.
func (db *DB) Sessions() *Sessions { return db.sessions }

// Drafts returns the store of the dossiers collaboratifs (a ror.Drafts).
func (db *DB) Drafts() *Drafts { return db.drafts }

// Anomalies returns the store of the reports (a ror.Anomalies).
func (db *DB) Anomalies() *Anomalies { return db.anomalies }

// Open opens (creating if needed) the store in dir, refuses a data dir
// written by a newer schema, and removes what a crash left of an unfinished
// import.
func Open(dir string, o Options) (*DB, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	opts := badger.DefaultOptions(dir).
		WithLogger(badgerLogger{o.Logger}).
		WithInMemory(o.InMemory).
		WithSyncWrites(false). // writes that must be durable call Sync themselves
		WithNumVersionsToKeep(1).
		WithCompactL0OnClose(true).
		// The offer is read once at start, then served from memory: Badger's
		// 256 MB block cache would only hold what was read then.
		WithBlockCacheSize(32 << 20)
	if o.InMemory {
		opts.Dir, opts.ValueDir = "", ""
	}
	bdb, err := badger.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dir, err)
	}
	db := &DB{bdb: bdb, log: o.Logger}
	db.offer, db.accounts, db.sessions, db.drafts, db.anomalies = &Offer{db}, &Accounts{db}, &Sessions{db}, &Drafts{db}, &Anomalies{db}
	if err := db.checkSchema(); err != nil {
		bdb.Close()
		return nil, err
	}
	if _, err := db.collect(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.anomalies.indexAnomalies(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("store: index of the reports: %w", err)
	}
	return db, nil
}

// Close flushes and closes the files.
func (db *DB) Close() error { return db.bdb.Close() }

// checkSchema writes the schema version of a new store, upgrades an older
// one this binary still reads (schema 1 records are JSON, which the decoder
// accepts), and refuses a newer one: its records may mean something else.
func (db *DB) checkSchema() error {
	return db.bdb.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(keySchema)
		if err != nil && !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		if err == nil {
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			n, err := strconv.Atoi(string(v))
			if err != nil {
				return fmt.Errorf("store: schema version %q: %w", v, err)
			}
			if n > schemaVersion {
				return &ror.Error{Kind: ror.Internal,
					Message: fmt.Sprintf("Ce répertoire de données a été écrit par une version plus récente de ROR Recherche (schéma %d, celle-ci lit jusqu'au schéma %d) : utilisez la version récente ou un autre répertoire.", n, schemaVersion),
					Err:     fmt.Errorf("store: data dir schema %d is newer than %d", n, schemaVersion)}
			}
			if n == schemaVersion {
				return nil
			}
		}
		return txn.Set(keySchema, []byte(strconv.Itoa(schemaVersion)))
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
// import that crashed or failed before its flip, or of one whose cleanup
// did not end. It returns the highest generation it saw, current included.
func (db *DB) collect() (uint64, error) {
	var cur, top uint64
	var stale []uint64
	err := db.bdb.View(func(txn *badger.Txn) error {
		var err error
		if cur, err = db.current(txn); err != nil {
			return err
		}
		top = cur
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("g/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); {
			k := it.Item().Key()
			if len(k) < len(genPrefix(0)) {
				it.Next()
				continue
			}
			gen := binary.BigEndian.Uint64(k[2:10])
			if gen != cur {
				stale = append(stale, gen)
			}
			top = max(top, gen)
			it.Seek(genPrefix(gen + 1)) // one key per generation is enough
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, gen := range stale {
		if err := db.bdb.DropPrefix(genPrefix(gen)); err != nil {
			return 0, fmt.Errorf("store: drop generation %d: %w", gen, err)
		}
	}
	return top, nil
}

// badgerLogger sends Badger's log to slog: its info and debug lines are
// noise for an operator, so they go to debug.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any)   { b.l.Error(fmt.Sprintf("badger: "+f, a...)) }
func (b badgerLogger) Warningf(f string, a ...any) { b.l.Warn(fmt.Sprintf("badger: "+f, a...)) }
func (b badgerLogger) Infof(f string, a ...any)    { b.l.Debug(fmt.Sprintf("badger: "+f, a...)) }
func (b badgerLogger) Debugf(f string, a ...any)   { b.l.Debug(fmt.Sprintf("badger: "+f, a...)) }
