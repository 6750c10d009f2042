package main

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

// Every request of the guide's consumer chapters, as the guide writes it
// (api/fhir/testdata/guide-scenarios.json), answers the kind of answer the
// file expects: a searchset with some, none or one match, or a 400
// OperationOutcome naming the parameter this service refuses.
func TestFHIRGuideConsumerScenarios(t *testing.T) {
	app := sharedApp(t)
	// The guide's capacity requests ask for a bed available in a unit of
	// activité 172: the real data have no figure until a bed manager
	// writes one, so one such unit gets its beds, as a write gives them.
	offres, _ := storeOffres(t, app)
	admin, err := app.db.Accounts().CreateAccount(context.Background(), ror.Account{Name: "Gestionnaire guide FHIR", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range offres {
		if o.act == "172" {
			if code, b := send(t, app, "PUT", "/api/v1/uo/"+o.uo.ID+"/capacitaire", admin, "application/json", `{"lits_installes":12,"lits_disponibles":3}`); code != 200 {
				t.Fatalf("writing the beds of %s: %d %s", o.uo.ID, code, b)
			}
			break
		}
	}
	raw, err := os.ReadFile("../../api/fhir/testdata/guide-scenarios.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Scenarios []struct {
			Chapter, Scenario, Request string
			Expect                     struct {
				Status       int
				Kind, Total  string
				Issue, Param string
			}
		}
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	for _, sc := range f.Scenarios {
		t.Run(sc.Chapter+"/"+sc.Scenario, func(t *testing.T) {
			path, query, _ := strings.Cut(sc.Request, "?")
			status, body := fhirGet(t, app, path+"?"+escapeAsTyped(query))
			var r struct {
				ResourceType string
				Type         string
				Total        *int
				Issue        []struct {
					Code       string
					Expression []string
				}
			}
			if err := json.Unmarshal(body, &r); err != nil {
				t.Fatal(err)
			}
			want := sc.Expect
			if status != want.Status {
				t.Fatalf("%d, want %d: %.400s", status, want.Status, body)
			}
			switch want.Kind {
			case "searchset":
				if r.Type != "searchset" || r.Total == nil {
					t.Fatalf("not a searchset: %.300s", body)
				}
				switch n := *r.Total; {
				case want.Total == ">0" && n == 0, want.Total == "0" && n != 0, want.Total == "1" && n != 1:
					t.Errorf("total %d, want %s", n, want.Total)
				}
			case "OperationOutcome":
				if r.ResourceType != "OperationOutcome" || len(r.Issue) == 0 || r.Issue[0].Code != want.Issue ||
					want.Param != "" && !slices.Contains(r.Issue[0].Expression, want.Param) {
					t.Errorf("got %.400s, want an OperationOutcome %s naming %s", body, want.Issue, want.Param)
				}
			}
		})
	}
}

// escapeAsTyped encodes a query string as a browser would send what the
// guide prints: each key and value percent-encoded, spaces kept as %20.
func escapeAsTyped(q string) string {
	var parts []string
	for _, kv := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		parts = append(parts, strings.ReplaceAll(url.QueryEscape(k), "+", "%20")+"="+strings.ReplaceAll(url.QueryEscape(v), "+", "%20"))
	}
	return strings.Join(parts, "&")
}
