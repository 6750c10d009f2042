package data

import (
	"hash/fnv"
	"math"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// DeriveUnits derives the UOs of every EG from its real FINESS category and
// SAE 2020 figures with the embedded rule table (data/RULES.md). Same input,
// same output: the only variation comes from hashes of the UO ids.
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
	return deriveWith(rules, egs, sae, communes, nom, now)
}

func deriveWith(rules []Rule, egs []ror.EG, sae map[string]SAE, communes []ror.Commune, nom *ror.Nomenclature, now time.Time) ([]ror.UO, error) {
	zones := newZoner(communes)
	var out []ror.UO
	for i := range egs {
		eg := &egs[i]
		var row *SAE
		if s, ok := sae[eg.FINESS]; ok {
			row = &s
		}
		obesite := false
		for r := range rules {
			if strings.HasPrefix(rules[r].ID, "CSO") && rules[r].holds(eg, row, false) {
				obesite = true
			}
		}
		for r := range rules {
			ru := &rules[r]
			if !ru.holds(eg, row, obesite) {
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
		Modes: clone(ru.Modes), Expertises: clone(ru.Expertises), Patientele: ru.Patientele,
		Horaires: ru.Horaires, Phone: eg.Phone, Statut: ror.StatutActif, UpdatedAt: now, Version: 1,
	}
	if sae != nil && ru.Places != "" {
		u.Capacite.Places = max(sae.Count(ru.Places), 0)
	}
	if sae != nil && ru.Lits != "" && sae.Count(ru.Lits) > 0 {
		inst := sae.Count(ru.Lits)
		h := hash(u.ID)
		// Derived, not real: no open source gives beds available now. A
		// stable share of the installed beds: 0–5 % closed, 0–15 % free.
		closed := int(float64(inst) * float64(h%6) / 100)
		free := int(math.Round(float64(inst-closed) * float64((h/7)%16) / 100))
		u.Capacite = ror.Capacite{Installes: inst, Fermes: closed, Disponibles: free, Places: u.Capacite.Places,
			Known: true, UpdatedAt: now, UpdatedBy: "import SAE 2020 (dérivé)"}
	}
	return u
}

func clone(s []string) []string {
	if len(s) == 0 {
		return []string{}
	}
	return append([]string(nil), s...)
}

func hash(s string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(s))
	return h.Sum32()
}

// zoner finds the communes around a mobile unit's base.
type zoner struct{ communes []ror.Commune }

func newZoner(c []ror.Commune) zoner { return zoner{c} }

// within returns the INSEE codes of the communes whose centroid lies within
// km of eg (equirectangular distance: exact enough at 30 km); the EG's own
// commune when it has no position.
func (z zoner) within(eg *ror.EG, km float64) []string {
	if !eg.Geolocated() {
		return []string{eg.Commune}
	}
	cos := math.Cos(eg.Point.Lat * math.Pi / 180)
	var out []string
	for _, c := range z.communes {
		if !c.Point.Valid() || c.INSEE == "75056" || c.INSEE == "69123" || c.INSEE == "13055" {
			continue // Paris, Lyon, Marseille are served through their arrondissements
		}
		dx := (c.Point.Lon - eg.Point.Lon) * 111.32 * cos
		dy := (c.Point.Lat - eg.Point.Lat) * 110.57
		if dx*dx+dy*dy <= km*km {
			out = append(out, c.INSEE)
		}
	}
	return out
}
