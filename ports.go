package ror

import (
	"context"
	"io"
	"time"
)

// Store is the record of truth (Badger). Methods return NotFound when the
// record does not exist, Internal otherwise.
type Store interface {
	// ReplaceOffer writes a whole import atomically: after a crash, either
	// the previous offer or this one is there, never a mix.
	ReplaceOffer(ctx context.Context, o *Offer) error
	// LoadOffer reads the current offer; NotFound when nothing was imported.
	LoadOffer(ctx context.Context) (*Offer, error)
	// PutUOs writes changed UOs and their audit entries in one durable
	// transaction: acknowledged means on disk.
	PutUOs(ctx context.Context, uos []UO, changes []Change) error
	// Changes returns the audit entries of a UO id or an EG FINESS, newest
	// first, at most limit.
	Changes(ctx context.Context, id string, limit int) ([]Change, error)
	// Close releases the files.
	Close() error
}

// Match is what the index found for a query: the UOs that satisfy its
// criterion and filters and, when the query had text, a relevance score per
// UO (higher is better), with the facet counts of the refine panel.
type Match struct {
	Units   Candidates
	Score   func(ord uint32) float64 // nil when every match is equally relevant
	Explain func(ord uint32) string  // French, why ord matched; nil unless Query.Explain
	Facets  []FacetCounts            // over the whole match set, in AllFacets order; each Values is shared: read only
	// Ranked, when Score is set, calls fn with subsets of Units by
	// non-increasing score until fn returns false: a UO's score is that of
	// the first subset holding it. Ranking by relevance then stops once it
	// has enough établissements instead of scoring every UO.
	Ranked func(fn func(score float64, units Candidates) bool)
	// NonGeolocated, when set, is the part of Units whose EG has no
	// position, which the distance order lists apart.
	NonGeolocated Candidates
}

// Index finds UOs by words and codes.
type Index interface {
	// Match returns the UOs that satisfy q's criterion and filters, with
	// facet counts. Invalid (Field "code" or the facet's parameter) when a
	// code is unknown.
	Match(ctx context.Context, q *Query) (*Match, error)
	// Require returns the UOs that satisfy every requirement (AND), each
	// requirement being any of its codes (OR). Invalid, with the facet as
	// Field, when a code is unknown.
	Require(ctx context.Context, reqs []Requirement) (Candidates, error)
	// Reindex re-files UOs that changed or were appended to cat.
	Reindex(cat *Catalog, ords []uint32)
	// Suggest returns suggestions for text, grouped by category in the order
	// of AllDans, at most limit per category; dans other than DansTout
	// restricts to that category.
	Suggest(ctx context.Context, text string, dans Dans, limit int) ([]Suggestion, error)
}

// Suggestion is one entry of the "Suggestions" list: picking it searches
// with Dans and Code.
type Suggestion struct {
	Dans   Dans    `json:"dans"`
	Title  string  `json:"categorie"` // the French heading of Dans
	Code   string  `json:"code"`
	Label  string  `json:"label"`
	Detail string  `json:"detail,omitempty"` // e.g. the commune of a name
	Score  float64 `json:"-"`
}

// Gazetteer resolves what a user types in "Où ?".
type Gazetteer interface {
	// Resolve returns the one commune text designates (INSEE code, postal
	// code, "Paris 10 (75010)", name); Invalid on "ou" when none or when it
	// is ambiguous, with candidates named in the message.
	Resolve(text string) (Commune, error)
	// Suggest returns up to limit communes for a prefix of a name or of a
	// postal code, the most populous first.
	Suggest(text string, limit int) []Commune
	// Commune returns the commune of an INSEE code.
	Commune(insee string) (Commune, bool)
	// Department returns the département of a code.
	Department(code string) (Department, bool)
}

// Locator ranks EG positions by distance.
type Locator interface {
	// Nearest calls visit with EG ordinals nearest-first from p, with their
	// great-circle distance in km, until visit returns false. EGs without a
	// position are never visited.
	Nearest(p Point, visit func(eg uint32, distKm float64) bool)
	// DistanceKm is the great-circle distance between a and b.
	DistanceKm(a, b Point) float64
	// DistanceWithinKm is DistanceKm when it may be at most maxKm, and false
	// when it surely is more (told cheaply, for the nearest-first scans).
	DistanceWithinKm(a, b Point, maxKm float64) (float64, bool)
}

// Router estimates road travel time.
type Router interface {
	// Duration estimates the free-flow driving time from commune from to a
	// place distKm away as the crow flies. Never zero, and non-decreasing in
	// distKm for one origin, so the nearest by distance is the nearest by time.
	Duration(from Commune, distKm float64) time.Duration
}

// Accounts keeps the named accounts and their bearer tokens (hashed).
type Accounts interface {
	// Authenticate returns the account of a bearer token; Unauthorized when
	// the token is unknown, expired or revoked.
	Authenticate(ctx context.Context, token string) (*Account, error)
	// CreateAccount stores a and returns a new token for it, shown once;
	// Conflict when the name is taken.
	CreateAccount(ctx context.Context, a Account) (token string, err error)
	// Revoke disables every token of the named account; NotFound if none.
	Revoke(ctx context.Context, name string) error
}

// Backuper writes an online backup of the record of truth.
type Backuper interface {
	// Backup writes a consistent copy of the store to w.
	Backup(w io.Writer) error
}

// Drafts keeps the dossiers collaboratifs and publishes them.
type Drafts interface {
	// PutDraft stores d if the stored draft is still at version prev (0 for
	// a new one); Conflict otherwise.
	PutDraft(ctx context.Context, d Draft, prev int) error
	// Draft returns a draft; NotFound when there is none.
	Draft(ctx context.Context, id string) (Draft, error)
	// Publish writes a validated draft's records, its audit entries and the
	// draft itself in one durable transaction; Conflict when the stored
	// draft is no longer at version p.Prev.
	Publish(ctx context.Context, p Publication) error
	// ScheduledDrafts returns the ids of the drafts validated for
	// publication at an effective date at or before until, earliest first.
	ScheduledDrafts(ctx context.Context, until time.Time) ([]string, error)
}

// Publication is what validating a draft writes.
type Publication struct {
	UOs     []UO
	EG      *EG
	Changes []Change
	Draft   Draft
	Prev    int // the draft's stored version
}
