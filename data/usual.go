package data

import (
	_ "embed"
	"strings"
)

//go:embed noms_usuels.csv
var usualCSV string

// UsualFile is the name of the embedded list of usual names, as errors
// name it.
const UsualFile = "data/noms_usuels.csv"

// UsualNames returns the names coordinators type for établissements whose
// FINESS name does not hold them (« Georges-Pompidou », « CHU de
// Bordeaux »), by FINESS number: project data, each row with the source
// that names the établissement so (data/noms_usuels.csv). They are searched,
// never shown as the FINESS name.
func UsualNames() (map[string][]string, error) {
	t, err := newTable(strings.NewReader(usualCSV), UsualFile, ',', "finess", "nom_usuel", "source")
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		if t.get("source") == "" {
			return nil, t.errorf("nom usuel sans source")
		}
		f := t.get("finess")
		out[f] = append(out[f], t.get("nom_usuel"))
	}
}
