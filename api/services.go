package api

import (
	"context"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/api/fhir"
)

// Each kind of handler depends on the small interface it uses, declared
// here where it is used: the read side (package search) and the workflows
// (package workflow) implement them, and cmd/ror passes them in Services.

// Searcher answers the result list, its exports and the suggestions
// (search.go, export.go, geojson.go).
type Searcher interface {
	Search(ctx context.Context, q ror.Query) (*ror.Answer, error)
	Suggest(ctx context.Context, text string, dans ror.Dans) ([]ror.Suggestion, error)
}

// Fiches answers the fiche of an EG and the view of one UO.
type Fiches interface {
	Fiche(ctx context.Context, finess string) (*ror.Fiche, error)
	UO(ctx context.Context, id string) (*ror.UOView, error)
}

// CommuneFinder answers what a user types in « Où ? ».
type CommuneFinder interface {
	Communes(text string, limit int) ([]ror.Commune, error)
	// PlaceNames returns the communes of at least min inhabitants, the most
	// populous first, for the names of the offline map.
	PlaceNames(min int) []ror.Commune
}

// NearFinder answers the proximity lookup.
type NearFinder interface {
	Nearby(ctx context.Context, q ror.NearQuery, now time.Time) ([]ror.NearResult, *ror.Commune, error)
	// Presets returns the needs that besoin= expands.
	Presets() []ror.Preset
}

// Sizer tells the sizes of the directory (readiness, metrics).
type Sizer interface {
	Stats() ror.Stats
}

// BedWriter applies the gestionnaires' capacitaire.
type BedWriter interface {
	UpdateCapacite(ctx context.Context, acct *ror.Account, feed ror.Feed, now time.Time) (*ror.FeedReport, error)
}

// History reads the audit trail.
type History interface {
	Changes(ctx context.Context, id string, limit int) ([]ror.Change, error)
}

// DraftDesk keeps the dossiers collaboratifs.
type DraftDesk interface {
	CreateDraft(ctx context.Context, acct *ror.Account, dr ror.Draft, now time.Time) (*ror.Draft, error)
	GetDraft(ctx context.Context, acct *ror.Account, id string) (*ror.Draft, error)
	UpdateDraft(ctx context.Context, acct *ror.Account, id string, next ror.Draft, now time.Time) (*ror.Draft, error)
	SubmitDraft(ctx context.Context, acct *ror.Account, id string, version int, now time.Time) (*ror.Draft, error)
	RejectDraft(ctx context.Context, acct *ror.Account, id, reason string, now time.Time) (*ror.Draft, error)
	ValidateDraft(ctx context.Context, acct *ror.Account, id string, effective, now time.Time) (*ror.Draft, error)
}

// AnomalyDesk keeps the reports of anomalies.
type AnomalyDesk interface {
	ReportAnomaly(ctx context.Context, a ror.Anomaly, now time.Time) (*ror.Anomaly, error)
	ListAnomalies(ctx context.Context, acct *ror.Account, f ror.AnomalyFilter) (page []ror.Anomaly, next string, err error)
	GetAnomaly(ctx context.Context, acct *ror.Account, id string) (*ror.Anomaly, error)
	CloseAnomaly(ctx context.Context, acct *ror.Account, id, resolution string, now time.Time) (*ror.Anomaly, error)
}

// Services are what the server answers from, once loaded.
type Services struct {
	Search   Searcher
	Fiches   Fiches
	Communes CommuneFinder
	Nearby   NearFinder
	Stats    Sizer
	Beds     BedWriter
	History  History
	Dossiers DraftDesk
	Reports  AnomalyDesk
	FHIR     fhir.Records
	Records  Records   // the espace de gestion's reads (pages_scope.go)
	Pros     ProFinder // the liberal professionals (professionals.go); nil: none served
	ProDesk  ProWriter
}

// SetServices makes the server answer from v.
func (s *Server) SetServices(v Services) { s.svc.Store(&v) }

// services returns the Services, or Unavailable while loading.
func (s *Server) services() (*Services, error) {
	v := s.svc.Load()
	if v == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Le répertoire est en cours de chargement : réessayer dans quelques secondes.")
	}
	return v, nil
}

// fhirRecords is the FHIR API's view of the Services.
func (s *Server) fhirRecords() (fhir.Records, error) {
	v, err := s.services()
	if err != nil {
		return nil, err
	}
	return v.FHIR, nil
}
