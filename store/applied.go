package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// keyApplied is the sequence of the last message of the replicated log
// (package replica) that this store applied. It is written in the same
// transaction as the records the message changed, so that a node restarted
// after a crash resumes at the message after the last one it kept: none
// lost, none applied twice.
var keyApplied = []byte("meta/applied")

// Progress is what a node of a cluster reads and records of its place in
// the replicated log, and the digest nodes compare.
type Progress struct{ db *DB }

// Progress returns the store of the node's place in the replicated log.
func (db *DB) Progress() *Progress { return &Progress{db} }

// Applying tells the store that the writes that follow are those of log
// message seq (0: none, the single-node default). The applier of package
// replica is then the only writer, one message at a time.
func (p *Progress) Applying(seq uint64) { p.db.applying.Store(seq) }

// logged wraps a write transaction so that it records the message being
// applied, if any.
func (db *DB) logged(fn func(txn *badger.Txn) error) func(txn *badger.Txn) error {
	return func(txn *badger.Txn) error {
		if err := fn(txn); err != nil {
			return err
		}
		return db.markApplied(txn)
	}
}

func (db *DB) markApplied(txn *badger.Txn) error {
	seq := db.applying.Load()
	if seq == 0 {
		return nil
	}
	return txn.Set(keyApplied, binary.BigEndian.AppendUint64(nil, seq))
}

// Applied returns the sequence of the last log message the store applied;
// 0 when none (a single node, or a store never replicated).
func (p *Progress) Applied() (uint64, error) {
	var seq uint64
	err := p.db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(keyApplied)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if len(v) != 8 {
				return fmt.Errorf("store: corrupt applied sequence %x", v)
			}
			seq = binary.BigEndian.Uint64(v)
			return nil
		})
	})
	return seq, err
}

// SetApplied records that message seq was applied without changing any
// record (a write the applier refused: a 409, a stale figure).
func (p *Progress) SetApplied(seq uint64) error {
	return p.db.bdb.Update(func(txn *badger.Txn) error {
		return txn.Set(keyApplied, binary.BigEndian.AppendUint64(nil, seq))
	})
}

// Digest is a SHA-256 of every record of the store, in key order, for
// nodes to compare: equal digests, equal data. The audit trail's keys end
// with a counter local to the process (logKey), left out; the order it
// gives among entries of the same nanosecond is the order of application,
// the log's on every node.
func (p *Progress) Digest() (string, int, error) {
	h := sha256.New()
	n := 0
	err := p.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			k := item.Key()
			if len(k) > 12 && string(k[:4]) == "log/" {
				k = k[:len(k)-8]
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(k))))
			h.Write(k)
			h.Write(binary.BigEndian.AppendUint32(nil, uint32(len(v))))
			h.Write(v)
			n++
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), n, err
}

// HasOffer tells whether an offer was imported into the store.
func (p *Progress) HasOffer() (bool, error) {
	var gen uint64
	err := p.db.bdb.View(func(txn *badger.Txn) (err error) { gen, err = p.db.current(txn); return })
	return gen != 0, err
}
