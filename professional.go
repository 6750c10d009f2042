package ror

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Professional is a liberal health professional (médecin de ville,
// masseur-kinésithérapeute, sage-femme): one person of the RPPS, as the
// Annuaire Santé publishes them, with the places where they practise and
// the offer they describe there. It is a catalog of its own, apart from
// the EJ → EG → UO tree.
type Professional struct {
	RPPS        string          `json:"rpps"`                   // Identification nationale PP: "8" + the 11-digit RPPS number
	Civilite    string          `json:"civilite,omitempty"`     // civilité d'exercice, TRE_R11 code (DR, MME, M)
	Nom         string          `json:"nom"`                    // nom d'exercice
	Prenom      string          `json:"prenom,omitempty"`       // prénom d'exercice
	Profession  string          `json:"profession"`             // TRE_G15 code: 10 médecin, 50 sage-femme, 70 masseur-kinésithérapeute
	SavoirFaire string          `json:"savoir_faire,omitempty"` // TRE_R38 spécialité ordinale (SM54 médecine générale…), "" when none
	Lieux       []PracticePlace `json:"lieux"`
	Source      string          `json:"source"`       // "RPPS <file>" for an import, "déclaré" once the professional described their offer
	UpdatedAt   time.Time       `json:"maj,omitzero"` // of the last description or import
	Version     int             `json:"version"`      // bumped by every published description
}

// SourceDeclared is the Source of a professional who described their offer.
const SourceDeclared = "déclaré"

// The professions of TRE_G15 that describe themselves in the ROR today
// (seed 003): médecins, sages-femmes, masseurs-kinésithérapeutes.
const (
	ProfessionMedecin      = "10"
	ProfessionSageFemme    = "50"
	ProfessionKine         = "70"
	SavoirFaireGeneraliste = "SM54" // TRE_R38: médecine générale (qualifié en MG)
)

// DescribedProfessions are the TRE_G15 codes a professional may describe.
var DescribedProfessions = []string{ProfessionMedecin, ProfessionSageFemme, ProfessionKine}

// The kinds of a place of practice.
const (
	LieuCabinet       = "cabinet"       // a cabinet de ville (own or shared)
	LieuCentreSante   = "centre_sante"  // a centre or maison de santé
	LieuEtablissement = "etablissement" // an établissement (FINESS)
)

// The modes of practice, codes of JDV_J226 (modalité d'accueil) that a
// liberal professional declares.
const (
	ModePresentiel = "03" // En présentiel (au cabinet)
	ModeTeleconsul = "04" // Téléconsultation
	ModeDomicile   = "05" // Visite à domicile
)

// ProModes are the J226 codes a professional may declare.
var ProModes = []string{ModePresentiel, ModeTeleconsul, ModeDomicile}

// PracticePlace is one situation d'exercice: where a professional receives
// patients (or from where they go to them), with the offer coded there.
type PracticePlace struct {
	ID          string   `json:"id"`   // RPPS + "-" + a short code, stable across imports
	Kind        string   `json:"type"` // LieuCabinet, LieuCentreSante, LieuEtablissement
	Name        string   `json:"nom,omitempty"`
	SIRET       string   `json:"siret,omitempty"`
	FINESS      string   `json:"finess,omitempty"`
	Address     string   `json:"adresse,omitempty"`
	PostalCode  string   `json:"code_postal,omitempty"`
	Commune     string   `json:"commune"` // INSEE code
	Phone       string   `json:"telephone,omitempty"`
	Email       string   `json:"email,omitempty"`
	Horaires    string   `json:"horaires,omitempty"`
	Point       Point    `json:"position"`
	Placement   string   `json:"placement"`         // PlacementDeclare or PlacementCommune: where Point comes from
	TypeOffre   string   `json:"type_offre"`        // JDV_J238 (195 cabinet de ville de kinésithérapie…)
	Modes       []string `json:"modes"`             // JDV_J226: 03 présentiel, 04 téléconsultation, 05 visite à domicile
	Activites   []string `json:"activites"`         // JDV_J17: orientations d'exercice (« Mon offre (1/2) »)
	Actes       []string `json:"actes"`             // JDV_J16: spécificités de pratique (« Mon offre (1/2) »)
	Equipements []string `json:"equipements"`       // JDV_J18 (« Mon offre (2/2) »)
	Publics     []string `json:"publics"`           // JDV_J29
	Competences []string `json:"competences"`       // JDV_J33: compétences spécifiques (LSF…)
	ZoneKm      float64  `json:"zone_km,omitempty"` // home visits within this distance of Point, when Modes has ModeDomicile
	Zone        []string `json:"zone,omitempty"`    // or in these communes (INSEE)
	Source      string   `json:"source,omitempty"`  // the RPPS file of the place, "déclaré" once described
	Described   bool     `json:"decrit,omitempty"`  // the professional described this place's offer themselves
}

// Where a place's position comes from.
const (
	PlacementDeclare = "declare" // given by the professional
	PlacementCommune = "commune" // the centre of its commune: derived, an estimate of the address
)

// HomeVisits reports whether the place declares visits at home.
func (p *PracticePlace) HomeVisits() bool { return slices.Contains(p.Modes, ModeDomicile) }

// Specificites are the place's declared activités and actes: what the
// « spécificité » facet counts.
func (p *PracticePlace) Specificites() []string {
	out := make([]string, 0, len(p.Activites)+len(p.Actes))
	for _, a := range p.Activites {
		out = append(out, "J17:"+a)
	}
	for _, a := range p.Actes {
		out = append(out, "J16:"+a)
	}
	return out
}

// Serves reports whether a home visit from the place reaches commune c,
// distKm away from it: c in Zone, or within ZoneKm.
func (p *PracticePlace) Serves(c Commune, distKm float64) bool {
	if !p.HomeVisits() {
		return false
	}
	if slices.Contains(p.Zone, c.INSEE) {
		return true
	}
	return p.ZoneKm > 0 && distKm <= p.ZoneKm
}

// DisplayName is how lists show a professional: "Mme Claire DURAND".
func (p *Professional) DisplayName() string {
	var parts []string
	switch p.Civilite {
	case "DR":
		parts = append(parts, "Dr")
	case "MME":
		parts = append(parts, "Mme")
	case "M":
		parts = append(parts, "M.")
	case "PR":
		parts = append(parts, "Pr")
	}
	if p.Prenom != "" {
		parts = append(parts, p.Prenom)
	}
	parts = append(parts, p.Nom)
	return strings.Join(parts, " ")
}

// ValidRPPS reports whether s is an Identification nationale PP of the
// RPPS: "8" followed by the 11 digits of the RPPS number.
func ValidRPPS(s string) bool {
	if len(s) != 12 || s[0] != '8' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ProQuery is a search among the professionals.
type ProQuery struct {
	Ou      string // the commune, as in Query
	Text    string // words of profession, spécificité or name (AND, by prefix)
	Page    int
	Filters ProFilters
	All     bool // every result in ProAnswer.All (exports, map)
	// Near, set instead of Ou (FHIR's near=lat|lon|km), ranks from a
	// position; MaxKm > 0 keeps the places within that distance.
	Near  *Point
	MaxKm float64
	// BBox keeps the places inside the map's view, as Query.BBox does.
	BBox *BBox
	// NoFacets skips the facets (« Tout le ROR » shows the établissements'
	// refine panel, not the professionals').
	NoFacets bool
}

// ProFilters refine a professional search: OR within one, AND across.
type ProFilters struct {
	Profession  []string // TRE_G15 codes
	Mode        []string // J226 codes
	Specificite []string // "J17:419", "J16:1341": as Specificites
}

// The facets of a professional search.
const (
	ProFacetProfession  = "profession"
	ProFacetMode        = "mode"
	ProFacetSpecificite = "specificite"
)

// ProAnswer is one page of places of practice, nearest first with a
// commune, with the facets over every match.
type ProAnswer struct {
	Total  int           `json:"lieux"`          // places of practice matching, at most MaxResults
	Pros   int           `json:"professionnels"` // professionals at those places
	Page   int           `json:"page"`
	Pages  int           `json:"pages"`
	Origin *CommuneRef   `json:"origine,omitempty"`
	Lieux  []PlaceResult `json:"resultats"`
	Facets []ProFacet    `json:"facettes"`
	Source string        `json:"source"` // where the professionals come from, said on the page
	All    []PlaceResult `json:"-"`
	From   *Commune      `json:"-"`
}

// ProFacet is one facet of a professional search.
type ProFacet struct {
	Facet  string       `json:"facette"`
	Title  string       `json:"titre"`
	Values []FacetValue `json:"valeurs"`
}

// PlaceResult is one place of practice of a result list with the matching
// professionals there.
type PlaceResult struct {
	Key         string      `json:"cle"` // SIRET, FINESS or the first place's id: what groups them
	Name        string      `json:"nom"`
	Kind        string      `json:"type"`
	Address     string      `json:"adresse,omitempty"`
	PostalCode  string      `json:"code_postal,omitempty"`
	Commune     CommuneRef  `json:"commune"`
	Phone       string      `json:"telephone,omitempty"`
	Point       *Point      `json:"position,omitempty"`
	Placement   string      `json:"placement"`
	DistanceKm  *float64    `json:"distance_km,omitempty"`
	DurationMin *int        `json:"duree_min,omitempty"`
	Method      string      `json:"duree_methode,omitempty"`
	NoRoad      bool        `json:"hors_reseau_routier,omitempty"`
	Domicile    bool        `json:"se_deplace_a_domicile,omitempty"` // a home visit reaches the commune searched from
	Pros        []ProResult `json:"professionnels"`
}

// ProResult is one professional at a place of a result list.
type ProResult struct {
	RPPS         string  `json:"rpps"`
	PlaceID      string  `json:"lieu"`
	Name         string  `json:"nom"`
	Profession   Coded   `json:"profession"`
	SavoirFaire  *Coded  `json:"savoir_faire,omitempty"`
	TypeOffre    Coded   `json:"type_offre"`
	Modes        []Coded `json:"modes"`
	Specificites []Coded `json:"specificites"`
	Domicile     bool    `json:"se_deplace_a_domicile,omitempty"`
	ZoneKm       float64 `json:"zone_km,omitempty"`
	Source       string  `json:"source"`
}

// ProFiche is a professional with labels resolved.
type ProFiche struct {
	Professional
	ProfessionLabel  string       `json:"profession_label"`
	SavoirFaireLabel string       `json:"savoir_faire_label,omitempty"`
	Name             string       `json:"nom_affiche"`
	Places           []PlaceFiche `json:"lieux_detail"`
}

// PlaceFiche is one place of a fiche, with its codes' labels.
type PlaceFiche struct {
	ID          string     `json:"id"`
	Commune     CommuneRef `json:"commune"`
	TypeOffre   Coded      `json:"type_offre"`
	Modes       []Coded    `json:"modes"`
	Activites   []Coded    `json:"activites"`
	Actes       []Coded    `json:"actes"`
	Equipements []Coded    `json:"equipements"`
	Publics     []Coded    `json:"publics"`
	Competences []Coded    `json:"competences"`
}

// ProAnomaly is a report of an anomaly on a professional's fiche: it
// reaches the professional (their account is tied by the RPPS number).
type ProAnomaly struct {
	ID          string    `json:"id"`
	RPPS        string    `json:"rpps"`
	Place       string    `json:"lieu,omitempty"`
	Field       string    `json:"champ,omitempty"`
	Description string    `json:"description"`
	Email       string    `json:"email,omitempty"`
	At          time.Time `json:"date"`
}

// ProStore keeps the professionals (Badger).
type ProStore interface {
	// ReplaceProfessionals writes an import: every professional of the
	// file, atomically, keeping the descriptions professionals published.
	ReplaceProfessionals(ctx context.Context, list []Professional, change Change) error
	// PutProfessional writes one professional with its audit entry, durably.
	PutProfessional(ctx context.Context, p Professional, change Change) error
	// Professionals reads them all, by RPPS.
	Professionals(ctx context.Context) ([]Professional, error)
	// PutProAnomaly stores a report with its audit entry; ProAnomalies
	// lists a professional's, newest first.
	PutProAnomaly(ctx context.Context, a ProAnomaly, change Change) error
	ProAnomalies(ctx context.Context, rpps string) ([]ProAnomaly, error)
}

// ProOffer is what a professional describes of one place in the two steps
// of « Mon offre »: (1/2) the type of offer, orientations (activités) and
// spécificités (actes), publics and modes; (2/2) the équipements, the zone
// of home visits, the contact and the position.
type ProOffer struct {
	// Identity, required when the directory does not know the RPPS number
	// yet (no extract loaded), ignored otherwise: the RPPS is its source.
	Civilite   string `json:"civilite"`
	Nom        string `json:"nom"`
	Prenom     string `json:"prenom"`
	Profession string `json:"profession"`

	Place       string   `json:"lieu"` // the place's id; "" for the first place
	TypeOffre   string   `json:"type_offre"`
	Activites   []string `json:"activites"`
	Actes       []string `json:"actes"`
	Publics     []string `json:"publics"`
	Competences []string `json:"competences"`
	Modes       []string `json:"modes"`
	Equipements []string `json:"equipements"`
	ZoneKm      float64  `json:"zone_km"`
	Zone        []string `json:"zone"`
	Phone       string   `json:"telephone"`
	Horaires    string   `json:"horaires"`
	Address     string   `json:"adresse"`
	Commune     string   `json:"commune"`
	Point       *Point   `json:"position"`
}

// ProLive is the live professionals as the write side sees them: Change
// runs plan on the current record of rpps, commits what it returns, then
// publishes it, one change at a time.
type ProLive interface {
	Professional(rpps string) (Professional, bool)
	Change(ctx context.Context, rpps string, plan func(cur Professional, ok bool) (Professional, func(context.Context) error, error)) (Professional, error)
}

// ProRole is one professional at one of their places: a FHIR
// PractitionerRole.
type ProRole struct {
	Professional
	Place      int      // index in Lieux
	DistanceKm *float64 // from the search's origin, when it has one
}
