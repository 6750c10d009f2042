package store

import (
	"encoding/json"
	"fmt"

	"github.com/ror-recherche/ror"
)

// Lieux de réalisation live in the generation of the offer, beside the UOs
// that list them (g/<gen>/lieu/<id>, JSON: a few per EG at most, read once
// at start). A publication writes them in the transaction of its UOs, so a
// UO never names a lieu that is not on disk; an import declares none and
// replaces the generation, as it does the units' other edits.
//
// Schema 3 (keys.go) brought them with UO.Lieux. A schema 2 data dir is
// upgraded in place by Open: its UO records (format 2) read without lieux,
// at their EG's address, which is what they meant; the schema key is set
// in one transaction, so a crash leaves schema 2 (upgraded again at the
// next Open) or 3, and a binary of schema 2 refuses the upgraded dir
// rather than misread its format 3 records.

func lieuKey(gen uint64, id string) []byte { return genKey(gen, "lieu", id) }

func putLieux(s setter, gen uint64, lieux []ror.Lieu) error {
	for i := range lieux {
		b, err := json.Marshal(&lieux[i])
		if err != nil {
			return fmt.Errorf("lieu %s: %w", lieux[i].ID, err)
		}
		if err := s.Set(lieuKey(gen, lieux[i].ID), b); err != nil {
			return err
		}
	}
	return nil
}
