package store

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	gojson "github.com/goccy/go-json"

	"github.com/ror-recherche/ror"
)

// Keys of the professionals (ror.ProStore), apart from the offer's:
//
//	meta/pro                      → current generation of the professionals (8 bytes big-endian)
//	pro/<gen 8>/<RPPS>            → ror.Professional (JSON)
//	proanom/<RPPS>/<nanos 8><rnd> → ror.ProAnomaly (JSON), newest last
//
// An RPPS import writes a whole new generation in batches (the national
// file's 200,000 professionals do not fit one transaction), then flips
// meta/pro in one transaction: a crash leaves the previous professionals or
// the new ones, never a mix. A professional's own description is written
// into the current generation in one transaction with its audit entry
// (log/<RPPS>/…), and conflicts with an import flipped meanwhile.
var keyProGen = []byte("meta/pro")

func proPrefix(gen uint64) []byte {
	return append(binary.BigEndian.AppendUint64([]byte("pro/"), gen), '/')
}

func proKey(gen uint64, rpps string) []byte { return append(proPrefix(gen), rpps...) }

func proAnomalyPrefix(rpps string) []byte { return []byte("proanom/" + rpps + "/") }

// ProStore is the store of the professionals, over the DB's Badger.
type ProStore struct{ db *DB }

// NewProStore returns the professionals' store of db.
func NewProStore(db *DB) *ProStore { return &ProStore{db: db} }

func proGen(txn *badger.Txn) (uint64, error) {
	item, err := txn.Get(keyProGen)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var gen uint64
	err = item.Value(func(v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("store: meta/pro de %d octets", len(v))
		}
		gen = binary.BigEndian.Uint64(v)
		return nil
	})
	return gen, err
}

// ReplaceProfessionals writes list as the new generation, keeping the
// professionals who described their offer themselves as they described it
// (the import's record of them is dropped: they are responsible for their
// data, seed 003), then flips to it with change as the audit entry.
func (s *ProStore) ReplaceProfessionals(ctx context.Context, list []ror.Professional, change ror.Change) error {
	db := s.db
	db.imp.Lock()
	defer db.imp.Unlock()
	var cur uint64
	if err := db.bdb.View(func(txn *badger.Txn) (err error) { cur, err = proGen(txn); return err }); err != nil {
		return err
	}
	next := cur + 1
	declared := map[string]ror.Professional{}
	if cur > 0 {
		old, err := s.load(cur)
		if err != nil {
			return err
		}
		for _, p := range old {
			if p.Source == ror.SourceDeclared {
				declared[p.RPPS] = p
			}
		}
	}
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	put := func(p ror.Professional) error {
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		return wb.Set(proKey(next, p.RPPS), b)
	}
	for _, p := range list {
		if d, ok := declared[p.RPPS]; ok {
			p = d
			delete(declared, p.RPPS)
		}
		if err := put(p); err != nil {
			return err
		}
	}
	for _, d := range declared { // described, absent from this file: still theirs
		if err := put(d); err != nil {
			return err
		}
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("store: import des professionnels: %w", err)
	}
	err := db.bdb.Update(func(txn *badger.Txn) error {
		if err := txn.Set(keyProGen, binary.BigEndian.AppendUint64(nil, next)); err != nil {
			return err
		}
		return db.putChanges(txn, []ror.Change{change})
	})
	if err != nil {
		return err
	}
	if err := db.bdb.Sync(); err != nil {
		return err
	}
	if cur > 0 {
		return db.bdb.DropPrefix(proPrefix(cur))
	}
	return nil
}

// PutProfessional writes p into the current generation with its audit
// entry, in one durable transaction.
func (s *ProStore) PutProfessional(ctx context.Context, p ror.Professional, change ror.Change) error {
	db := s.db
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	err = db.bdb.Update(func(txn *badger.Txn) error {
		gen, err := proGen(txn)
		if err != nil {
			return err
		}
		if gen == 0 { // no import yet: the first description opens generation 1
			gen = 1
			if err := txn.Set(keyProGen, binary.BigEndian.AppendUint64(nil, gen)); err != nil {
				return err
			}
		}
		if err := txn.Set(proKey(gen, p.RPPS), b); err != nil {
			return err
		}
		return db.putChanges(txn, []ror.Change{change})
	})
	if err != nil {
		return fmt.Errorf("store: professionnel %s: %w", p.RPPS, txnError(err))
	}
	return db.bdb.Sync()
}

// Professionals reads the current generation, by RPPS.
func (s *ProStore) Professionals(ctx context.Context) ([]ror.Professional, error) {
	var gen uint64
	if err := s.db.bdb.View(func(txn *badger.Txn) (err error) { gen, err = proGen(txn); return err }); err != nil {
		return nil, err
	}
	if gen == 0 {
		return nil, nil
	}
	return s.load(gen)
}

func (s *ProStore) load(gen uint64) ([]ror.Professional, error) {
	var out []ror.Professional
	err := s.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: proPrefix(gen), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var p ror.Professional
			// goccy's decoder: 2.7 times encoding/json's speed on these
			// records, 213,000 of them at national scale read at each start.
			if err := it.Item().Value(func(v []byte) error { return gojson.Unmarshal(v, &p) }); err != nil {
				return fmt.Errorf("store: professionnel %s illisible: %w", it.Item().Key(), err)
			}
			out = append(out, p)
		}
		return nil
	})
	return out, err
}

// PutProAnomaly stores a report on a professional with its audit entry,
// in one durable transaction.
func (s *ProStore) PutProAnomaly(ctx context.Context, a ror.ProAnomaly, change ror.Change) error {
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	var rnd [4]byte
	ror.Random(ctx, rnd[:])
	k := binary.BigEndian.AppendUint64(proAnomalyPrefix(a.RPPS), uint64(a.At.UnixNano()))
	k = append(k, hex.EncodeToString(rnd[:])...)
	err = s.db.bdb.Update(func(txn *badger.Txn) error {
		if err := txn.Set(k, b); err != nil {
			return err
		}
		return s.db.putChanges(txn, []ror.Change{change})
	})
	if err != nil {
		return err
	}
	return s.db.bdb.Sync()
}

// ProAnomalies returns the reports on a professional, newest first.
func (s *ProStore) ProAnomalies(ctx context.Context, rpps string) ([]ror.ProAnomaly, error) {
	out := []ror.ProAnomaly{}
	err := s.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: proAnomalyPrefix(rpps), Reverse: true, PrefetchValues: true})
		defer it.Close()
		for it.Seek(append(proAnomalyPrefix(rpps), 0xff)); it.Valid(); it.Next() {
			var a ror.ProAnomaly
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &a) }); err != nil {
				return err
			}
			out = append(out, a)
		}
		return nil
	})
	return out, err
}

var _ ror.ProStore = (*ProStore)(nil)
