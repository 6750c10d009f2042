package ror

import "time"

// Requirement is one need of the proximity lookup: a UO qualifies when it
// carries any of the codes of the facet.
type Requirement struct {
	Facet Facet    `json:"facette"`
	AnyOf []string `json:"codes"`
}

// Preset is a named set of requirements for a common need, e.g.
// "obesite-severe" (data/presets.json).
type Preset struct {
	ID      string        `json:"id"`
	Label   string        `json:"label"`
	Require []Requirement `json:"exigences"`
}

// The proximity lookup's bounds.
const (
	NearDefaultLimit = 10
	NearMaxLimit     = 50
	StaleAfter       = 24 * time.Hour // a bed figure older than this is flagged
)

// NearQuery is a parsed /api/v1/proximite request.
type NearQuery struct {
	Ou         string // commune as typed, or "lat,lon"
	Point      *Point // set when Ou is "lat,lon"
	Require    []Requirement
	Besoin     string
	MinLits    int    // lits disponibles at least
	Patientele string // "", enfant or adulte
	Limit      int
}

// NearResult is one unit of the proximity lookup.
type NearResult struct {
	EG          EGRef     `json:"etablissement"`
	UO          UOResult  `json:"uo"`
	DistanceKm  float64   `json:"distance_km"`
	DurationMin *int      `json:"duree_min,omitempty"`           // none across the sea
	Estimated   bool      `json:"duree_estimee,omitempty"`       // the duration is an estimate
	Method      string    `json:"duree_methode,omitempty"`       // "modele" or "osrm"
	NoRoad      bool      `json:"hors_reseau_routier,omitempty"` // another road network: ranked after every unit reached by road
	Lieu        *LieuRef  `json:"lieu,omitempty"`                // the unit's nearest lieu, when it declares lieux
	Lits        *Capacite `json:"capacite,omitempty"`
	// The figure's age and whether it is older than StaleAfter: both absent
	// for a unit without a figure (« Saisie non activée »), which is neither
	// fresh nor old.
	AgeMin *int  `json:"age_chiffre_min,omitempty"`
	Stale  *bool `json:"chiffre_ancien,omitempty"`
}

// EGRef is what a regulator needs of an établissement.
type EGRef struct {
	FINESS  string     `json:"finess"`
	Name    string     `json:"nom"`
	Address string     `json:"adresse"`
	Commune CommuneRef `json:"commune"`
	Phone   string     `json:"telephone,omitempty"`
	Point   Point      `json:"position"`
}
