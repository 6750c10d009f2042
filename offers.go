package ror

// An offre opérationnelle is a UO seen through one of its activités: the
// grain of the FHIR HealthcareService, whose profile allows one activité
// opérationnelle each. A UO without activité is one offre of its own.

// NoActivite is the activité index of the offre of a UO without activité.
const NoActivite = -1

// OfferQuery selects offres for machine clients (the FHIR API).
type OfferQuery struct {
	// Require narrows the UOs through the index before Match runs: every
	// requirement must hold (AND), each by any of its codes (OR). It must
	// not exclude a UO that Match would accept.
	Require []Requirement
	Near    *Near // only places within the circle, nearest first
	// Places asks for one hit per place where a UO delivers its offre (its
	// EG's address, each open declared lieu), with that place's distance:
	// a search on a place's own criteria (address, identifier, position)
	// decides each place, not the UO's nearest. Without it a UO is one hit
	// at its nearest place.
	Places bool
	// Match decides each offre: activite indexes u.Activites, or is
	// NoActivite; at is the place with Places (nil: the EG's address, and
	// always nil without Places). Nil accepts every offre of the candidate
	// UOs.
	Match func(u *UO, eg *EG, at *Lieu, activite int) bool
	// Order sorts the UOs when there is no Near; nil keeps the catalog's
	// order (UO id, then UOs created since the import).
	Order         func(a, b *UO) int
	Offset, Limit int // over offres; Limit 0 means MaxResults
	// All returns every offre from Offset, Limit ignored: the FHIR API
	// pages past MaxResults over its own snapshot of the result.
	All bool
}

// Near is a circle on the map.
type Near struct {
	Point    Point
	RadiusKm float64
}

// OfferHit is one selected offre with its UO and EG (copies).
type OfferHit struct {
	UO         UO
	EG         EG
	Activite   int     // index in UO.Activites, or NoActivite
	DistanceKm float64 // -1 without Near
	// At is the place the hit was met at (with Places or Near): a declared
	// lieu (a copy), nil for the EG's address.
	At *Lieu
}

// ActiviteCode is the code of the offre's activité, "" for NoActivite.
func (h *OfferHit) ActiviteCode() string {
	if h.Activite < 0 || h.Activite >= len(h.UO.Activites) {
		return ""
	}
	return h.UO.Activites[h.Activite]
}
