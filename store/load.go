package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// LoadOffer reads the current generation, UOs and EGs in key order (by id);
// NotFound when nothing was imported. The iteration copies each record once
// and the records are decoded on every core: at 500,000 UOs it takes
// 0.6–0.9 s on 2 cores (BenchmarkLoadOffer).
func (of *Offer) LoadOffer(ctx context.Context) (*ror.Offer, error) {
	o := &ror.Offer{Nomenclature: ror.NewNomenclature()}
	var egRaw, uoRaw []string
	err := of.db.bdb.View(func(txn *badger.Txn) error {
		cur, err := of.db.current(txn)
		if err != nil {
			return err
		}
		if cur == 0 {
			return ror.Errorf(ror.NotFound, "", "Aucun import dans ce répertoire de données.")
		}
		prefix := genPrefix(cur)
		// Values are small and stored in the LSM tree itself: no prefetch.
		it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			rest := item.Key()[len(prefix):]
			kind, _, _ := bytes.Cut(rest, []byte("/"))
			switch string(kind) {
			case "eg", "uo":
				// Copied as strings, which the decoder slices into fields.
				var s string
				if err := item.Value(func(v []byte) error { s = string(v); return nil }); err != nil {
					return err
				}
				if kind[0] == 'e' {
					egRaw = append(egRaw, s)
				} else {
					uoRaw = append(uoRaw, s)
				}
				continue
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			switch string(kind) {
			case "meta":
				var h header
				if err := json.Unmarshal(v, &h); err != nil {
					return err
				}
				o.Sources, o.ImportedAt = h.Sources, h.ImportedAt
			case "nom":
				var cs []storedConcept
				if err := json.Unmarshal(v, &cs); err != nil {
					return err
				}
				vs := ror.ValueSet(rest[len("nom/"):])
				for _, c := range cs {
					o.Nomenclature.Add(vs, ror.Concept{Key: c.Key, Code: c.Code, Label: c.Label, System: c.System})
				}
			case "communes":
				if err := json.Unmarshal(v, &o.Communes); err != nil {
					return err
				}
			case "deps":
				if err := json.Unmarshal(v, &o.Departments); err != nil {
					return err
				}
			case "lieu":
				var l ror.Lieu
				if err := json.Unmarshal(v, &l); err != nil {
					return err
				}
				o.Lieux = append(o.Lieux, l)
			case "ej":
				var ej ror.EJ
				if err := json.Unmarshal(v, &ej); err != nil {
					return err
				}
				o.EJs = append(o.EJs, ej)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if o.EGs, err = decodeAll(ctx, egRaw, func() func(string, *ror.EG) error { return decodeEG }); err != nil {
		return nil, fmt.Errorf("store: EG: %w", err)
	}
	// The units share their codes, lists and repeated strings (interner):
	// their records are garbage once decoded.
	interned := func() func(string, *ror.UO) error {
		in := newInterner()
		return func(s string, u *ror.UO) error {
			var err error
			if in.pool, err = decodeUOWith(s, u, in.pool); err != nil {
				return err
			}
			in.uo(u)
			return nil
		}
	}
	if o.UOs, err = decodeAll(ctx, uoRaw, interned); err != nil {
		return nil, fmt.Errorf("store: UO: %w", err)
	}
	return o, nil
}

// decodeAll decodes records on every core, keeping their order; each
// worker decodes with a function of its own from newDecode. A record is
// dropped from raw once decoded, so that what nothing else holds goes as the
// load proceeds.
func decodeAll[T any](ctx context.Context, raw []string, newDecode func() func(string, *T) error) ([]T, error) {
	out := make([]T, len(raw))
	workers := runtime.GOMAXPROCS(0)
	chunk := (len(raw) + workers - 1) / max(workers, 1)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(raw))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func(w, lo, hi int) {
			defer wg.Done()
			decode := newDecode()
			for i := lo; i < hi; i++ {
				if i%8192 == 0 && ctx.Err() != nil {
					errs[w] = ctx.Err()
					return
				}
				if err := decode(raw[i], &out[i]); err != nil {
					errs[w] = err
					return
				}
				raw[i] = ""
			}
		}(w, lo, hi)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
