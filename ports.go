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

// Release gives back what m's sets borrowed (their dense copies): the
// match is not to be used after it.
func (m *Match) Release() {
	Release(m.Units)
	Release(m.NonGeolocated)
}

// Release gives back what a set of candidates borrowed, when it borrowed
// (the index's match sets do); it is not to be used after.
func Release(c Candidates) {
	if r, ok := c.(interface{ Release() }); ok {
		r.Release()
	}
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
	// Approche: found only with a letter changed (a typo); listed after every match as typed.
	Approche bool `json:"orthographe_approchee,omitempty"`
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
	// Populous returns the communes of at least min inhabitants with a
	// centre, the most populous first, cities rather than arrondissements.
	Populous(min int) []Commune
	// Department returns the département of a code.
	Department(code string) (Department, bool)
}

// Rank is the order of a nearest-K search: Of is the key of a place (its
// great-circle km from an origin, a travel time), Bound is at most Of of
// any place inside the box [min, max] (WGS84): the R-tree walk opens boxes
// by it, so places come out in exact key order whatever the key. Cheap,
// when set, is at most Of(p) and cheaper to tell: a scan drops a place
// whose Cheap is past the worst kept without computing Of.
type Rank struct {
	Of    func(p Point) float64
	Bound func(min, max Point) float64
	Cheap func(p Point) float64
}

// Nearest asks a Locator for the N places of the lowest keys under
// Rank among the candidates that Keep accepts.
type Nearest struct {
	Rank Rank
	// Len is how many candidates there are (UOs, say): few are scanned
	// through Each, many found by walking the tree.
	Len int
	// Each calls yield with each candidate's place ordinal (repeats
	// allowed) until yield returns false.
	Each func(yield func(ord uint32) bool)
	// Has tells whether a place of the tree is a candidate, for the walk
	// (the scan's places are candidates already).
	Has func(ord uint32) bool
	N   int     // places wanted; 0: all
	Max float64 // > 0: no place of a larger key
	// Keep, nil for every candidate, decides whether a place is taken:
	// the walk asks once per place; the scan asks as it reaches each
	// candidate of a place not yet taken (so Keep may look at the one
	// being scanned).
	Keep func(ord uint32, key float64) bool
	// WantMore asks whether places were left out past the N first; without
	// it a full list drops farther places unchecked (Keep is not asked).
	WantMore bool
	// Group, when set, maps a place to the one it stands for (a lieu de
	// réalisation to its EG): places of one group count once, at the lowest
	// key of those Keep takes, and visit gets that place. Nil: every place
	// is its own group.
	Group func(place uint32) uint32
}

// Locator ranks EG positions: the one nearest-K walk of the project.
type Locator interface {
	// Nearest calls visit with the places of q in increasing key (then
	// ordinal) order, at most q.N, until visit returns false, and reports
	// (with q.WantMore) whether q had more places than it visited. EGs
	// without a position are never visited.
	Nearest(q Nearest, visit func(ord uint32, key float64) bool) (more bool)
	// Within calls visit with every place at most km from center, in no
	// particular order: a radius's places without a nearest-first walk.
	Within(center Point, km float64, visit func(ord uint32))
	// ByDistance is the great-circle order from p, in km.
	ByDistance(p Point) Rank
	// DistanceKm is the great-circle distance between a and b.
	DistanceKm(a, b Point) float64
	// Positions are the places by ordinal, an invalid Point for an EG
	// without one; shared: read only, and re-read after SetPlace.
	Positions() []Point
	// SetPlace places ordinal ord at p: a new place (ord == len(Positions()),
	// a lieu declared since the start) or a moved one. Not safe with a
	// concurrent Nearest: the read side calls it under its write lock.
	SetPlace(ord uint32, p Point)
}

// Router estimates road travel time.
type Router interface {
	// Duration estimates the free-flow driving time from commune from to a
	// place distKm away as the crow flies. Never zero, and non-decreasing in
	// distKm for one origin, so the nearest by distance is the nearest by time.
	Duration(from Commune, distKm float64) time.Duration
	// Trip estimates the driving time from commune from to the place at to
	// in commune toINSEE ("" when unknown), distKm away as the crow flies.
	// Not Reachable, and no Duration, when no road joins them (Corse, the
	// DROM, an island without a bridge and the mainland).
	Trip(from Commune, to Point, toINSEE string, distKm float64) Trip
	// Reachable tells cheaply whether Trip would be Reachable.
	Reachable(from Commune, to Point, toINSEE string) bool
	// Network names the road network of the place at p in commune insee
	// ("" when unknown): two places are joined by road when their networks
	// are equal. For many places against one origin, each looked up once.
	Network(insee string, p Point) string
	// LowerBound is at most the Duration of any Trip from from to a place
	// at least minKm away: a walk nearest by distance that has its K
	// nearest by time stops once LowerBound(km) exceeds the worst of them.
	LowerBound(from Commune, minKm float64) time.Duration
}

// TripTable is a Router that times many destinations from one origin in
// one request (a routing engine's matrix): the page's results and the
// proximity candidates.
type TripTable interface {
	Trips(from Commune, to []Place) []Trip
}

// Place is a destination of a TripTable.
type Place struct {
	Point      Point
	INSEE      string  // its commune, "" when unknown
	DistanceKm float64 // from the origin, as the crow flies
}

// Trip is a driving time, estimated: by the embedded model or by a routing
// engine (Method, as the JSON says it: "modele", "osrm").
type Trip struct {
	Duration  time.Duration
	Reachable bool // false: another road network, « hors réseau routier »
	Method    string
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
	// PutDraft stores d, with the audit entries of its step (opened,
	// edited, submitted, rejected, validated for a date), if the stored
	// draft is still at version prev (0 for a new one); Conflict otherwise.
	PutDraft(ctx context.Context, d Draft, prev int, changes ...Change) error
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
	Lieux   []Lieu
	EG      *EG
	Changes []Change
	Draft   Draft
	Prev    int // the draft's stored version
}

// Records reads the live offer: copies, safe to keep.
type Records interface {
	// EG returns the EG with this FINESS.
	EG(finess string) (EG, bool)
	// UO returns the UO with this id and its EG.
	UO(id string) (UO, EG, bool)
	// Lieu returns the declared lieu with this id.
	Lieu(id string) (Lieu, bool)
	// UnitsOf returns the UOs of the EG with this FINESS.
	UnitsOf(finess string) []UO
}

// Update is one change of the live offer, as a workflow computed it.
type Update struct {
	// Commit writes the change to the record of truth; the change is made
	// visible only when it returns nil. Nil: nothing to write.
	Commit func(ctx context.Context) error
	EG     *EG    // replaces the EG of its FINESS (its position never changes)
	UOs    []UO   // replace the UOs of their ids, or join their EG; re-filed in the index
	Beds   []UO   // of existing UOs, only the capacitaire changed: nothing to re-file
	Lieux  []Lieu // declared lieux, new or changed (a new position moves it on the map)
}

// Live is the live offer as the workflows see it. Its owner (package
// search) keeps the catalog, the index and the tree under one lock, and
// Update is the only way to change them.
type Live interface {
	// Read calls fn with the records under the owner's read lock; fn must
	// not call Live.
	Read(fn func(r Records))
	// Update runs plan with the records, one update at a time, then
	// commits what it returns and makes it visible to every reader at once
	// (catalog and index together). plan must not call Live; an error of
	// plan or of Commit is returned and changes nothing. A nil Update
	// changes nothing.
	Update(ctx context.Context, plan func(r Records) (*Update, error)) error
}
