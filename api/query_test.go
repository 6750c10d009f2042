package api

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

func TestParseQuery(t *testing.T) {
	long := strings.Repeat("a", 10_000)
	tests := []struct {
		name  string
		query string
		field string // "" when the query is valid
	}{
		{"a commune and a text is a search", "ou=75110&dans=types-uo&q=urgences", ""},
		{"a code picked from a suggestion is a search", "ou=75010&dans=actes&code=1491", ""},
		{"no commune sorts by relevance", "q=urgences", ""},
		{"an empty query asks for a criterion", "ou=75010", "q"},
		{"a blank text asks for a criterion", "q=%20%20", "q"},
		{"a 10 kB text is refused on q", "q=" + long, "q"},
		{"a 10 kB commune is refused on ou", "q=x&ou=" + long, "ou"},
		{"an unknown category is refused on dans", "q=x&dans=partout", "dans"},
		{"page 0 does not exist", "q=x&page=0", "page"},
		{"page 10000 is past the 200-result cap", "q=x&page=10000", "page"},
		{"a page that is not a number is refused", "q=x&page=deux", "page"},
		{"the last page under the cap exists", "q=x&page=14", ""},
		{"a code with a quote is malformed", "code=1%27%20OR%201", "code"},
		{"an unknown sort is refused", "q=x&tri=alpha", "tri"},
		{"a distance sort needs a commune", "q=x&tri=distance", "tri"},
		{"a malformed filter names its facet", "q=x&activite=%3Cscript%3E", "activite"},
		{"a control character is refused", "q=a%00b", "q"},
		{"invalid UTF-8 is refused", "q=%ff%fe", "q"},
		{"a radius of 0 km is refused", "q=x&ou=75010&rayon=0", "rayon"},
		{"a radius over 1000 km is refused", "q=x&ou=75010&rayon=1001", "rayon"},
		{"a radius needs a commune", "q=x&rayon=10", "rayon"},
		{"a radius with a decimal comma is read", "q=x&ou=75010&rayon=7,5", ""},
		{"a bbox needs four numbers", "q=x&bbox=1,2,3", "bbox"},
		{"a bbox with min over max is refused", "q=x&bbox=3,49,2,48", "bbox"},
		{"a bbox out of WGS84 is refused", "q=x&bbox=2,48,200,49", "bbox"},
		{"a bbox of Paris is read", "q=x&bbox=2.22,48.81,2.47,48.91", ""},
		{"a facet asked complete is read", "q=x&facette_complete=acte,activite", ""},
		{"an unknown facet asked complete is refused", "q=x&facette_complete=couleur", "facette_complete"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			_, err = ParseQuery(v)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			var e *ror.Error
			if !errors.As(err, &e) || e.Kind != ror.Invalid {
				t.Fatalf("got %v, want an Invalid *Error", err)
			}
			if e.Field != tt.field {
				t.Errorf("got field %q, want %q", e.Field, tt.field)
			}
			if len(e.Message) > 400 {
				t.Errorf("message of %d bytes echoes too much input", len(e.Message))
			}
		})
	}
}

func TestParseQueryFilters(t *testing.T) {
	v, _ := url.ParseQuery("q=x&activite=157&activite=158,159&mode=28&explain=1")
	q, err := ParseQuery(v)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(q.Filters[ror.FacetActivite], " "); got != "157 158 159" {
		t.Errorf("got activite %q, want %q", got, "157 158 159")
	}
	if got := strings.Join(q.Filters[ror.FacetMode], " "); got != "28" {
		t.Errorf("got mode %q, want 28", got)
	}
	if !q.Explain {
		t.Error("explain=1 was not read")
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"ou=75110&dans=types-uo&q=urgences", "q=x&page=0", "code=1,2,,3&activite=157", "q=%ff", "tri=distance"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := ParseQuery(v)
		if err != nil {
			if ror.ErrorKind(err) != ror.Invalid {
				t.Fatalf("got kind %v for %q, want Invalid", ror.ErrorKind(err), raw)
			}
			return
		}
		if q.Page < 1 || q.Page > ror.MaxPage {
			t.Fatalf("page %d accepted", q.Page)
		}
		if q.Text == "" && len(q.Codes) == 0 {
			t.Fatal("a query without criterion was accepted")
		}
	})
}

// TestUnknownDepartmentIsAnError: departement=999 names the parameter
// instead of answering nothing.
func TestUnknownDepartmentIsAnError(t *testing.T) {
	for _, tc := range []struct {
		code string
		ok   bool
	}{{"33", true}, {"2A", true}, {"974", true}, {"999", false}, {"20", false}, {"00", false}, {"977", false}, {"96", false}} {
		_, err := ParseFilters(url.Values{"departement": {tc.code}})
		if (err == nil) != tc.ok {
			t.Errorf("departement=%s: got %v, want ok=%v", tc.code, err, tc.ok)
		}
		if e := ror.AsError(err); err != nil && (e == nil || e.Field != "departement") {
			t.Errorf("departement=%s: got %v, want an error naming departement", tc.code, err)
		}
	}
}
