package data

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// SourceSAE is the source of the figures taken from the SAE.
const SourceSAE = "SAE 2020"

// DeriveUnits derives the UOs of every EG from its real FINESS category and
// SAE 2020 figures with the embedded rule table (data/RULES.md). Same input,
// same output.
func DeriveUnits(egs []ror.EG, sae map[string]SAE, communes []ror.Commune, nom *ror.Nomenclature, now time.Time) ([]ror.UO, error) {
	f, err := rulesFS.Open("rules/units.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rules, err := ReadRules(f, RulesFile, nom)
	if err != nil {
		return nil, err
	}
	sites, err := CSOSites()
	if err != nil {
		return nil, err
	}
	cso := make(map[string]bool, len(sites))
	for _, s := range sites {
		cso[s.FINESS] = true
	}
	return deriveWith(rules, egs, sae, cso, communes, nom, now)
}

// deriveWith applies rules to egs; cso holds the FINESS of the sites of the
// official CSO list (the "obesite" term).
func deriveWith(rules []Rule, egs []ror.EG, sae map[string]SAE, cso map[string]bool, communes []ror.Commune, nom *ror.Nomenclature, now time.Time) ([]ror.UO, error) {
	zones := newZoner(communes)
	var out []ror.UO
	for i := range egs {
		eg := &egs[i]
		var row *SAE
		if s, ok := sae[eg.FINESS]; ok {
			row = &s
		}
		folded := foldedName(eg)
		obesite := cso[eg.FINESS]
		for r := range rules {
			ru := &rules[r]
			if !ru.holds(eg, row, obesite, folded) {
				continue
			}
			u := ru.unit(eg, row, now)
			if ru.ZoneKm > 0 {
				u.Zone = zones.within(eg, ru.ZoneKm)
			}
			if err := u.Validate(nom); err != nil {
				return nil, &ror.Error{Kind: ror.Invalid, Field: RulesFile, Message: RulesFile + " règle " + ru.ID + " : " + err.Error()}
			}
			out = append(out, u)
		}
	}
	return out, nil
}

// unit builds the UO of rule ru for eg.
func (ru *Rule) unit(eg *ror.EG, sae *SAE, now time.Time) ror.UO {
	u := ror.UO{
		ID: eg.FINESS + "-" + ru.ID, EG: eg.FINESS, Name: ru.Name, TypeUO: ru.TypeUO, ChampActivite: ru.Champ,
		Activites: clone(ru.Activites), Actes: clone(ru.Actes), Equipements: clone(ru.Equipements),
		Modes: clone(ru.Modes), Expertises: clone(ru.Expertises), Publics: clone(ru.Publics), Patientele: ru.Patientele,
		Horaires: ru.Horaires, Phone: eg.Phone, Statut: ror.StatutActif, UpdatedAt: eg.UpdatedAt, Version: 1,
		Provenance: ror.Provenance{Kind: ror.ProvenanceDerivee, Rule: ru.ID, Source: ru.evidence(eg)},
	}
	// Installed beds and places are the SAE 2020 figures, said so; no
	// open source gives beds available or closed now: the disponibilité
	// stays « Saisie non activée » (Known false) until a bed manager or a
	// feed gives a figure.
	if sae != nil && ru.Places != "" && sae.Count(ru.Places) > 0 {
		u.Capacite.Places = sae.Count(ru.Places)
	}
	if sae != nil && ru.Lits != "" && sae.Count(ru.Lits) > 0 {
		u.Capacite.Installes = sae.Count(ru.Lits)
	}
	if u.Capacite.Places > 0 || u.Capacite.Installes > 0 {
		u.Capacite.Source = SourceSAE
	}
	return u
}

// evidence names the public files a unit of ru for eg rests on.
func (ru *Rule) evidence(eg *ror.EG) string {
	src := "FINESS"
	switch eg.Source {
	case FileFINESS2021:
		src = "FINESS 2021-01-08"
	case FileFINESS:
		src = "FINESS 2020-03-06"
	case FileFINESSIDF:
		src = "ARS Île-de-France (vers 2013)"
	default:
		if strings.HasPrefix(eg.Source, "etalab-cs1100507") {
			src = "FINESS (" + eg.Source + ")"
		}
	}
	if ru.usesSAE() {
		src += " + SAE 2020"
	}
	if ru.usesCSO() {
		src += " + liste des CSO (" + CSOFile + ")"
	}
	return src
}

func clone(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	return append([]string(nil), s...)
}

// zoner finds the communes around a mobile unit's base: the communes with
// a position, sorted by latitude, so that a radius reads a band only.
type zoner struct{ communes []ror.Commune }

func newZoner(all []ror.Commune) zoner {
	var c []ror.Commune
	for _, x := range all {
		if x.Point.Valid() && x.INSEE != "75056" && x.INSEE != "69123" && x.INSEE != "13055" {
			c = append(c, x) // Paris, Lyon, Marseille are served through their arrondissements
		}
	}
	sort.SliceStable(c, func(i, j int) bool { return c[i].Point.Lat < c[j].Point.Lat })
	return zoner{c}
}

// within returns the INSEE codes of the communes whose centroid lies within
// km of eg (equirectangular distance: exact enough at 30 km), and always the
// EG's own commune (its only one when the EG has no position).
func (z zoner) within(eg *ror.EG, km float64) []string {
	if !eg.Geolocated() {
		return []string{eg.Commune}
	}
	cos := math.Cos(eg.Point.Lat * math.Pi / 180)
	lo := eg.Point.Lat - km/110.57
	i := sort.Search(len(z.communes), func(i int) bool { return z.communes[i].Point.Lat >= lo })
	var out []string
	for _, c := range z.communes[i:] {
		if c.Point.Lat > eg.Point.Lat+km/110.57 {
			break
		}
		dx := (c.Point.Lon - eg.Point.Lon) * 111.32 * cos
		dy := (c.Point.Lat - eg.Point.Lat) * 110.57
		if dx*dx+dy*dy <= km*km || c.INSEE == eg.Commune {
			out = append(out, c.INSEE)
		}
	}
	if !slices.Contains(out, eg.Commune) {
		out = append(out, eg.Commune) // its own commune, whatever the radius
	}
	sort.Strings(out)
	return out
}
