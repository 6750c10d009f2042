package data_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

// Every sector of FINESS gets the units the rules of data/RULES.md give it,
// with the ROR's codes; what FINESS cannot tell is not claimed.
func TestUnitsOfEverySector(t *testing.T) {
	o, _ := national(t)
	cat := map[string]string{}
	for _, eg := range o.EGs {
		cat[eg.FINESS] = eg.Category
	}
	byCat := map[string][]ror.UO{}
	for _, u := range o.UOs {
		byCat[cat[u.EG]] = append(byCat[cat[u.EG]], u)
		if p := u.Provenance; p.Kind != ror.ProvenanceDerivee || p.Rule == "" || p.Source == "" {
			t.Fatalf("%s has no provenance: %+v", u.ID, p)
		}
		if u.UpdatedAt.Equal(now) {
			t.Fatalf("%s dated at import", u.ID)
		}
	}
	for _, c := range []struct {
		name, cat, typeUO string
		check             func(u ror.UO) bool
	}{
		{"ACT: hébergement or équipe mobile with a zone", "165", "94", func(u ror.UO) bool {
			return slices.Contains(u.Actes, "1080") && (slices.Contains(u.Modes, "46") || slices.Contains(u.Modes, "59") && len(u.Zone) > 0)
		}},
		{"CSAPA: addictologie avec et sans substance, TROD, substitution", "197", "80", func(u ror.UO) bool {
			return !slices.Contains(u.Modes, "32") || slices.Contains(u.Activites, "001") && slices.Contains(u.Activites, "404") &&
				slices.Contains(u.Actes, "0932") && slices.Contains(u.Actes, "0044")
		}},
		{"CAARUD: réduction des risques", "178", "81", func(u ror.UO) bool { return slices.Contains(u.Activites, "450") }},
		{"LHSS", "180", "93", func(u ror.UO) bool { return slices.Contains(u.Publics, "06") }},
		{"LAM", "213", "95", func(u ror.UO) bool { return slices.Contains(u.Modes, "46") }},
		{"EHPAD: hébergement permanent for people aged 60 or more", "500", "21", func(u ror.UO) bool {
			return u.Patientele.AgeMin == 60 && slices.Contains(u.Publics, "01")
		}},
		{"SSIAD: mobile, with a zone", "354", "28", func(u ror.UO) bool { return slices.Contains(u.Modes, "49") && len(u.Zone) > 0 }},
		{"SAAD: mobile, with a zone", "460", "30", func(u ror.UO) bool { return len(u.Zone) > 0 }},
		{"maison de santé", "603", "99", func(u ror.UO) bool { return u.ChampActivite == "05" }},
		{"IME", "183", "48", func(u ror.UO) bool { return u.Patientele.Enfant }},
		{"SESSAD: mobile", "182", "57", func(u ror.UO) bool { return len(u.Zone) > 0 }},
		{"MAS", "255", "40", func(u ror.UO) bool { return u.Patientele.Adulte }},
		{"FAM", "437", "39", func(u ror.UO) bool { return true }},
		{"SMR digestif, nutrition from the SAE SSR mention 55", "109", "106", func(u ror.UO) bool {
			return u.Provenance.Rule == "SMRO" || slices.Contains(u.Activites, "237") && u.Capacite.Source == "SAE 2020" && u.Capacite.Installes+u.Capacite.Places > 0
		}},
		{"ESAT", "246", "43", func(u ror.UO) bool { return slices.Contains(u.Publics, "02") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := 0
			for _, u := range byCat[c.cat] {
				if u.TypeUO == c.typeUO {
					n++
					if !c.check(u) {
						t.Errorf("%s: %+v", u.ID, u)
					}
				}
			}
			if n == 0 {
				t.Errorf("no unit of type %s for FINESS category %s", c.typeUO, c.cat)
			}
		})
	}
	t.Run("SMR units by mention from the SAE SSR bordereau", func(t *testing.T) {
		rules := map[string]int{}
		for _, u := range o.UOs {
			rules[u.Provenance.Rule]++
		}
		for _, r := range []string{"SMRP", "SMRL", "SMRN", "SMRC", "SMRR", "SMRD", "SMRH", "SMRB", "SMRA", "SMRG", "SMRE"} {
			if rules[r] == 0 {
				t.Errorf("no unit from rule %s", r)
			}
		}
		if rules["SMRP"] < 1000 || rules["SMRG"] < 300 {
			t.Errorf("%d SMR polyvalent and %d SMR gériatrie units, want the SAE's (about 1,500 and 650)", rules["SMRP"], rules["SMRG"])
		}
	})
	t.Run("every EHPAD, CSAPA and ACT gets a unit", func(t *testing.T) {
		has := map[string]bool{}
		for _, u := range o.UOs {
			has[u.EG] = true
		}
		for _, eg := range o.EGs {
			if (eg.Category == "500" || eg.Category == "197" || eg.Category == "165") && !has[eg.FINESS] {
				t.Errorf("%s %s (category %s) has no unit", eg.FINESS, eg.Name, eg.Category)
			}
		}
	})
	t.Run("pharmacies and laboratories get none", func(t *testing.T) {
		for _, c := range []string{"620", "611", "132", "300"} {
			if n := len(byCat[c]); n > 0 {
				t.Errorf("category %s got %d units", c, n)
			}
		}
	})
	t.Run("a hébergement temporaire only where FINESS names one", func(t *testing.T) {
		for _, u := range byCat["500"] {
			if u.Name == "Hébergement temporaire" && u.Provenance.Rule != "EHPHT" {
				t.Errorf("%s: temporary from rule %s", u.ID, u.Provenance.Rule)
			}
		}
		names := map[string]string{}
		for _, eg := range o.EGs {
			names[eg.FINESS] = " " + ror.Fold(eg.Name+" "+eg.LongName)
		}
		var essonne []string
		for _, u := range o.UOs {
			if u.Provenance.Rule != "EHPHT" {
				continue
			}
			if !strings.Contains(names[u.EG], " temp") {
				t.Errorf("%s: a hébergement temporaire, yet its name %q does not say so", u.ID, names[u.EG])
			}
			if strings.HasPrefix(u.EG, "91") {
				essonne = append(essonne, u.EG)
			}
		}
		// « EHPA ACCUEIL TEMP ET ACCUEIL DE JOUR », Athis-Mons: the abbreviation is read.
		if !slices.Equal(essonne, []string{"910812593"}) {
			t.Errorf("hébergements temporaires of the Essonne: %v, want [910812593]", essonne)
		}
	})
}
