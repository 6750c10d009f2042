package data

import (
	"embed"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ror-recherche/ror"
)

//go:embed rules/units.csv
var rulesFS embed.FS

// RulesFile is the name of the embedded rule table, as errors name it.
const RulesFile = "data/rules/units.csv"

// Rule derives one UO from an EG when its condition holds (data/RULES.md).
type Rule struct {
	ID          string
	Line        int
	when        []term
	TypeUO      string
	Champ       string
	Activites   []string
	Modes       []string
	Actes       []string
	Equipements []string
	Expertises  []string
	Publics     []string
	Patientele  ror.Patientele
	Name        string
	Lits        string // SAE field giving the installed beds
	Places      string // SAE field giving the places
	Horaires    string
	ZoneKm      float64 // > 0: a mobile unit serving the communes within this radius
}

// term is one condition of a rule: an SAE figure compared to a number, an
// SAE activity flag, a FINESS category, words of the FINESS name, the
// presence of SAE figures, or the derived "obesite" (the EG is a CSO site).
type term struct {
	kind  string // count, flag, cat, nom, sae, nosae, obesite
	field string
	op    string
	n     int
	cats  map[string]bool
	words []string // nom: folded phrases, one of which the folded name holds as whole words
	not   bool
}

// usesCSO reports whether the rule rests on the official CSO list.
func (r *Rule) usesCSO() bool {
	for _, tm := range r.when {
		if tm.kind == "obesite" && !tm.not {
			return true
		}
	}
	return false
}

// usesSAE reports whether the rule rests on SAE figures.
func (r *Rule) usesSAE() bool {
	for _, tm := range r.when {
		if tm.kind == "count" || tm.kind == "flag" || (tm.kind == "sae" && !tm.not) {
			return true
		}
	}
	return r.Lits != "" || r.Places != ""
}

// ReadRules reads a rule table and checks every code against nom: an
// unknown code is an Invalid error naming the file, the line and the code.
func ReadRules(r io.Reader, name string, nom *ror.Nomenclature) ([]Rule, error) {
	t, err := newTable(r, name, ',', "rule", "condition", "type_uo", "champ", "activites", "modes", "actes",
		"equipements", "expertises", "patientele", "nom", "lits", "places", "horaires", "zone_km")
	if err != nil {
		return nil, err
	}
	var rules []Rule
	ids := map[string]bool{}
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return rules, nil
		}
		ru := Rule{ID: t.get("rule"), Line: t.line, TypeUO: t.get("type_uo"), Champ: t.get("champ"),
			Activites: strings.Fields(t.get("activites")), Modes: strings.Fields(t.get("modes")),
			Actes: strings.Fields(t.get("actes")), Equipements: strings.Fields(t.get("equipements")),
			Expertises: strings.Fields(t.get("expertises")), Publics: strings.Fields(t.get("publics")),
			Name: t.get("nom"), Lits: t.get("lits"),
			Places: t.get("places"), Horaires: t.get("horaires")}
		if ru.ID == "" || ru.Name == "" {
			return nil, t.errorf("règle sans identifiant ou sans nom")
		}
		if ids[ru.ID] {
			return nil, t.errorf("règle %s déjà définie (l'identifiant fait celui des UO)", ru.ID)
		}
		ids[ru.ID] = true
		if ru.when, err = parseCondition(t.get("condition")); err != nil {
			return nil, t.errorf("condition « %s » : %v", t.get("condition"), err)
		}
		switch t.get("patientele") {
		case "A":
			ru.Patientele = ror.Patientele{Adulte: true, AgeMin: 18}
		case "E":
			ru.Patientele = ror.Patientele{Enfant: true, AgeMax: 17}
		case "E+A":
			ru.Patientele = ror.Patientele{Enfant: true, Adulte: true}
		case "PA":
			ru.Patientele = ror.Patientele{Adulte: true, AgeMin: 60}
		default:
			return nil, t.errorf("patientèle « %s » : A, E, E+A ou PA", t.get("patientele"))
		}
		if z := t.get("zone_km"); z != "" {
			if ru.ZoneKm, err = strconv.ParseFloat(z, 64); err != nil || ru.ZoneKm <= 0 {
				return nil, t.errorf("zone_km « %s »", z)
			}
		}
		checks := []struct {
			vs   ror.ValueSet
			keys []string
		}{{ror.VSTypeUO, []string{ru.TypeUO}}, {ror.VSChampActivite, []string{ru.Champ}},
			{ror.VSActivite, ru.Activites}, {ror.VSMode, ru.Modes}, {ror.VSActe, ru.Actes},
			{ror.VSEquipement, ru.Equipements}, {ror.VSExpertise, ru.Expertises}, {ror.VSPublic, ru.Publics}}
		for _, c := range checks {
			for _, k := range c.keys {
				if !nom.Has(c.vs, k) {
					return nil, t.errorf("le code « %s » n'existe pas dans %s (règle %s)", k, c.vs, ru.ID)
				}
			}
		}
		rules = append(rules, ru)
	}
}

