package index_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/index"
)

func TestCriteria(t *testing.T) {
	x, c := smallIndex(t, index.Options{})
	tests := []struct {
		name string
		q    ror.Query
		want []string
	}{
		// a type d'UO code finds its units and nothing else
		{"a type d'UO code", ror.Query{Dans: ror.DansTypesUO, Codes: []string{"311"}}, []string{"750000001-URP"}},
		// codes of one category are OR-ed
		{"two codes", ror.Query{Dans: ror.DansTypesUO, Codes: []string{"311", "100"}}, []string{"750000001-URP", "930000003-SMR"}},
		// a filière is the union of its codes
		{"a filière", ror.Query{Dans: ror.DansFilieres, Codes: []string{"urgences"}}, []string{"750000001-URG", "750000001-URP", "920000002-URG"}},
		// a name is every unit of the établissement
		{"a name", ror.Query{Dans: ror.DansNoms, Codes: []string{"750000001"}}, []string{"750000001-MAT", "750000001-URG", "750000001-URP"}},
		// in Tout le ROR a code names its category
		{"codes in tout", ror.Query{Dans: ror.DansTout, Codes: []string{"types-uo:290", "noms:930000003"}}, []string{"750000001-MAT", "930000003-SMR"}},
		// an existing code that no unit carries is an empty match
		{"a code nobody carries", ror.Query{Dans: ror.DansTypesUO, Codes: []string{"01"}}, nil},
		// words of the label, the last one as a prefix
		{"a text", ror.Query{Dans: ror.DansTypesUO, Text: "urgences pédia"}, []string{"750000001-URP"}},
		// a synonym group widens the word typed
		{"a synonym", ror.Query{Dans: ror.DansFilieres, Text: "SSR"}, []string{"930000003-SMR"}},
		// text and codes are AND-ed
		{"text and codes", ror.Query{Dans: ror.DansTout, Text: "urgences", Codes: []string{"noms:920000002"}}, []string{"920000002-URG"}},
		// filters: OR within a facet, AND across
		{"filters", ror.Query{Dans: ror.DansTout, Text: "urgences", Filters: ror.Filters{
			ror.FacetPatientele: {ror.PatienteleAdulte, ror.PatienteleEnfant}, ror.FacetDepartement: {"75"}}},
			[]string{"750000001-URG", "750000001-URP"}},
	}
	for _, tt := range tests {
		t.Run(tt.name+" finds its units", func(t *testing.T) {
			if got := ids(t, x, c, tt.q); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCriteriaRefused(t *testing.T) {
	x, _ := smallIndex(t, index.Options{})
	tests := []struct {
		name  string
		q     ror.Query
		field string
		says  string // part of the French message
	}{
		// a type d'UO code that is not in JDV_J238
		{"an unknown code", ror.Query{Dans: ror.DansTypesUO, Codes: []string{"9999"}}, "code", "9999"},
		// a FINESS of no établissement
		{"an unknown FINESS", ror.Query{Dans: ror.DansNoms, Codes: []string{"999999999"}}, "code", "999999999"},
		// Tout le ROR needs the category
		{"a bare code in tout", ror.Query{Dans: ror.DansTout, Codes: []string{"20"}}, "code", "« 20 »"},
		// an unknown category in tout
		{"an unknown category", ror.Query{Dans: ror.DansTout, Codes: []string{"horoscope:20"}}, "code", "horoscope"},
		// a filter value is checked against its facet, named as the parameter
		{"an unknown activité", ror.Query{Text: "urgences", Filters: ror.Filters{ror.FacetActivite: {"999"}}}, "activite", "999"},
		// a statut the ROR does not have
		{"an unknown statut", ror.Query{Text: "urgences", Filters: ror.Filters{ror.FacetStatut: {"ouvert"}}}, "statut", "ouvert"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is Invalid on "+tt.field, func(t *testing.T) {
			_, err := x.Match(context.Background(), &tt.q)
			var e *ror.Error
			if !errors.As(err, &e) || e.Kind != ror.Invalid || e.Field != tt.field || !strings.Contains(e.Message, tt.says) {
				t.Errorf("got %v, want Invalid on %s naming %s", err, tt.field, tt.says)
			}
		})
	}
}

func TestFacetsOfSmallCatalog(t *testing.T) {
	x, _ := smallIndex(t, index.Options{})
	m, err := x.Match(context.Background(), &ror.Query{Dans: ror.DansFilieres, Codes: []string{"urgences"},
		Filters: ror.Filters{ror.FacetDepartement: {"75", "13"}, ror.FacetStatut: {string(ror.StatutActif)}}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[ror.Facet][]ror.FacetValue{}
	for _, fc := range m.Facets {
		got[fc.Facet] = fc.Values
	}
	t.Run("a facet counts without its own filter", func(t *testing.T) {
		want := []ror.FacetValue{{Code: "75", Label: "75", Count: 2, On: true}, {Code: "13", Label: "13", On: true}}
		if !slices.Equal(got[ror.FacetDepartement], want) {
			t.Errorf("got %v, want %v", got[ror.FacetDepartement], want)
		}
	})
	t.Run("the other facets count the whole match", func(t *testing.T) {
		want := []ror.FacetValue{{Code: "adulte", Label: "Adulte", Count: 1}, {Code: "enfant", Label: "Enfant", Count: 1}}
		if !slices.Equal(got[ror.FacetPatientele], want) {
			t.Errorf("got %v, want %v", got[ror.FacetPatientele], want)
		}
	})
	t.Run("values carry the national labels, by count", func(t *testing.T) {
		want := []ror.FacetValue{{Code: "311", Label: "Structure des urgences pédiatriques", Count: 1},
			{Code: "20", Label: "Structure des urgences polyvalentes 24h/24 7j/7", Count: 1}}
		if !slices.Equal(got[ror.FacetTypeUO], want) {
			t.Errorf("got %v, want %v", got[ror.FacetTypeUO], want)
		}
	})
	t.Run("facets come in the panel's order", func(t *testing.T) {
		for i, fc := range m.Facets {
			if fc.Facet != ror.AllFacets[i] {
				t.Errorf("facet %d: got %s, want %s", i, fc.Facet, ror.AllFacets[i])
			}
		}
	})
}
