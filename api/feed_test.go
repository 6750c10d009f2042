package api

import (
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

func TestParseFeedCSV(t *testing.T) {
	in := "uo;lits_installes;lits_fermes;lits_indetermines;lits_supplementaires;lits_disponibles;maj\n" +
		"010000024-REA;12;1;0;0;4;2026-11-22T08:30:00+01:00\n" +
		"010000024-MED;271;;;;abc;\n" +
		"010000024-CHI;68;0;0;0;3;hier\n"
	ups, bad, err := ParseFeedCSV(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(ups) != 1 || ups[0].UO != "010000024-REA" || ups[0].Disponibles != 4 || ups[0].Line != 2 || ups[0].At.IsZero() {
		t.Errorf("got %+v", ups)
	}
	if len(bad) != 2 || bad[0].Line != 3 || bad[0].Field != "lits_disponibles" || bad[1].Field != "maj" {
		t.Errorf("got rejected %+v", bad)
	}
	if _, _, err := ParseFeedCSV(strings.NewReader("uo,lits\nx,1\n")); ror.ErrorKind(err) != ror.Invalid {
		t.Errorf("a header without the bed columns: got %v, want Invalid", err)
	}
}

func FuzzParseFeedCSV(f *testing.F) {
	f.Add("uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles\nA,1,0,0,0,1\n")
	f.Add("uo;lits_installes;lits_fermes;lits_indetermines;lits_supplementaires;lits_disponibles;maj\nA;x;;;;;\n")
	f.Add("\ufeffuo,lits_installes\n\"a,b\",2\n")
	f.Fuzz(func(t *testing.T, in string) {
		ups, bad, err := ParseFeedCSV(strings.NewReader(in))
		if err != nil {
			if ror.ErrorKind(err) != ror.Invalid {
				t.Fatalf("got %v, want Invalid", err)
			}
			return
		}
		for _, u := range ups {
			if u.Line < 2 {
				t.Fatalf("line %d for a data row", u.Line)
			}
		}
		for _, b := range bad {
			if b.Line < 2 || b.Message == "" {
				t.Fatalf("rejected line without number or message: %+v", b)
			}
		}
	})
}
