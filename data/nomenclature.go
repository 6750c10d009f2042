package data

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ror-recherche/ror"
)

// codeSystems names the code system behind each single-system value set
// (nomenclatures/SOURCES.md); the canonical URL follows the NOS pattern.
var codeSystems = map[ror.ValueSet]string{
	"JDV_J16": "TRE_R210-ActeSpecifique", "JDV_J17": "TRE_R211-ActiviteOperationnelle",
	"JDV_J18": "TRE_R212-Equipement", "JDV_J19": "TRE_R213-ModePriseEnCharge",
	"JDV_J20": "TRE_R227-ChampActivite", "JDV_J29": "TRE_R239-PublicPrisEnCharge",
	"JDV_J30": "TRE_R240-TemporaliteAccueil", "JDV_J33": "TRE_R243-CompetenceSpecifique",
	"JDV_J34": "TRE_R244-CategorieOrganisation", "JDV_J238": "TRE_R244-CategorieOrganisation",
	"JDV_J35": "TRE_R245-SpecialisationDePriseEnCharge", "JDV_J188": "TRE_R330-TypeStatutCapacite",
	"JDV_J189": "TRE_R331-TemporaliteCapacite", "JDV_J190": "TRE_R332-GenreCapacite",
	"JDV_J191": "TRE_R333-TypeFermetureCapacite", "JDV_J192": "TRE_R334-TypeLitSupplementaire",
	"JDV_J193": "TRE_R335-TypeSourceCapacite", "JDV_J194": "TRE_R336-TypeCrise",
	"JDV_J195": "TRE_R337-AffectationTemporaire", "JDV_J198": "TRE_R343-FonctionLieu",
	"JDV_J226": "TRE_R338-ModaliteAccueil",
	"TRE_R211": "TRE_R211-ActiviteOperationnelle", "TRE_R329": "TRE_R329-NatureCapacite",
}

// SystemURL is the canonical FHIR URL of a NOS code system, e.g.
// https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle.
func SystemURL(name string) string {
	return "https://mos.esante.gouv.fr/NOS/" + name + "/FHIR/" + strings.Replace(name, "_", "-", 1)
}

// LoadNomenclature reads every value set and code system file of dir (the
// sources' nomenclatures/ folder). Retired TRE_R211 codes are left out:
// they must not code new data.
func LoadNomenclature(dir string) (*ror.Nomenclature, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	n := ror.NewNomenclature()
	for _, path := range files {
		base := filepath.Base(path)
		parts := strings.SplitN(base, "_", 3)
		if len(parts) < 3 || (parts[0] != "JDV" && parts[0] != "TRE") {
			continue // ASS_A14 is a concept map, not a value set
		}
		if err := loadValueSet(n, path, ror.ValueSet(parts[0]+"_"+parts[1])); err != nil {
			return nil, err
		}
	}
	if n.Len() == 0 {
		return nil, fmt.Errorf("data: aucune nomenclature dans %s", dir)
	}
	return n, nil
}

func loadValueSet(n *ror.Nomenclature, path string, vs ror.ValueSet) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	t, err := newTable(f, filepath.Base(path), ',', "code", "label")
	if err != nil {
		return err
	}
	var cs []ror.Concept
	count := map[string]int{}
	for {
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		code, label := t.get("code"), t.get("label")
		if code == "" || label == "" {
			return t.errorf("code ou libellé vide")
		}
		if t.get("retired") == "true" {
			continue
		}
		system := t.get("system")
		if system == "" {
			name, ok := codeSystems[vs]
			if !ok {
				return t.errorf("système de codes inconnu pour %s", vs)
			}
			system = SystemURL(name)
		}
		cs = append(cs, ror.Concept{Code: code, Label: label, System: system})
		count[code]++
	}
	for _, c := range cs {
		c.Key = c.Code
		if count[c.Code] > 1 { // JDV_J186: the same code in several systems
			short, _, _ := strings.Cut(ror.CodeSystemName(c.System), "-")
			c.Key = short + ":" + c.Code
		}
		n.Add(vs, c)
	}
	return nil
}
