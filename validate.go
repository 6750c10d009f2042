package ror

import "regexp"

var finessRE = regexp.MustCompile(`^[0-9][0-9AB][0-9]{7}$`)

// ValidFINESS reports whether s has the shape of a FINESS number: nine
// characters, the 2nd may be A or B (Corsica, 2A / 2B).
func ValidFINESS(s string) bool { return finessRE.MatchString(s) }

// Validate checks every coded field of u against the nomenclature. The
// error is Invalid, with Field naming the JSON field and the message the
// unknown code.
func (u *UO) Validate(n *Nomenclature) error {
	if u.ID == "" {
		return Errorf(Invalid, "id", "L'identifiant de l'UO est vide.")
	}
	if !ValidFINESS(u.EG) {
		return Errorf(Invalid, "finess_eg", "Le FINESS « %s » de l'EG est mal formé.", Clip(u.EG))
	}
	if !ValidUOID(u.ID, u.EG) {
		return Errorf(Invalid, "id", "L'identifiant « %s » doit être le FINESS de l'EG, un tiret et un code de 1 à 16 lettres majuscules ou chiffres (%s-REA).", Clip(u.ID), u.EG)
	}
	single := []struct {
		field string
		vs    ValueSet
		key   string
	}{
		{"type_uo", VSTypeUO, u.TypeUO},
		{"champ_activite", VSChampActivite, u.ChampActivite},
	}
	for _, s := range single {
		if !n.Has(s.vs, s.key) {
			return Errorf(Invalid, s.field, "Le code « %s » n'existe pas dans %s.", Clip(s.key), s.vs)
		}
	}
	lists := []struct {
		field string
		vs    ValueSet
		keys  []string
	}{
		{"activites", VSActivite, u.Activites},
		{"actes", VSActe, u.Actes},
		{"equipements", VSEquipement, u.Equipements},
		{"modes", VSMode, u.Modes},
		{"professions", VSProfession, u.Professions},
		{"expertises", VSExpertise, u.Expertises},
		{"publics", VSPublic, u.Publics},
	}
	for _, l := range lists {
		for _, k := range l.keys {
			if !n.Has(l.vs, k) {
				return Errorf(Invalid, l.field, "Le code « %s » n'existe pas dans %s.", Clip(k), l.vs)
			}
		}
	}
	switch u.Statut {
	case StatutActif, StatutFermeTemporair, StatutFerme:
	default:
		return Errorf(Invalid, "statut", "Le statut « %s » n'existe pas.", Clip(string(u.Statut)))
	}
	c := u.Capacite
	if c.Installes < 0 || c.Fermes < 0 || c.Indetermines < 0 || c.Supplementaires < 0 || c.Disponibles < 0 || c.Places < 0 {
		return Errorf(Invalid, "capacite", "Un nombre de lits est négatif.")
	}
	return nil
}
