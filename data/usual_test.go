package data_test

import (
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
)

// Every usual name is an établissement of the sources, matched by a word of
// its own that the FINESS name holds (« pompidou », « pellegrin »): a wrong
// number would give a hospital the name of another.
func TestUsualNamesMatchFINESS(t *testing.T) {
	usual, err := data.UsualNames()
	if err != nil {
		t.Fatal(err)
	}
	if len(usual) == 0 {
		t.Fatal("no usual name")
	}
	o, _ := national(t)
	egs := map[string]ror.EG{}
	for _, eg := range o.EGs {
		egs[eg.FINESS] = eg
	}
	generic := map[string]bool{"hopital": true, "centre": true, "groupe": true, "hospitalier": true, "europeen": true, "bordeaux": true, "saint": true}
	for finess, names := range usual {
		eg, ok := egs[finess]
		if !ok {
			t.Errorf("%s (%v): not in the sources", finess, names)
			continue
		}
		have := " " + ror.Fold(eg.Name+" "+eg.LongName) + " "
		for _, n := range names {
			found := false
			for _, w := range strings.Fields(ror.Fold(n)) {
				found = found || len(w) >= 5 && !generic[w] && strings.Contains(have, " "+w+" ")
			}
			if !found {
				t.Errorf("%s: « %s » shares no word of its own with its FINESS name %q", finess, n, eg.Name)
			}
		}
	}
}
