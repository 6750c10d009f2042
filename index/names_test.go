package index_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
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

// TestNamesCoordinatorsType: a name is found by the words a coordinator
// types, not only by the FINESS raison sociale: its long name (an older
// source's) and its usual name (data/noms_usuels.csv, each with its
// source), as a match and as a suggestion of the words as typed.
func TestNamesCoordinatorsType(t *testing.T) {
	x, _ := realIndex(t)
	ctx := context.Background()
	for _, tt := range []struct {
		typed string
		want  []string // FINESS numbers, all among the names found
	}{
		{"pompidou", []string{"750803447"}},
		{"georges pompidou", []string{"750803447"}},
		{"hopital europeen georges pompidou", []string{"750803447"}},
		{"hegp", []string{"750803447"}},
		{"lariboisiere", []string{"750100042"}},
		{"hôpital lariboisière", []string{"750100042"}},
		{"chu bordeaux", []string{"330781360", "330781352", "330783648", "330781337", "330802752"}},
		{"chu de bordeaux", []string{"330781360", "330783648"}},
	} {
		got, err := x.Suggest(ctx, tt.typed, ror.DansNoms, 20)
		if err != nil {
			t.Fatal(err)
		}
		var codes []string // before the first typo
		for _, s := range got {
			if s.Approche {
				break
			}
			codes = append(codes, s.Code)
		}
		for _, w := range tt.want {
			if !slices.Contains(codes, w) {
				t.Errorf("%q suggests %v as typed, not %s", tt.typed, codes, w)
			}
		}
		own, viaBleve := x.NamesBothWays(tt.typed)
		if !slices.Equal(own, viaBleve) {
			t.Errorf("%q: the names' own lists find %d, Bleve %d", tt.typed, len(own), len(viaBleve))
		}
	}
}