func parseCondition(s string) ([]term, error) {
	var out []term
	for _, raw := range strings.Split(s, "&") {
		raw = strings.TrimSpace(raw)
		var tm term
		if strings.HasPrefix(raw, "!") {
			tm.not, raw = true, raw[1:]
		}
		switch {
		case raw == "sae" || raw == "nosae" || raw == "obesite":
			tm.kind = raw
		case strings.HasPrefix(raw, "flag:"):
			tm.kind, tm.field = "flag", raw[5:]
		case strings.HasPrefix(raw, "nom:"):
			tm.kind = "nom"
			for _, w := range strings.Split(raw[4:], "|") {
				if f := ror.Fold(w); f != "" {
					tm.words = append(tm.words, " "+f+" ")
				}
			}
			if len(tm.words) == 0 {
				return nil, fmt.Errorf("terme « %s » sans mot", raw)
			}
		case strings.HasPrefix(raw, "cat:"):
			tm.kind, tm.cats = "cat", map[string]bool{}
			for _, c := range strings.Split(raw[4:], "|") {
				tm.cats[c] = true
			}
		default:
			op := ">"
			if strings.Contains(raw, ">=") {
				op = ">="
			}
			field, num, ok := strings.Cut(raw, op)
			n, err := strconv.Atoi(strings.TrimSpace(num))
			if !ok || err != nil {
				return nil, fmt.Errorf("terme « %s » incompris", raw)
			}
			tm.kind, tm.field, tm.op, tm.n = "count", strings.TrimSpace(field), op, n
		}
		out = append(out, tm)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("condition vide")
	}
	return out, nil
}

// holds reports whether every term holds for eg with its SAE row (nil when
// the EG reported none).
// folded is the EG's names as foldedName gives them.
func (r *Rule) holds(eg *ror.EG, sae *SAE, obesite bool, folded string) bool {
	for _, tm := range r.when {
		var ok bool
		switch tm.kind {
		case "nom":
			for _, w := range tm.words {
				if strings.Contains(folded, w) {
					ok = true
					break
				}
			}
		case "sae":
			ok = sae != nil
		case "nosae":
			ok = sae == nil
		case "obesite":
			ok = obesite
		case "flag":
			ok = sae != nil && sae.Flags[tm.field]
		case "cat":
			ok = tm.cats[eg.Category]
		case "count":
			n := -1
			if sae != nil {
				n = sae.Count(tm.field)
			}
			ok = n > tm.n || (tm.op == ">=" && n == tm.n)
		}
		if ok == tm.not {
			return false
		}
	}
	return true
}

// foldedName is what nom: terms read: the EG's name and long name, folded,
// between spaces so that a phrase matches whole words only.
func foldedName(eg *ror.EG) string { return " " + ror.Fold(eg.Name+" "+eg.LongName) + " " }
