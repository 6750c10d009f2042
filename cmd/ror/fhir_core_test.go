package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// R4 core as a client relies on it: POST _search, _elements, _summary,
// versionId + ETag + If-None-Match, dates as the guide writes them, :not,
// _sort=-_lastUpdated on Organization, the CapabilityStatement's guide.
func TestFHIRCore(t *testing.T) {
	app := sharedApp(t)
	base := "http://" + app.Addr() + "/fhir"
	total := func(body []byte) int {
		var b struct{ Total int }
		_ = json.Unmarshal(body, &b)
		return b.Total
	}
	t.Run("POST _search answers as GET", func(t *testing.T) {
		q := url.Values{"location.address-postalcode": {"35"}, "_summary": {"count"}}
		_, get := fhirGet(t, app, "/fhir/HealthcareService?"+q.Encode())
		resp, err := http.Post(base+"/HealthcareService/_search", "application/x-www-form-urlencoded", strings.NewReader(q.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || total(body) != total(get) || total(get) == 0 {
			t.Errorf("POST _search: %d total %d, GET total %d", resp.StatusCode, total(body), total(get))
		}
	})
	t.Run("_elements and _summary=true subset the matches, tagged SUBSETTED", func(t *testing.T) {
		for _, q := range []string{"_elements=name,identifier", "_summary=true"} {
			_, body := fhirGet(t, app, "/fhir/HealthcareService?_count=3&"+q)
			var b struct {
				Entry []struct{ Resource map[string]json.RawMessage }
			}
			_ = json.Unmarshal(body, &b)
			if len(b.Entry) == 0 {
				t.Fatalf("%s: no entry", q)
			}
			for _, e := range b.Entry {
				if _, ok := e.Resource["extension"]; ok {
					t.Errorf("%s: extension kept", q)
				}
				if !strings.Contains(string(e.Resource["meta"]), "SUBSETTED") || e.Resource["name"] == nil {
					t.Errorf("%s: %s", q, e.Resource["meta"])
				}
			}
		}
		if st, _ := fhirGet(t, app, "/fhir/HealthcareService?_count=1&_summary=data"); st != 200 {
			t.Errorf("_summary=data: %d", st)
		}
		if st, _ := fhirGet(t, app, "/fhir/HealthcareService?_count=1&_summary=text"); st != 400 {
			t.Errorf("_summary=text: %d, want 400", st)
		}
	})
	t.Run("a read has an ETag of its versionId; If-None-Match answers 304 until a write", func(t *testing.T) {
		offres, _ := storeOffres(t, app)
		id := offres[len(offres)/2].uo.ID
		req, _ := http.NewRequest("GET", base+"/Location/"+id, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		etag := resp.Header.Get("ETag")
		var r struct{ Meta struct{ VersionID string } }
		_ = json.Unmarshal(body, &r)
		if etag == "" || etag != `W/"`+r.Meta.VersionID+`"` {
			t.Fatalf("ETag %q, versionId %q", etag, r.Meta.VersionID)
		}
		req.Header.Set("If-None-Match", etag)
		if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 304 {
			t.Errorf("If-None-Match %s: %d, want 304", etag, resp.StatusCode)
		}
		admin := mustAdmin(t, app)
		if code, b := send(t, app, "PUT", "/api/v1/uo/"+id+"/capacitaire", admin, "application/json", `{"lits_installes":21,"lits_disponibles":4}`); code != 200 {
			t.Fatalf("PUT capacitaire: %d %s", code, b)
		}
		if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 200 || resp.Header.Get("ETag") == etag {
			t.Errorf("after a bed write: %d, ETag %s, want 200 and a new ETag", resp.StatusCode, resp.Header.Get("ETag"))
		}
	})
	t.Run("dates as the guide writes them", func(t *testing.T) {
		for _, v := range []string{"ge2022-11-06T15:00", "ge2022-11-06T15:00:00", "ge2022-11-06T15:00+01:00", "lt2999-01-01T00:00:00Z"} {
			if st, body := fhirGet(t, app, "/fhir/Location?_summary=count&_lastUpdated="+url.QueryEscape(v)); st != 200 || total(body) == 0 {
				t.Errorf("_lastUpdated=%s: %d %.200s", v, st, body)
			}
		}
	})
	t.Run(":not is the complement", func(t *testing.T) {
		_, all := fhirGet(t, app, "/fhir/HealthcareService?_summary=count")
		_, yes := fhirGet(t, app, "/fhir/HealthcareService?_summary=count&specialty="+nosR211+"|157")
		_, no := fhirGet(t, app, "/fhir/HealthcareService?_summary=count&specialty:not="+nosR211+"|157")
		if total(yes) == 0 || total(yes)+total(no) != total(all) {
			t.Errorf("specialty %d + specialty:not %d != %d", total(yes), total(no), total(all))
		}
		if st, _ := fhirGet(t, app, "/fhir/HealthcareService?specialty:above="+nosR211+"|157"); st != 400 {
			t.Errorf(":above: %d, want 400 not-supported", st)
		}
	})
	t.Run("_sort=-_lastUpdated on Organization", func(t *testing.T) {
		_, body := fhirGet(t, app, "/fhir/Organization?_sort=-_lastUpdated&_count=50")
		var b struct {
			Entry []struct {
				Resource struct{ Meta struct{ LastUpdated string } }
			}
		}
		_ = json.Unmarshal(body, &b)
		for i := 1; i < len(b.Entry); i++ {
			if b.Entry[i].Resource.Meta.LastUpdated > b.Entry[i-1].Resource.Meta.LastUpdated {
				t.Fatalf("entry %d updated %s after entry %d's %s", i, b.Entry[i].Resource.Meta.LastUpdated, i-1, b.Entry[i-1].Resource.Meta.LastUpdated)
			}
		}
	})
	t.Run("the CapabilityStatement names the guide and declares no chained parameter", func(t *testing.T) {
		_, body := fhirGet(t, app, "/fhir/metadata")
		var cs struct {
			ImplementationGuide []string
			Rest                []struct {
				Resource []struct {
					SearchParam []struct{ Name string }
				}
			}
		}
		_ = json.Unmarshal(body, &cs)
		if len(cs.ImplementationGuide) == 0 || cs.ImplementationGuide[0] != "https://interop.esante.gouv.fr/ig/fhir/ror/ImplementationGuide/ans.fhir.fr.ror" {
			t.Errorf("implementationGuide %v", cs.ImplementationGuide)
		}
		for _, r := range cs.Rest[0].Resource {
			for _, p := range r.SearchParam {
				if strings.Contains(p.Name, ".") {
					t.Errorf("chained parameter %s declared as a searchParam", p.Name)
				}
			}
		}
	})
}
