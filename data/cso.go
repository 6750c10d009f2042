package data

import (
	_ "embed"
	"strings"

	"github.com/ror-recherche/ror"
)

//go:embed cso.csv
var csoCSV string

// CSOFile is the name of the embedded list of the Centres spécialisés de
// l'obésité, as errors name it.
const CSOFile = "data/cso.csv"

// CSOSite is one établissement of the official list of the Centres
// spécialisés de l'obésité (CSO, niveau 3 de recours), matched to FINESS by
// this project; each row names the page it comes from.
type CSOSite struct {
	Region, CSO, FINESS, Site, Commune string
	Word                               string // a word the FINESS name holds (the match's check)
	Precision                          string // « site nommé », or how the site of a named CHU was chosen
	Source                             string // URL of the page naming it
}

// CSOSites returns the list of data/cso.csv.
func CSOSites() ([]CSOSite, error) {
	t, err := newTable(strings.NewReader(csoCSV), CSOFile, ',', "region", "cso", "finess", "site", "commune", "mot", "precision", "source")
	if err != nil {
		return nil, err
	}
	var out []CSOSite
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		s := CSOSite{Region: t.get("region"), CSO: t.get("cso"), FINESS: t.get("finess"), Site: t.get("site"),
			Commune: t.get("commune"), Word: t.get("mot"), Precision: t.get("precision"), Source: t.get("source")}
		if !ror.ValidFINESS(s.FINESS) || !strings.HasPrefix(s.Source, "https://") {
			return nil, t.errorf("FINESS « %s » ou source « %s » mal formés", s.FINESS, s.Source)
		}
		out = append(out, s)
	}
}
