package store

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// conflictTries is how many times retried runs a transaction that Badger
// refused for a conflict (ErrConflict, « Transaction Conflict »).
const conflictTries = 5

// retried runs fn in a read-write transaction and, when Badger refuses the
// commit because another transaction changed a key fn read, runs it again
// after a short random pause. Only for idempotent writes: fn re-reads and
// re-checks everything it depends on (a draft's version, a report's
// status), so a retry is the same compare-and-set on newer data and either
// applies or answers the domain's own Conflict. The error left after the
// last try is still badger.ErrConflict, for the caller to word.
func (db *DB) retried(fn func(txn *badger.Txn) error) error {
	var err error
	for i := range conflictTries {
		err = db.bdb.Update(db.logged(fn))
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
		time.Sleep(time.Duration(1+rand.IntN(2<<i)) * time.Millisecond)
	}
	return err
}

// conflictError turns a Badger conflict on a record into a 409 naming the
// record's current version, read again: current returns it (0 when it
// cannot be read).
func conflictError(err error, what string, current func() int) error {
	if !errors.Is(err, badger.ErrConflict) {
		return err
	}
	e := &ror.Error{Kind: ror.Conflict, Field: "/version", Err: err,
		Message: what + " a été modifié en même temps par une autre requête : le relire et recommencer."}
	if v := current(); v > 0 {
		e.Current = map[string]int{"version": v}
		e.Message = what + " a été modifié en même temps par une autre requête (version actuelle " + strconv.Itoa(v) + ") : le relire et recommencer."
	}
	return e
}
