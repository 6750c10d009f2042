package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

const nosR330 = "https://mos.esante.gouv.fr/NOS/TRE_R330-TypeStatutCapacite/FHIR/TRE-R330-TypeStatutCapacite"

// « An available bed in an emergency unit near X »: the guide's capacity
// criteria (location:capacity-status, location:nb-capacity, …) answer only
// the units whose capacitaire says so, the same set as a brute force over
// the store (Badger).
func TestFHIRCapacityCriteria(t *testing.T) {
	app := sharedApp(t)
	offres, offer := storeOffres(t, app)
	// the emergency activités of the nomenclature
	urg := map[string]bool{}
	for _, c := range offer.Nomenclature.Concepts(ror.VSActivite) {
		if strings.Contains(ror.Fold(c.Label), "urgence") {
			urg[c.Key] = true
		}
	}
	act := mostCommon(offres, func(o offre) []string { return []string{o.act} },
		func(o offre) bool { return urg[o.act] && o.eg.Point.Valid() })
	if act == "" {
		t.Fatal("no emergency offre in the real data")
	}
	// X: the EG of one such offre; beds written to the emergency units near
	// it, some available, some full, through the API (as a bed manager would)
	admin, err := app.db.Accounts().CreateAccount(context.Background(), ror.Account{Name: "Admin FHIR", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	var x ror.Point
	written := 0
	for _, o := range offres {
		if o.act != act || !o.eg.Point.Valid() || x.Valid() && geo.DistanceKm(x, o.eg.Point) > 60 {
			continue
		}
		if !x.Valid() {
			x = o.eg.Point
		}
		body := fmt.Sprintf(`{"lits_installes":%d,"lits_disponibles":%d}`, 10+written, written%2*(1+written))
		if code, b := send(t, app, "PUT", "/api/v1/uo/"+o.uo.ID+"/capacitaire", admin, "application/json", body); code != 200 {
			t.Fatalf("PUT capacitaire of %s: %d %s", o.uo.ID, code, b)
		}
		if written++; written == 8 {
			break
		}
	}
	offres, _ = storeOffres(t, app) // the store after the writes
	near := fmt.Sprintf("%.4f|%.4f|60|km", x.Lat, x.Lon)
	within := func(o offre) bool { return o.eg.Point.Valid() && geo.DistanceKm(x, o.eg.Point) <= 60 }
	avail := func(o offre) bool { return o.uo.Capacite.Known && o.uo.Capacite.Disponibles > 0 }
	for _, sc := range []struct {
		name, query string
		want        func(o offre) bool
	}{
		// the guide's request, with its space before the system, and a place
		{"lit disponible aux urgences près de X", "specialty=" + nosR211 + "|" + act + "&location:capacity-status= " + nosR330 + "|02&location:nb-capacity=gt0&location:near=" + near,
			func(o offre) bool { return o.act == act && avail(o) && within(o) }},
		// status alone: every unit with a capacitaire entry « disponible », even at 0
		{"statut disponible", "specialty=" + nosR211 + "|" + act + "&location.capacity-status=02",
			func(o offre) bool {
				c := o.uo.Capacite
				return o.act == act && c.Known && (c.Installes > 0 || c.Disponibles > 0 || c.Fermes > 0 || c.Supplementaires > 0)
			}},
		// at least 5 beds installed
		{"au moins 5 lits installés", "specialty=" + nosR211 + "|" + act + "&location.capacity-status=01&location.nb-capacity=ge5&location.capacity-type=01",
			func(o offre) bool { return o.act == act && o.uo.Capacite.Known && o.uo.Capacite.Installes >= 5 }},
		// places, not beds: nature 02
		{"places", "location.capacity-type=02&location.nb-capacity=gt0&location.temporality-capacity=01",
			func(o offre) bool {
				return o.uo.Capacite.Known && o.uo.Capacite.Places > 0
			}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			want := map[string]bool{}
			for _, o := range offres {
				if sc.want(o) {
					want[o.id] = true
				}
			}
			if len(want) == 0 && sc.name != "places" {
				t.Fatal("no offre in the store satisfies the scenario")
			}
			// Places: no write enters them (the feeds carry beds) and the
			// SAE's are undated counts, no capacitaire: none must come back.
			got := map[string]bool{}
			path := "/fhir/HealthcareService?" + sc.query + "&_count=200"
			for path != "" {
				b := checkBundle(t, app, path, "HealthcareService")
				if *b.total != len(want) {
					t.Fatalf("%s: total %d, the store has %d", path, *b.total, len(want))
				}
				for _, id := range b.matches {
					if !want[id] {
						t.Errorf("HealthcareService/%s: its capacitaire does not satisfy the criteria", id)
					}
					got[id] = true
				}
				path = b.next
			}
			if len(got) != len(want) {
				t.Errorf("%d offres read over the pages, want %d", len(got), len(want))
			}
		})
	}
	// the Location side: a capacity search on the places themselves
	status, body := fhirGet(t, app, "/fhir/Location?capacity-status=02&nb-capacity=gt0&near="+near+"&_summary=count")
	var b struct{ Total int }
	_ = json.Unmarshal(body, &b)
	n := 0
	for _, o := range offres {
		if o.first && avail(o) && within(o) {
			n++
		}
	}
	if status != 200 || b.Total != n {
		t.Errorf("Location?capacity-status=02&nb-capacity=gt0&near: %d, total %d, the store has %d", status, b.Total, n)
	}
}

// Every guide parameter the service does not serve is refused, naming it,
// and absent from the CapabilityStatement; Prefer: handling=lenient ignores
// it with a warning.
func TestFHIRUnsupportedGuideParameters(t *testing.T) {
	app := sharedApp(t)
	_, body := fhirGet(t, app, "/fhir/metadata")
	var cs struct {
		Rest []struct {
			Resource []struct {
				Type        string
				SearchParam []struct{ Name string }
			}
		}
	}
	if err := json.Unmarshal(body, &cs); err != nil {
		t.Fatal(err)
	}
	declared := map[string]bool{}
	for _, r := range cs.Rest[0].Resource {
		for _, p := range r.SearchParam {
			declared[r.Type+"?"+p.Name] = true
		}
	}
	for _, q := range []string{
		"Location?gender-capacity-available=01", "Location?crisis-type=01", "Location?_tag=11",
		"Location?additional-bed-type=01", "Location?temporary-assignement=01", "Location?residential-type=01",
		"HealthcareService?psychiatric-sector=75G01", "HealthcareService?_tag=11", "HealthcareService?_content=urgence",
		"HealthcareService?_has:PractitionerRole:service:role=1", "HealthcareService?_has:Task:focus:status=ready",
		"Organization?price-type=01", "Organization?special-price=true", "Organization?drop-zone=75056",
		"HealthcareService?location.crisis-type=01",
	} {
		name := strings.SplitN(strings.SplitN(q, "?", 2)[1], "=", 2)[0]
		status, body := fhirGet(t, app, "/fhir/"+q)
		var oo fhirRes
		_ = json.Unmarshal(body, &oo)
		if status != 400 || oo.ResourceType != "OperationOutcome" || len(oo.Issue) == 0 || oo.Issue[0].Code != "not-supported" ||
			!slices.Contains(oo.Issue[0].Expression, name) {
			t.Errorf("%s: %d %s, want 400 not-supported naming %s", q, status, body, name)
		}
		if declared[strings.SplitN(q, "=", 2)[0]] {
			t.Errorf("%s is refused but declared in the CapabilityStatement", name)
		}
		status, body = fhirGet(t, app, "/fhir/"+q+"&_summary=count", "Prefer", "handling=lenient")
		if status != 200 || !strings.Contains(string(body), "not-supported") {
			t.Errorf("%s with Prefer: handling=lenient: %d %s, want 200 with a warning", q, status, body)
		}
	}
}
