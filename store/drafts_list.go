package store

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// ListDrafts returns the drafts whose status is status ("" for any) and,
// when eg is not empty, whose EG is one of eg, newest first, at most limit.
// Drafts are few (one per change of an établissement in progress): their
// keys are scanned.
func (ds *Drafts) ListDrafts(ctx context.Context, status ror.DraftStatus, egs []string, limit int) ([]ror.Draft, error) {
	var out []ror.Draft
	err := ds.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("draft/"), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var d ror.Draft
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &d) }); err != nil {
				return err
			}
			if (status == "" || d.Status == status) && (len(egs) == 0 || contains(egs, d.EG)) {
				out = append(out, d)
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].UpdatedAt.After(out[j].UpdatedAt) })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, err
}
