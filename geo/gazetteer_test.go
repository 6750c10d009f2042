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
	e, ok := err.(*ror.Error)
	*target = e
	return ok
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
