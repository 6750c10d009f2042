package ror

// Results is one page of a search, with what the summary line and the refine
// panel need.
type Results struct {
	Summary          Summary       `json:"resume"`
	Tri              Tri           `json:"tri"`
	Page             int           `json:"page"`
	Pages            int           `json:"pages"`
	PageSize         int           `json:"par_page"`
	Etablissements   []EGResult    `json:"etablissements"`
	NonGeolocalisees []EGResult    `json:"non_geolocalisees,omitempty"`
	Facets           []FacetCounts `json:"facettes"`
}

// Answer is a search's answer: the page (Results, what the list shows)
// and, for the exports, every result and the commune the distances are from.
type Answer struct {
	Results
	All  []EGResult // every result (≤ MaxResults) when Query.All asks for them
	From *Commune   // nil without a commune
}

// Summary is what the line above the list says; api writes its sentence
// ("N établissement(s), M UO en X ms. Distances calculées à partir de
// <commune>") into Text.
type Summary struct {
	Etablissements int         `json:"etablissements"` // in the list, at most MaxResults
	UO             int         `json:"uo"`             // matching UOs of those établissements
	Truncated      bool        `json:"tronque"`        // the MaxResults cap cut the list
	TookMs         float64     `json:"duree_ms"`
	Origin         *CommuneRef `json:"origine,omitempty"`
	Text           string      `json:"texte"`
}

// CommuneRef names a commune in a result.
type CommuneRef struct {
	INSEE string `json:"insee"`
	Name  string `json:"nom"`
	Label string `json:"libelle,omitempty"`
}

// Coded is a nomenclature value with its national label.
type Coded struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// EGResult is one établissement of the list with its matching UOs.
type EGResult struct {
	FINESS      string     `json:"finess"`
	Name        string     `json:"nom"`
	Category    Coded      `json:"categorie"`
	Department  Department `json:"departement"`
	Commune     CommuneRef `json:"commune"`
	Address     string     `json:"adresse"`
	PostalCode  string     `json:"code_postal"`
	Phone       string     `json:"telephone,omitempty"`
	Point       *Point     `json:"position,omitempty"`
	DistanceKm  *float64   `json:"distance_km,omitempty"`
	DurationMin *int       `json:"duree_min,omitempty"`
	Estimated   bool       `json:"duree_estimee,omitempty"`       // the duration is an estimate (always, today)
	Method      string     `json:"duree_methode,omitempty"`       // how: "modele" (geo's model) or "osrm"
	NoRoad      bool       `json:"hors_reseau_routier,omitempty"` // on another road network than the commune: no duration
	Score       float64    `json:"score,omitempty"`
	// Lieu, with a commune, is the lieu de réalisation the distance and the
	// duration are measured to when it is not the EG's own address.
	Lieu *LieuRef   `json:"lieu,omitempty"`
	NbUO int        `json:"nb_uo"`
	UOs  []UOResult `json:"uo"`
}

// UOResult is one matching UO under its établissement.
type UOResult struct {
	ID            string `json:"id"`
	TypeUO        Coded  `json:"type_uo"`
	Name          string `json:"nom"`
	Statut        Statut `json:"statut"`
	Disponibilite string `json:"disponibilite"` // French, filled by api from LitsDispo
	LitsDispo     *int   `json:"lits_disponibles,omitempty"`
	Phone         string `json:"telephone,omitempty"`
	Patientele    string `json:"patientele"`
	Intervient    string `json:"intervient_a,omitempty"` // commune of the zone d'intervention searched from
	// Lieu is the unit's nearest lieu de réalisation from the commune, when
	// it declares lieux (else it works at the EG's address).
	Lieu    *LieuRef `json:"lieu,omitempty"`
	Score   float64  `json:"score,omitempty"`
	Explain string   `json:"explication,omitempty"`
	// Where the unit's description comes from (derived by a named rule,
	// validated by a dossier), and how the page words it.
	Provenance    Provenance `json:"provenance"`
	ProvenanceLib string     `json:"provenance_libelle,omitempty"`
}
