package ror

import "time"

// Fiche is the page of one EG with all its UOs, labels resolved.
type Fiche struct {
	FINESS     string     `json:"finess"`
	EJ         string     `json:"finess_ej,omitempty"`
	Name       string     `json:"nom"`
	LongName   string     `json:"nom_long,omitempty"`
	Category   Coded      `json:"categorie"`
	Address    string     `json:"adresse"`
	PostalCode string     `json:"code_postal"`
	Commune    CommuneRef `json:"commune"`
	Department Department `json:"departement"`
	Phone      string     `json:"telephone,omitempty"`
	Email      string     `json:"email,omitempty"`
	Horaires   string     `json:"horaires,omitempty"`
	Point      *Point     `json:"position,omitempty"`
	Source     string     `json:"source"`
	UpdatedAt  time.Time  `json:"maj,omitzero"`
	Validated  time.Time  `json:"maj_validee,omitzero"` // last update validated for a référent
	ToReview   bool       `json:"a_reviser"`            // no validated update for a year: the ROR asks a yearly review
	Version    int        `json:"version"`              // what a référent's draft is based on (version_base)
	UOs        []UOView   `json:"uo"`
	Lieux      []LieuRef  `json:"lieux,omitempty"` // the lieux declared for the EG, closed ones included
}

// ReviewAfter is how long a fiche stays current without a validated update.
const ReviewAfter = 365 * 24 * time.Hour

// UOView is a UO with every code paired with its national label.
type UOView struct {
	ID            string       `json:"id"`
	Name          string       `json:"nom"`
	TypeUO        Coded        `json:"type_uo"`
	ChampActivite Coded        `json:"champ_activite"`
	Activites     []Coded      `json:"activites"`
	Actes         []Coded      `json:"actes"`
	Equipements   []Coded      `json:"equipements"`
	Modes         []Coded      `json:"modes"`
	Professions   []Coded      `json:"professions"`
	Expertises    []Coded      `json:"expertises"`
	Publics       []Coded      `json:"publics"`
	Patientele    Patientele   `json:"patientele"`
	Horaires      string       `json:"horaires,omitempty"`
	Phone         string       `json:"telephone,omitempty"`
	Statut        Statut       `json:"statut"`
	Capacite      Capacite     `json:"capacite"`
	Disponibilite string       `json:"disponibilite"` // French, filled by api from Capacite
	Zone          []CommuneRef `json:"zone_intervention,omitempty"`
	Provenance    Provenance   `json:"provenance"`
	ProvenanceLib string       `json:"provenance_libelle,omitempty"` // as the page shows it
	UpdatedAt     time.Time    `json:"maj,omitzero"`
	Version       int          `json:"version"` // what a draft modifying this UO is based on
	Lieux         []LieuRef    `json:"lieux"`   // where the offer is delivered; the EG's address (derived) when none is declared
}

// Stats are the sizes of the directory, for /readyz and the README.
type Stats struct {
	EGs int `json:"eg"`
	UOs int `json:"uo"`
}
