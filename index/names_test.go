package index_test

import (
	"slices"
	"strings"
	"testing"
)

// TestNamesFoundAsBleveFindsThem checks the names' own posting lists against
// Bleve's query over the same fields, on the real names: whole words,
// words typed in part, several words, stop words, hyphens, apostrophes,
// accents, plurals (stems) and synonyms.
func TestNamesFoundAsBleveFindsThem(t *testing.T) {
	x, cat := realIndex(t)
	texts := []string{"chu", "ehpad", "ssr", "had", "clinique", "centre hospitalier", "centre hosp", "saint", "sainte-anne",
		"l'hopital", "hôpital", "hopitaux", "maternité", "de la", "Notre Dame", "psychiatriques", "réadaptation", "ch", "ce",
		"résidence les", "foyer d'accueil", "soins de suite", "esat", "imp", "centre médico-psychologique", "cmp", "zzz"}
	for i := 0; i < len(cat.EGs); i += len(cat.EGs) / 150 {
		f := strings.Fields(cat.EGs[i].Name)
		texts = append(texts, f[0], f[len(f)-1])
		if len(f) > 1 && len([]rune(f[1])) > 2 {
			texts = append(texts, f[0]+" "+string([]rune(f[1])[:3]))
		}
	}
	found := 0
	for _, text := range texts {
		own, viaBleve := x.NamesBothWays(text)
		if !slices.Equal(own, viaBleve) {
			extra, missing := diff(own, viaBleve), diff(viaBleve, own)
			t.Errorf("%q: %d names, Bleve %d; not in Bleve's %.5v, missing %.5v", text, len(own), len(viaBleve), extra, missing)
		}
		found += len(own)
	}
	if found == 0 {
		t.Fatal("no text found any name")
	}
}

// diff lists what a has and b has not (both sorted).
func diff(a, b []string) []string {
	var out []string
	for _, s := range a {
		if _, ok := slices.BinarySearch(b, s); !ok {
			out = append(out, s)
		}
	}
	return out
}
