package ror

// Facet is a dimension of the refine panel. Its string is the query
// parameter that filters on it (repeatable: OR within a facet, AND across).
type Facet string

// The facets of a search, in the order the refine panel shows them.
const (
	FacetPatientele  Facet = "patientele"  // enfant | adulte
	FacetTypeOffre   Facet = "type_offre"  // champ d'activité, JDV_J20
	FacetActivite    Facet = "activite"    // JDV_J17
	FacetMode        Facet = "mode"        // JDV_J19
	FacetTypeUO      Facet = "type_uo"     // JDV_J238
	FacetActe        Facet = "acte"        // JDV_J16
	FacetEquipement  Facet = "equipement"  // JDV_J18
	FacetDepartement Facet = "departement" // code of the EG's département
	FacetStatut      Facet = "statut"      // Statut of the UO
	FacetOrigine     Facet = "origine"     // geolocalisee | non_geolocalisee (of the EG)
)

// AllFacets lists the facets in display order.
var AllFacets = []Facet{FacetPatientele, FacetTypeOffre, FacetActivite, FacetMode, FacetTypeUO,
	FacetActe, FacetEquipement, FacetDepartement, FacetStatut, FacetOrigine}

// Title is the French heading of the facet.
func (f Facet) Title() string {
	switch f {
	case FacetPatientele:
		return "Patientèles"
	case FacetTypeOffre:
		return "Types d'offres"
	case FacetActivite:
		return "Activités opérationnelles"
	case FacetMode:
		return "Modes de prise en charge"
	case FacetTypeUO:
		return "Types d'UO"
	case FacetActe:
		return "Actes spécifiques"
	case FacetEquipement:
		return "Équipements spécifiques"
	case FacetDepartement:
		return "Départements"
	case FacetStatut:
		return "Statut"
	case FacetOrigine:
		return "Origine"
	}
	return string(f)
}

// ValueSet is the nomenclature that codes the facet's values, "" for the
// facets with fixed values (patientèle, statut, origine) or départements.
func (f Facet) ValueSet() ValueSet {
	switch f {
	case FacetTypeOffre:
		return VSChampActivite
	case FacetActivite:
		return VSActivite
	case FacetMode:
		return VSMode
	case FacetTypeUO:
		return VSTypeUO
	case FacetActe:
		return VSActe
	case FacetEquipement:
		return VSEquipement
	}
	return ""
}

// Fixed values of the facets that are not nomenclature codes.
const (
	PatienteleEnfant = "enfant"
	PatienteleAdulte = "adulte"
	OrigineGeo       = "geolocalisee"
	OrigineNonGeo    = "non_geolocalisee"
)

// Filters are the refine-panel selections: per facet, the accepted values.
type Filters map[Facet][]string

// FacetValue is one line of a facet: a value, its label and how many UOs of
// the match set have it.
type FacetValue struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Count int    `json:"nombre"`
	On    bool   `json:"selectionne,omitempty"`
}

// FacetCounts is one facet of the refine panel, values by count descending.
// A facet's counts ignore its own filter, so a user can widen it again.
type FacetCounts struct {
	Facet  Facet        `json:"facette"`
	Title  string       `json:"titre"`
	Values []FacetValue `json:"valeurs"`
	// Distinct is how many values have a count: more than Values holds when
	// the answer keeps the first FacetValuesShown only.
	Distinct int `json:"nb_valeurs"`
}

// FacetValuesShown is how many values of a facet a search answers with, the
// most frequent first (plus the selected ones): a broad search has more than
// 2,000 values over its facets (1,100 actes alone), 200 kB nobody reads in a
// refine panel. Query.FullFacets asks for all of a facet's values.
const FacetValuesShown = 30
