package fhir

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

const r211 = "https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle"
const r244 = "https://mos.esante.gouv.fr/NOS/TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation"

// testCompiler is a compiler over a few real codes and communes, written
// here (the end-to-end tests use the national files).
func testCompiler() *compiler {
	n := ror.NewNomenclature()
	n.Add(ror.VSActivite, ror.Concept{Code: "157", Label: "Urgences polyvalentes hospitalières", System: r211})
	n.Add(ror.VSActivite, ror.Concept{Code: "233", Label: "Réadaptation des affections de l'appareil locomoteur", System: r211})
	n.Add(ror.VSTypeUO, ror.Concept{Code: "102", Label: "Soins Médicaux et de Réadaptation (SMR) locomoteur", System: r244})
	gaz := geo.NewGazetteer([]ror.Commune{
		{INSEE: "75110", Name: "Paris 10e Arrondissement", PostalCodes: []string{"75010"}, Department: "75", Point: ror.Point{Lat: 48.876, Lon: 2.361}},
	}, []ror.Department{{Code: "75", Name: "Paris"}})
	return &compiler{tokens: tokensOf(n), gaz: gaz}
}

func TestFilterPrecedenceAndAges(t *testing.T) {
	c := testCompiler()
	f := "((service-category eq " + r244 + "|102) or (specialty eq " + r211 + "|233)) and (age-range-low le 35 and age-range-high ge 35)"
	p, err := parsePlan("HealthcareService", url.Values{"_filter": {f}}, c, true)
	if err != nil {
		t.Fatal(err)
	}
	smr := &ror.UO{TypeUO: "102", Activites: []string{"157"}, Patientele: ror.Patientele{AgeMin: 18}}
	child := &ror.UO{TypeUO: "102", Activites: []string{"157"}, Patientele: ror.Patientele{AgeMax: 17}}
	other := &ror.UO{TypeUO: "20", Activites: []string{"157", "233"}}
	eg := &ror.EG{}
	for _, c := range []struct {
		uo   *ror.UO
		act  int
		want bool
	}{
		{smr, 0, true}, {child, 0, false}, {other, 0, false}, {other, 1, true},
	} {
		if got := p.matches(&offer{uo: c.uo, eg: eg, act: c.act, mode: noMode}); got != c.want {
			t.Errorf("%+v activité %d: %v, want %v", c.uo, c.act, got, c.want)
		}
	}
	// "a or b and c" is "a or (b and c)"
	p, err = parsePlan("HealthcareService", url.Values{"_filter": {"specialty eq 233 or specialty eq 157 and age-range-low ge 99"}}, c, true)
	if err != nil {
		t.Fatal(err)
	}
	if !p.matches(&offer{uo: other, eg: eg, act: 1, mode: noMode}) || p.matches(&offer{uo: other, eg: eg, act: 0, mode: noMode}) {
		t.Errorf("and does not bind tighter than or")
	}
}

func TestCommaIsOrRepeatIsAnd(t *testing.T) {
	c := testCompiler()
	uo := &ror.UO{TypeUO: "102", Activites: []string{"157"}}
	eg := &ror.EG{}
	or, _ := parsePlan("HealthcareService", url.Values{"specialty": {"157,233"}}, c, true)
	and, _ := parsePlan("HealthcareService", url.Values{"specialty": {"157", "233"}}, c, true)
	if !or.matches(&offer{uo: uo, eg: eg, mode: noMode}) || and.matches(&offer{uo: uo, eg: eg, mode: noMode}) {
		t.Errorf("comma list must be OR and repetition AND")
	}
	if reqs := or.requirements(); len(reqs) != 1 || reqs[0].Facet != ror.FacetActivite || len(reqs[0].AnyOf) != 2 {
		t.Errorf("the index does not narrow on specialty: %+v", reqs)
	}
}

// FuzzPlan: whatever a client sends, parsing answers a plan or a 4xx
// OperationOutcome error, never a panic.
func FuzzPlan(f *testing.F) {
	for _, seed := range [][2]string{
		{"_filter", "((specialty eq " + r211 + "|157) or (service-category eq 102)) and age-range-low le 35"},
		{"location:near", "48.876|2.361|5|km"}, {"location.near-insee-code", "75110|5"},
		{"specialty", r211 + "|157,233"}, {"_lastUpdated", "ge2024-01"}, {"name:contains", "urg"},
		{"_has:HealthcareService:location:specialty", "157"}, {"_include:iterate", "Organization:partof"},
		{"_filter", "(((("}, {"identifier", "https://finess.esante.gouv.fr|750100125"},
	} {
		f.Add(seed[0], seed[1])
	}
	c := testCompiler()
	f.Fuzz(func(t *testing.T, key, val string) {
		for _, typ := range []string{"HealthcareService", "Location", "Organization"} {
			c.near = nil
			p, err := parsePlan(typ, url.Values{key: {val}}, c, strings.HasPrefix(val, "s"))
			if err != nil {
				var fe *fhirError
				if !errors.As(err, &fe) || fe.status < 400 || fe.status >= 500 || fe.msg == "" {
					t.Fatalf("%s?%s=%s: %v is not a 4xx OperationOutcome", typ, key, val, err)
				}
				continue
			}
			uo := &ror.UO{ID: "x", Activites: []string{"157"}, Zone: []string{"75110"}}
			p.matches(&offer{uo: uo, eg: &ror.EG{Commune: "75110"}, act: 0, mode: noMode})
		}
	})
}
