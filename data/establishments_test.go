package data_test

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/internal/sources"
)

var (
	importOnce sync.Once
	imported   *ror.Offer
	importRep  *data.Report
	importErr  error
)

// national imports the real data once for the package's tests that only
// read it (an import under the race detector costs tens of seconds).
func national(t *testing.T) (*ror.Offer, *data.Report) {
	t.Helper()
	dir := sources.Dir(t)
	importOnce.Do(func() {
		imported, importRep, importErr = data.ImportWith(context.Background(), dir, now, data.Options{})
	})
	if importErr != nil {
		t.Fatal(importErr)
	}
	return imported, importRep
}

// The national base is FINESS 2021; the older files only complete it.
func TestNationalBase(t *testing.T) {
	o, rep := national(t)
	egs := map[string]ror.EG{}
	cats := map[string]int{}
	for _, eg := range o.EGs {
		egs[eg.FINESS] = eg
		cats[eg.Category]++
	}
	t.Run("every sector of FINESS is there", func(t *testing.T) {
		for cat, atLeast := range map[string]int{"500": 7000, "165": 150, "197": 400, "178": 100, "354": 1500, "124": 2000, "603": 1500, "156": 1500, "183": 1000, "246": 1000} {
			if cats[cat] < atLeast {
				t.Errorf("category %s: %d établissements, want at least %d", cat, cats[cat], atLeast)
			}
		}
	})
	t.Run("an older file never moves a 2021 établissement", func(t *testing.T) {
		// The 2020 file puts these in another département (SOURCES.md).
		for finess, dep := range map[string]string{"340000033": "34", "680004546": "68", "930000328": "93", "750100018": "75"} {
			eg := egs[finess]
			if eg.Department != dep || eg.Source != data.FileFINESS2021 {
				t.Errorf("%s %s: département %s from %s, want %s from FINESS 2021", finess, eg.Name, eg.Department, eg.Source, dep)
			}
		}
	})
	t.Run("an older file completes a name the base lacks", func(t *testing.T) {
		hegp := egs["750803447"]
		if !strings.Contains(hegp.LongName, "GEORGES POMPIDOU") || hegp.Commune != "75115" {
			t.Errorf("HEGP: long name %q, commune %s; want Georges Pompidou's usual name, Paris 15e", hegp.LongName, hegp.Commune)
		}
	})
	t.Run("a 2013 record absent in 2021 is dropped unless its row was skipped", func(t *testing.T) {
		kept := 0
		for _, eg := range o.EGs {
			if eg.Source != data.FileFINESS2021 {
				kept++
				if eg.SourceDate == "" {
					t.Errorf("%s %s kept from %s without its date", eg.FINESS, eg.Name, eg.Source)
				}
			}
		}
		if kept == 0 || kept > 9 {
			t.Errorf("%d records kept from older files, want the few rows the 2021 conversion skipped (at most 9)", kept)
		}
		lines := strings.Join(rep.Lines(), "\\n")
		for _, f := range []string{data.FileFINESS2021, data.FileFINESSIDF, data.FileFINESS, data.FileSAE, "écarté", "absents de"} {
			if !strings.Contains(lines, f) {
				t.Errorf("import report does not name %q:\\n%s", f, lines)
			}
		}
	})
	t.Run("dates are FINESS's own, an unknown one absent", func(t *testing.T) {
		for _, eg := range o.EGs {
			if eg.UpdatedAt.Equal(now) || (!eg.UpdatedAt.IsZero() && eg.UpdatedAt.Year() < 1900) {
				t.Fatalf("%s dated %v", eg.FINESS, eg.UpdatedAt)
			}
		}
		if d := egs["010000024"].UpdatedAt.Format("2006-01-02"); d != "2020-02-04" {
			t.Errorf("CH de Fleyriat updated %s, want FINESS datemaj 2020-02-04", d)
		}
		b, _ := json.Marshal(ror.EG{FINESS: "750000341"})
		if strings.Contains(string(b), "0001-01-01") || strings.Contains(string(b), `"maj"`) {
			t.Errorf("an EG without a date shows %s", b)
		}
	})
	t.Run("an EJ is named by its number, not after a site", func(t *testing.T) {
		for _, ej := range o.EJs {
			if ej.Name != "Entité juridique "+ej.FINESS {
				t.Fatalf("EJ %s named %q", ej.FINESS, ej.Name)
			}
		}
	})
	t.Run("a département slice", func(t *testing.T) {
		s, _, err := data.ImportWith(context.Background(), sources.Dir(t), now, data.Options{Departments: []string{"91"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.EGs) < 1000 || len(s.EGs) != cats91(o.EGs) {
			t.Errorf("Essonne slice: %d EGs", len(s.EGs))
		}
	})
}

func cats91(egs []ror.EG) int {
	n := 0
	for _, eg := range egs {
		if eg.Department == "91" {
			n++
		}
	}
	return n
}
