package geo_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/internal/sources"
)

var (
	gazOnce sync.Once
	gaz     *geo.Gazetteer
	allCom  []ror.Commune
)

// gazetteer loads the real communes once for the package's tests.
func gazetteer(tb testing.TB) *geo.Gazetteer {
	tb.Helper()
	dir := sources.Dir(tb)
	gazOnce.Do(func() {
		f, err := os.Open(filepath.Join(dir, "communes.csv"))
		if err != nil {
			tb.Fatal(err)
		}
		defer f.Close()
		if allCom, err = data.ReadCommunes(f); err != nil {
			tb.Fatal(err)
		}
		gaz = geo.NewGazetteer(allCom, []ror.Department{{Code: "75", Name: "Paris"}})
	})
	return gaz
}

func TestResolve(t *testing.T) {
	g := gazetteer(t)
	tests := []struct {
		text, want string // want: INSEE code, "" when the text must be refused
	}{
		{"75110", "75110"},                    // an INSEE code
		{"75010", "75110"},                    // Paris 10e's postal code goes to the arrondissement, not to Paris
		{"Paris 10 (75010)", "75110"},         // the label the service shows itself
		{"paris 10", "75110"},                 // an arrondissement typed short
		{"Paris 10e Arrondissement", "75110"}, // its COG name
		{"lyon 3", "69383"},                   // Lyon's arrondissements too
		{"marseille 13", "13213"},             // and Marseille's
		{"Évry-Courcouronnes", "91228"},       // accents and hyphen
		{"EVRY COURCOURONNES", "91228"},       // neither
		{"st-etienne", "42218"},               // "st" for "saint"
		{"SAINT ETIENNE", "42218"},            // spelt out
		{"Saint-Denis (93200)", "93066"},      // a shared name made one by its postal code
		{"nice 06000", "06088"},               // a name and its postal code as typed
		{"06000 Nice", "06088"},               // the other way round
		{"Nice (06000)", "06088"},             // the service's label
		{"saint-denis 93200", "93066"},        // a shared name made one by its postal code, typed
		{"2A004", "2A004"},                    // Ajaccio's INSEE code (Corsica: a letter)
		{"2a004", "2A004"},                    // in lower case
		{"Y", "80829"},                        // a one-letter commune of the Somme
		{"Paris", "75056"},                    // Paris as a whole
		{"Paris (75001)", "75056"},            // the label Paris once had (links kept) is still Paris
		{"(75001)", "75101"},                  // the postal code alone is the arrondissement's
		{"Saint-Denis", ""},                   // a name shared by several communes is ambiguous
		{"01400", ""},                         // a postal code shared by several communes too
		{"Pariss", ""},                        // unknown
		{"", ""},                              // empty
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			c, err := g.Resolve(tt.text)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("got %s (%s), want an error", c.Label(), c.INSEE)
				}
				var e *ror.Error
				if ror.ErrorKind(err) != ror.Invalid || !asError(err, &e) || e.Field != "ou" {
					t.Errorf("got %v, want Invalid on ou", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want %s", err, tt.want)
			}
			if c.INSEE != tt.want {
				t.Errorf("got %s (%s), want %s", c.INSEE, c.Label(), tt.want)
			}
		})
	}
}

func asError(err error, target **ror.Error) bool {
	*target = ror.AsError(err)
	return *target != nil
}

func TestAmbiguousNamesTheCandidates(t *testing.T) {
	_, err := gazetteer(t).Resolve("01400")
	if err == nil || !strings.Contains(err.Error(), "(01400)") {
		t.Errorf("got %v, want the communes of 01400 named", err)
	}
}

func TestSuggest(t *testing.T) {
	g := gazetteer(t)
	tests := []struct {
		text, first string
	}{
		{"evry", "Évry-Courcouronnes (91000)"}, // the big Évry before the village of the Yonne
		{"paris 10", "Paris 10 (75010)"},
		{"75010", "Paris 10 (75010)"},
		{"courcou", "Évry-Courcouronnes (91000)"}, // any word of the name
		{"bordeau", "Bordeaux (33000)"},
		{"2A004", "Ajaccio (20000)"},     // Corsica's INSEE codes have a letter
		{"2a004", "Ajaccio (20000)"},     // typed in lower case
		{"Y", "Y (80190)"},               // one letter: the commune of that name, not Yerres
		{"nice 06000", "Nice (06000)"},   // a name and its postal code
		{"Nice (06000)", "Nice (06000)"}, // the label the service shows
		{"Paris 10 (75010)", "Paris 10 (75010)"},
		{"paris", "Paris"}, // the city, not labelled like its 1st arrondissement
	}
	for _, tt := range tests {
		got := g.Suggest(tt.text, 10)
		if len(got) == 0 || got[0].Label() != tt.first {
			var labels []string
			for _, c := range got {
				labels = append(labels, c.Label())
			}
			t.Errorf("Suggest(%q) got %v, want %q first", tt.text, labels, tt.first)
		}
	}
	t.Run("every label suggested resolves to its commune", func(t *testing.T) {
		for _, typed := range []string{"paris", "nice", "lyon", "ajac", "y", "saint-denis"} {
			for _, c := range g.Suggest(typed, 10) {
				got, err := g.Resolve(c.Label())
				if err != nil || got.INSEE != c.INSEE {
					t.Errorf("%q suggests %s (%s), which resolves to %s, %v", typed, c.Label(), c.INSEE, got.INSEE, err)
				}
			}
		}
	})
	t.Run("a postal code prefix lists the Paris arrondissements, not Paris", func(t *testing.T) {
		for _, c := range g.Suggest("7501", 20) {
			if !strings.HasPrefix(c.Name, "Paris ") || c.INSEE == "75056" {
				t.Errorf("got %s for 7501", c.Label())
			}
		}
	})
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Évry-Courcouronnes", "ST DENIS", "L'Haÿ-les-Roses", "  ", "Œuvre"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := geo.Normalize(s)
		if geo.Normalize(n) != n {
			t.Fatalf("Normalize is not idempotent on %q: %q then %q", s, n, geo.Normalize(n))
		}
	})
}

func BenchmarkSuggest(b *testing.B) {
	g := gazetteer(b)
	b.ReportAllocs()
	for b.Loop() {
		g.Suggest("saint", 10)
	}
}

func BenchmarkResolve(b *testing.B) {
	g := gazetteer(b)
	b.ReportAllocs()
	for b.Loop() {
		g.Resolve("Paris 10 (75010)")
	}
}
