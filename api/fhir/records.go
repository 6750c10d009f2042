package fhir

import (
	"context"
	"time"

	"github.com/ror-recherche/ror"
)

// Records is what the FHIR API reads of the directory: the raw records
// (copies) and the offres with their distance.
type Records interface {
	Offers(ctx context.Context, q ror.OfferQuery) ([]ror.OfferHit, int, error)
	EJ(finess string) (ror.EJ, time.Time, bool)
	EachEG(fn func(eg *ror.EG) bool)
	EachEJ(fn func(ej ror.EJ, since time.Time) bool)
	EGRecord(finess string) (ror.EG, []ror.UO, bool)
	UORecord(id string) (ror.UO, ror.EG, bool)
	// LieuRecord returns a declared lieu, its EG and the UOs delivered there.
	LieuRecord(id string) (ror.Lieu, ror.EG, []ror.UO, bool)
	Nomenclature() *ror.Nomenclature
	Gazetteer() ror.Gazetteer
}
