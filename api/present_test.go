package api

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

// The availability column and the summary line read as on the ROR screen.
func TestPresentationWording(t *testing.T) {
	two, one := 2, 1
	for _, c := range []struct {
		lits *int
		want string
	}{
		{nil, "Saisie non activée"}, // no figure sent yet
		{&one, "1 lit disponible"},  // singular
		{&two, "2 lits disponibles"},
	} {
		r := ror.UOResult{LitsDispo: c.lits}
		presentUOResult(&r)
		if r.Disponibilite != c.want {
			t.Errorf("lits %v: got %q, want %q", c.lits, r.Disponibilite, c.want)
		}
	}
	paris10 := &ror.Commune{INSEE: "75110", Name: "Paris 10e Arrondissement"}
	got := summaryText(ror.Summary{Etablissements: 3, UO: 4, TookMs: 1.9}, paris10)
	if want := "3 établissement(s), 4 UO en 1 ms. Distances calculées à partir de " + paris10.ShortName(); got != want {
		t.Errorf("summary: got %q, want %q", got, want)
	}
}

// TestFicheWithoutUnitsListsNone: "uo": [] on a fiche without units, not
// null.
func TestFicheWithoutUnitsListsNone(t *testing.T) {
	b, err := json.Marshal(presentFiche(&ror.Fiche{FINESS: "010000024"}))
	if err != nil || !strings.Contains(string(b), `"uo":[]`) {
		t.Errorf("got %s (%v), want \"uo\":[]", b, err)
	}
}
