package ror

import "time"

// EJ is an Entité Juridique, identified by its FINESS juridique.
type EJ struct {
	FINESS string `json:"finess"`
	Name   string `json:"nom"`
}

// EG is an Entité Géographique: one place, identified by its FINESS
// géographique (FINESS ET), belonging to one EJ.
type EG struct {
	FINESS     string    `json:"finess"`
	EJ         string    `json:"finess_ej,omitempty"`
	Name       string    `json:"nom"`
	LongName   string    `json:"nom_long,omitempty"`
	Category   string    `json:"categorie"` // JDV_J55 / TRE_R66 code (FINESS category)
	Address    string    `json:"adresse"`
	PostalCode string    `json:"code_postal"`
	Commune    string    `json:"commune"` // INSEE code
	Department string    `json:"departement"`
	Phone      string    `json:"telephone,omitempty"`
	Email      string    `json:"email,omitempty"`
	Horaires   string    `json:"horaires,omitempty"`
	Point      Point     `json:"position"`              // zero when not geolocated
	Source     string    `json:"source"`                // which official file it came from
	SourceDate string    `json:"date_source,omitempty"` // set on a record kept from an older file than the base: its state ("2013")
	UpdatedAt  time.Time `json:"maj,omitzero"`          // FINESS datemaj: the date of the fact, absent when unknown
	Validated  time.Time `json:"maj_validee,omitzero"`  // last validated update by a référent
	Version    int       `json:"version"`               // bumped by every published change
}

// Geolocated reports whether the EG has a usable position.
func (e *EG) Geolocated() bool { return e.Point.Valid() }

// Statut of a UO, as the ROR shows it.
type Statut string

// The statuts of a UO.
const (
	StatutActif          Statut = "actif"
	StatutFermeTemporair Statut = "ferme_temporairement"
	StatutFerme          Statut = "ferme"
)

// Patientele says whom a UO takes: children, adults, from which age.
type Patientele struct {
	Enfant bool `json:"enfant"`
	Adulte bool `json:"adulte"`
	AgeMin int  `json:"age_min,omitempty"` // years; 0 when not set
	AgeMax int  `json:"age_max,omitempty"` // years; 0 when not set
}

// Short is the ROR screen's abbreviation: "E", "A" or "E+A".
func (p Patientele) Short() string {
	switch {
	case p.Enfant && p.Adulte:
		return "E+A"
	case p.Enfant:
		return "E"
	case p.Adulte:
		return "A"
	}
	return ""
}

// Capacite is the capacitaire of a UO, as the ROR National defines it: beds
// installed, closed, of unknown state, extra beds mobilised, and available.
type Capacite struct {
	Installes       int       `json:"lits_installes"`
	Fermes          int       `json:"lits_fermes"`
	Indetermines    int       `json:"lits_indetermines"`
	Supplementaires int       `json:"lits_supplementaires"`
	Disponibles     int       `json:"lits_disponibles"`
	Places          int       `json:"places,omitempty"` // day places (HDJ, HAD), not beds
	Known           bool      `json:"renseigne"`        // false: "Saisie non activée" (no bed manager or feed gave a figure)
	UpdatedAt       time.Time `json:"maj,omitzero"`
	UpdatedBy       string    `json:"auteur,omitempty"`
	// Source names where figures that no write entered come from: "SAE 2020"
	// for installed beds and places from the DREES survey, "ror gen
	// (synthétique)" for generated ones; empty for a write's figures.
	Source string `json:"source,omitempty"`
}

// Provenance says where a UO's description comes from.
type Provenance struct {
	Kind   string `json:"type"`             // ProvenanceDerivee, ProvenanceValidee or ProvenanceDeclaree
	Rule   string `json:"regle,omitempty"`  // the rule of data/rules/units.csv that derived it
	Source string `json:"source,omitempty"` // what it rests on: "FINESS 2021-01-08 + SAE 2020", "dossier d-…"
}

// The kinds of Provenance.
const (
	ProvenanceDerivee  = "derivee"  // derived by a named rule from public data (FINESS, SAE), not validated by the établissement
	ProvenanceValidee  = "validee"  // published from a dossier a référent validated
	ProvenanceDeclaree = "declaree" // given as is in the sources' uo.jsonl
)

// Label is how the page shows a provenance.
func (p Provenance) Label() string {
	switch p.Kind {
	case ProvenanceDerivee:
		return "description dérivée des données publiques — non validée par l'établissement"
	case ProvenanceValidee:
		return "description validée par l'établissement"
	case ProvenanceDeclaree:
		return "description fournie au chargement"
	}
	return ""
}

// UO is an Unité Opérationnelle of an EG. Every coded field holds keys of
// the value set named in its comment.
type UO struct {
	ID            string     `json:"id"` // EG FINESS + "-" + a short code, stable across imports
	EG            string     `json:"finess_eg"`
	Name          string     `json:"nom"`
	TypeUO        string     `json:"type_uo"`        // JDV_J238
	ChampActivite string     `json:"champ_activite"` // JDV_J20
	Activites     []string   `json:"activites"`      // JDV_J17
	Actes         []string   `json:"actes"`          // JDV_J16
	Equipements   []string   `json:"equipements"`    // JDV_J18
	Modes         []string   `json:"modes"`          // JDV_J19
	Professions   []string   `json:"professions"`    // JDV_J186
	Expertises    []string   `json:"expertises"`     // JDV_J227
	Publics       []string   `json:"publics"`        // JDV_J29
	Patientele    Patientele `json:"patientele"`
	Horaires      string     `json:"horaires,omitempty"` // no national code exists for opening hours
	Phone         string     `json:"telephone,omitempty"`
	Statut        Statut     `json:"statut"`
	Capacite      Capacite   `json:"capacite"`
	Zone          []string   `json:"zone_intervention,omitempty"` // INSEE codes served by a mobile unit
	Provenance    Provenance `json:"provenance"`
	UpdatedAt     time.Time  `json:"maj,omitzero"`
	Version       int        `json:"version"` // bumped by every published change
	// Lieux are the lieux de réalisation where the offer is delivered (lieu.go):
	// ids of the EG's declared lieux, the EG's FINESS for its own address;
	// empty: the EG's address alone (derived). The beds are at the first.
	Lieux []string `json:"lieux,omitempty"`
}

// Offer is a whole import: the reference data and the tree of the offer.
type Offer struct {
	Nomenclature *Nomenclature
	Communes     []Commune
	Departments  []Department
	EJs          []EJ
	EGs          []EG
	UOs          []UO
	Lieux        []Lieu   // declared by dossiers; an import declares none
	Sources      []string // the files read, for the record
	ImportedAt   time.Time
}
