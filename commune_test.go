package ror

import "testing"

func TestCommuneLabel(t *testing.T) {
	tests := []struct {
		c    Commune
		want string
	}{
		// the ROR screen shows arrondissements as "Paris 10 (75010)"
		{Commune{Name: "Paris 10e Arrondissement", PostalCodes: []string{"75010"}}, "Paris 10 (75010)"},
		// "1er" loses its suffix too
		{Commune{Name: "Lyon 1er Arrondissement", PostalCodes: []string{"69001"}}, "Lyon 1 (69001)"},
		// a plain commune keeps its name and its first postal code
		{Commune{Name: "Évry-Courcouronnes", PostalCodes: []string{"91000", "91080"}}, "Évry-Courcouronnes (91000)"},
		// Paris as a whole is not labelled like its 1st arrondissement
		{Commune{INSEE: "75056", Name: "Paris", PostalCodes: []string{"75001", "75002"}}, "Paris"},
		// a commune without postal code (TAAF) shows its name alone
		{Commune{Name: "Îles Kerguelen"}, "Îles Kerguelen"},
	}
	for _, tt := range tests {
		if got := tt.c.Label(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestValidFINESS(t *testing.T) {
	for s, want := range map[string]bool{"750000341": true, "2A0000154": true, "75000034": false, "75000034X": false, "": false} {
		if got := ValidFINESS(s); got != want {
			t.Errorf("ValidFINESS(%q) got %v, want %v", s, got, want)
		}
	}
}
