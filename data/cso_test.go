package data_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
)

// Every site of the official CSO list is matched to its FINESS: the number
// exists, in the commune the list says, under a name that holds the list's
// word; and no CSO level is given to a site the list does not name.
func TestCSOListMatchesFINESS(t *testing.T) {
	sites, err := data.CSOSites()
	if err != nil {
		t.Fatal(err)
	}
	o, _ := national(t)
	egs := map[string]ror.EG{}
	for _, eg := range o.EGs {
		egs[eg.FINESS] = eg
	}
	listed := map[string]bool{}
	for _, s := range sites {
		listed[s.FINESS] = true
		t.Run(s.Site, func(t *testing.T) {
			eg, ok := egs[s.FINESS]
			if !ok {
				t.Fatalf("%s: FINESS %s not in the sources", s.Site, s.FINESS)
			}
			if eg.Commune != s.Commune {
				t.Errorf("%s: FINESS %s is in commune %s, the list says %s", s.Site, s.FINESS, eg.Commune, s.Commune)
			}
			if !strings.Contains(ror.Fold(eg.Name+" "+eg.LongName), ror.Fold(s.Word)) {
				t.Errorf("%s: FINESS %s is named %q, without %q", s.Site, s.FINESS, eg.Name, s.Word)
			}
			if !strings.HasPrefix(s.Source, "https://") || s.Region == "" || s.CSO == "" {
				t.Errorf("%s: no source, region or CSO: %+v", s.Site, s)
			}
		})
	}
	levels := []string{"39", "40", "41", "42"}
	actes := []string{"1489", "1490", "1491", "1492"}
	found := map[string]bool{}
	for _, u := range o.UOs {
		claims := slices.ContainsFunc(u.Expertises, func(c string) bool { return slices.Contains(levels, c) }) ||
			slices.ContainsFunc(u.Actes, func(c string) bool { return slices.Contains(actes, c) })
		if claims && !listed[u.EG] {
			t.Errorf("%s claims a CSO level, its site is not in %s", u.ID, data.CSOFile)
		}
		if claims {
			found[u.EG] = true
			if !strings.Contains(u.Provenance.Source, data.CSOFile) {
				t.Errorf("%s: provenance %q does not name the list", u.ID, u.Provenance.Source)
			}
		}
	}
	for _, s := range sites {
		if egs[s.FINESS].Category != "109" && !found[s.FINESS] {
			t.Errorf("%s (%s) is on the list and has no CSO unit", s.Site, s.FINESS)
		}
	}
}
