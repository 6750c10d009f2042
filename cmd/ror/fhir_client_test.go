package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

// A real FHIR client from npm (fhir-kit-client) searches, pages and reads
// through the API, and every resource it receives is validated against
// FHIR R4 by the fhir package (api/fhir/js/check.mjs). `make test` installs
// both (npm ci) and sets ROR_REQUIRE_NODE, so CI cannot skip this.
func TestFHIRClientAndValidator(t *testing.T) {
	dir, _ := filepath.Abs("../../api/fhir/js")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(dir, "node_modules", "fhir-kit-client")); err != nil || statErr != nil {
		if os.Getenv("ROR_REQUIRE_NODE") != "" {
			t.Fatalf("node or api/fhir/js/node_modules missing (make node-deps): %v %v", err, statErr)
		}
		t.Skip("node or api/fhir/js/node_modules missing: make node-deps")
	}
	app := sharedApp(t)
	offres, _ := storeOffres(t, app)
	// The capacity search below looks in Ille-et-Vilaine, where the real
	// data have no figure until a bed manager writes one: one unit gets its beds.
	admin, err := app.db.Accounts().CreateAccount(context.Background(), ror.Account{Name: "Gestionnaire client FHIR", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range offres {
		if strings.HasPrefix(o.eg.PostalCode, "35") {
			if code, b := send(t, app, "PUT", "/api/v1/uo/"+o.uo.ID+"/capacitaire", admin, "application/json", `{"lits_installes":8,"lits_disponibles":2}`); code != 200 {
				t.Fatalf("writing the beds of %s: %d %s", o.uo.ID, code, b)
			}
			break
		}
	}
	guide := map[string]string{"_include": "HealthcareService:organization", "_include:iterate": "Organization:partof"}
	with := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range guide {
			out[k] = v
		}
		for k, v := range m {
			out[k] = v
		}
		return out
	}
	type search struct {
		ResourceType string            `json:"resourceType"`
		SearchParams map[string]string `json:"searchParams"`
	}
	searches := []search{
		{"HealthcareService", with(map[string]string{"specialty": nosR211 + "|157", "location:near": "48.876|2.361|5|km"})},
		{"HealthcareService", with(map[string]string{"specialty": nosR211 + "|157", "_count": "20"})},
		{"HealthcareService", with(map[string]string{"_filter": "(specialty eq " + nosR211 + "|157) and (age-range-low le 35)", "_count": "10"})},
		{"HealthcareService", with(map[string]string{"location.equipment-type": nosR212 + "|225", "_include": "HealthcareService:location", "_count": "30"})},
		{"HealthcareService", with(map[string]string{"location.address-postalcode": "35", "location:capacity-status": "02", "location:nb-capacity": "ge0", "_count": "5"})},
		{"HealthcareService", map[string]string{"intervention-zone": offresZone(offres), "_count": "5"}},
		{"Location", map[string]string{"address-postalcode": "35,22,29,56", "_revinclude": "HealthcareService:location", "_count": "20"}},
		{"Organization", map[string]string{"address-postalcode": "75", "_include": "Organization:partof", "_count": "20"}},
	}
	in, _ := json.Marshal(searches)
	cmd := exec.Command(node, filepath.Join(dir, "check.mjs"), "http://"+app.Addr()+"/fhir")
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(string(in))
	out, err := cmd.Output()
	var report struct {
		Searches []struct {
			ResourceType   string
			Total, Entries int
			Pages          int
		}
		Reads, Validated int
		Invalid          []any
		Error            string
	}
	if jerr := json.Unmarshal(out, &report); jerr != nil {
		t.Fatalf("check.mjs: %v %v: %.1000s", err, jerr, out)
	}
	if err != nil || report.Error != "" || len(report.Invalid) > 0 {
		t.Fatalf("check.mjs: %v %s %v", err, report.Error, report.Invalid)
	}
	if len(report.Searches) != len(searches) || report.Reads != len(searches) {
		t.Fatalf("the client ran %d searches and %d reads, want %d: %+v", len(report.Searches), report.Reads, len(searches), report.Searches)
	}
	paged := false
	for i, s := range report.Searches {
		if s.Total == 0 || s.Entries == 0 {
			t.Errorf("search %d (%s) found nothing: the check proves nothing", i, s.ResourceType)
		}
		paged = paged || s.Pages > 1
	}
	if !paged {
		t.Errorf("no search followed a next link")
	}
	t.Logf("%d resources valid against FHIR R4 over %d searches and %d reads", report.Validated, len(report.Searches), report.Reads)
}

func offresZone(offres []offre) string {
	for _, o := range offres {
		if len(o.uo.Zone) > 0 {
			return o.uo.Zone[0]
		}
	}
	return "75056"
}
