package ror

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Lieux de réalisation: where a UO's offer is actually delivered (the ROR
// National's « lieu de réalisation de l'offre »). By default a UO works at
// its EG's own address, a lieu that is derived (from FINESS), never
// declared: UO.Lieux is then empty. A référent declares other lieux of the
// EG through a dossier (a CMP antenna, a consultation avancée, a sister
// site), each with its address, commune, position, fonction (JDV_J198) and
// opening hours, and lists them in UO.Lieux, where the EG's own address is
// named by the EG's FINESS. The importer never declares one: public data
// says nothing of them.

// VSFonctionLieu is the fonction du lieu (FHIR Location.type), TRE_R343.
const VSFonctionLieu ValueSet = "JDV_J198"

// FonctionAdresse is « 005 Adresse »: the fonction of an EG's own address
// as a lieu, when nothing says more.
const FonctionAdresse = "005"

// Lieu is a lieu de réalisation declared for an EG; its UOs list it.
type Lieu struct {
	ID         string     `json:"id"` // EG FINESS + "-L" + a short code: 330781196-L1
	EG         string     `json:"finess_eg"`
	Name       string     `json:"nom"`
	Fonction   string     `json:"fonction"` // JDV_J198
	Address    string     `json:"adresse"`
	PostalCode string     `json:"code_postal"`
	Commune    string     `json:"commune"` // INSEE code
	Point      Point      `json:"position"`
	Horaires   string     `json:"horaires,omitempty"`
	Statut     Statut     `json:"statut"` // actif, or ferme once closed by a dossier
	Provenance Provenance `json:"provenance"`
	UpdatedAt  time.Time  `json:"maj,omitzero"`
	Version    int        `json:"version"`
}

// Open reports whether the lieu still delivers an offer.
func (l *Lieu) Open() bool { return l.Statut != StatutFerme }

var lieuCodeRE = regexp.MustCompile(`^L[A-Z0-9]{1,15}$`)

// ValidLieuID reports whether id is "<eg>-L<code>", the shape of a lieu id.
func ValidLieuID(id, eg string) bool {
	code, ok := strings.CutPrefix(id, eg+"-")
	return ok && lieuCodeRE.MatchString(code)
}

var inseeRE = regexp.MustCompile(`^[0-9][0-9AB][0-9]{3}$`)

// Validate checks a lieu as a dossier declares it: its id, name, fonction
// (JDV_J198), commune (INSEE shape), position and texts. Fields are JSON
// names of Lieu.
func (l *Lieu) Validate(n *Nomenclature) error {
	if !ValidLieuID(l.ID, l.EG) {
		return Errorf(Invalid, "id", "L'identifiant du lieu « %s » doit être le FINESS de l'EG, « -L » et un code de 1 à 15 lettres majuscules ou chiffres (%s-L1).", Clip(l.ID), l.EG)
	}
	if strings.TrimSpace(l.Name) == "" {
		return Errorf(Invalid, "nom", "Le nom du lieu est vide.")
	}
	for _, t := range []struct{ field, s string }{{"nom", l.Name}, {"adresse", l.Address}} {
		if err := checkText(t.field, t.s, MaxNameLen); err != nil {
			return err
		}
	}
	if err := checkText("horaires", l.Horaires, MaxHorairesLen); err != nil {
		return err
	}
	if !n.Has(VSFonctionLieu, l.Fonction) {
		return Errorf(Invalid, "fonction", "Le code « %s » n'existe pas dans %s (fonction du lieu).", Clip(l.Fonction), VSFonctionLieu)
	}
	if !inseeRE.MatchString(l.Commune) {
		return Errorf(Invalid, "commune", "« %s » n'est pas un code INSEE de commune (5 caractères).", Clip(l.Commune))
	}
	if p := l.Point; !p.Valid() || !inFrance(p) {
		return Errorf(Invalid, "position", "La position du lieu (lon %g, lat %g) n'est pas en France.", l.Point.Lon, l.Point.Lat)
	}
	switch l.Statut {
	case "", StatutActif, StatutFerme:
	default:
		return Errorf(Invalid, "statut", "Le statut d'un lieu est « actif » ou « ferme », pas « %s ».", Clip(string(l.Statut)))
	}
	return nil
}

// LieuxOf returns the lieux a UO lists (EG FINESS for the EG's own
// address), or the EG's address alone when it lists none: the derived
// default.
func (u *UO) LieuxOf() []string {
	if len(u.Lieux) == 0 {
		return []string{u.EG}
	}
	return u.Lieux
}

// BedsAt is the lieu where the UO's beds are, as the capacitaire shows
// them: its first lieu (the EG's FINESS for its own address).
func (u *UO) BedsAt() string {
	if len(u.Lieux) == 0 {
		return u.EG
	}
	return u.Lieux[0]
}

