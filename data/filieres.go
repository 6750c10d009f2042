package data

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/ror-recherche/ror"
)

//go:embed filieres.json
var filieresJSON []byte

// Filieres returns the filières of "Rechercher dans", each code checked
// against the nomenclature (an unknown one names the filière and the code).
func Filieres(nom *ror.Nomenclature) ([]ror.Filiere, error) {
	var fs []ror.Filiere
	if err := json.Unmarshal(filieresJSON, &fs); err != nil {
		return nil, fmt.Errorf("data/filieres.json: %w", err)
	}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.ID == "" || f.Label == "" || seen[f.ID] {
			return nil, fmt.Errorf("data/filieres.json: filière %q sans libellé ou en double", f.ID)
		}
		seen[f.ID] = true
		for vs, codes := range f.Codes {
			for _, c := range codes {
				if !nom.Has(vs, c) {
					return nil, fmt.Errorf("data/filieres.json: filière %s : le code %q n'existe pas dans %s", f.ID, c, vs)
				}
			}
		}
	}
	return fs, nil
}