// LieuRef names in an answer the lieu a unit was measured from.
type LieuRef struct {
	ID         string     `json:"id"` // the EG's FINESS for its own address
	Name       string     `json:"nom"`
	Address    string     `json:"adresse"`
	Commune    CommuneRef `json:"commune"`
	Point      *Point     `json:"position,omitempty"`
	Fonction   Coded      `json:"fonction"`
	Horaires   string     `json:"horaires,omitempty"`
	Statut     Statut     `json:"statut"`
	Derived    bool       `json:"derive"`                // the EG's own address, derived from FINESS, not declared
	Provenance string     `json:"provenance"`            // as the page says it
	DistanceKm *float64   `json:"distance_km,omitempty"` // from the commune searched, in an answer
	Beds       bool       `json:"lits,omitempty"`        // the unit's beds are here (fiche)
	Version    int        `json:"version,omitempty"`     // of a declared lieu: what a dossier changing it is based on
}

// The provenance labels of a lieu.
const (
	LieuDerivedLabel  = "adresse de l'établissement (FINESS), lieu par défaut dérivé — non déclaré par l'établissement"
	LieuDeclaredLabel = "lieu déclaré par l'établissement (dossier validé)"
)

// checkLieuOp checks a creer_lieu, modifier_lieu or fermer_lieu of d.
func (d *Draft) checkLieuOp(at string, op DraftOp, n *Nomenclature) error {
	if op.Lieu == nil {
		return Errorf(Invalid, at+"/lieu", "L'opération « %s » demande un lieu.", op.Op)
	}
	if op.Lieu.EG != d.EG {
		return Errorf(Invalid, at+"/lieu/finess_eg", "Le lieu doit appartenir à l'établissement %s du brouillon.", d.EG)
	}
	if len(op.UOs) > MaxUOCodesPerSet {
		return Errorf(Invalid, at+"/uos", "%d unités : %d au plus.", len(op.UOs), MaxUOCodesPerSet)
	}
	for j, id := range op.UOs {
		if !ValidUOID(id, d.EG) {
			return Errorf(Invalid, at+"/uos/"+strconv.Itoa(j), "« %s » n'est pas une UO de l'établissement %s.", Clip(id), d.EG)
		}
	}
	if op.Op == OpCloseLieu {
		if !ValidLieuID(op.Lieu.ID, d.EG) {
			return Errorf(Invalid, at+"/lieu/id", "L'identifiant du lieu « %s » est mal formé (%s-L1).", Clip(op.Lieu.ID), d.EG)
		}
		return nil
	}
	if op.Op == OpCreateLieu && len(op.UOs) == 0 {
		return Errorf(Invalid, at+"/uos", "Un nouveau lieu demande au moins une unité qui y réalise son offre.")
	}
	if err := op.Lieu.Validate(n); err != nil {
		if e := AsError(err); e != nil {
			return e.Under(at + "/lieu/")
		}
		return err
	}
	return nil
}

// checkUOLieux checks the shape of the lieux a UO lists: its EG's FINESS or
// one of its lieu ids, each once. That they exist is the publication's check.
func checkUOLieux(at string, u *UO) error {
	if len(u.Lieux) > MaxUOCodesPerSet {
		return Errorf(Invalid, at+"/uo/lieux", "%d lieux : %d au plus.", len(u.Lieux), MaxUOCodesPerSet)
	}
	seen := map[string]bool{}
	for j, id := range u.Lieux {
		if id != u.EG && !ValidLieuID(id, u.EG) || seen[id] {
			return Errorf(Invalid, at+"/uo/lieux/"+strconv.Itoa(j), "« %s » n'est pas un lieu de l'établissement %s, ou figure deux fois.", Clip(id), u.EG)
		}
		seen[id] = true
	}
	return nil
}

// franceBoxes bound metropolitan France with Corse, the Antilles (Saint-
// Martin and Saint-Barthélemy too), Guyane, La Réunion, Mayotte and
// Saint-Pierre-et-Miquelon: a lieu outside them is a swapped or mistyped
// position (lat,lon for lon,lat; a zero).
var franceBoxes = [][4]float64{ // lon min, lat min, lon max, lat max
	{-5.5, 41.2, 10, 51.2}, {-63.2, 14.3, -60.8, 18.2}, {-54.7, 2, -51.5, 6},
	{55.1, -21.5, 56, -20.8}, {44.9, -13.1, 45.4, -12.5}, {-56.5, 46.7, -56, 47.2},
}

func inFrance(p Point) bool {
	for _, b := range franceBoxes {
		if p.Lon >= b[0] && p.Lat >= b[1] && p.Lon <= b[2] && p.Lat <= b[3] {
			return true
		}
	}
	return false
}
