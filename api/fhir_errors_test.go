package api

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

// Under /fhir every error is an OperationOutcome, those of the guards in
// front of the FHIR handlers included: 503 while the data loads, 429 past
// the rate limit; elsewhere they stay problem+json.
func TestFHIRGuardErrorsAreOperationOutcomes(t *testing.T) {
	s := New(Config{ReadRate: 1}) // no services: 503; a budget of 2 requests
	get := func(path string) (int, string, string, string) {
		resp, err := s.app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var oo struct {
			ResourceType string
			Issue        []struct{ Code string }
		}
		_ = json.Unmarshal(b, &oo)
		code := ""
		if len(oo.Issue) > 0 {
			code = oo.Issue[0].Code
		}
		return resp.StatusCode, resp.Header.Get("Content-Type"), oo.ResourceType, code
	}
	seen := map[int]bool{}
	for range 6 {
		status, ctype, typ, code := get("/fhir/Location?_count=1")
		seen[status] = true
		want := map[int]string{503: "transient", 429: "throttled"}[status]
		if want == "" || typ != "OperationOutcome" || code != want || !strings.HasPrefix(ctype, "application/fhir+json") {
			t.Errorf("GET /fhir/Location: %d %s %s %s, want an OperationOutcome (503 transient or 429 throttled)", status, ctype, typ, code)
		}
	}
	if !seen[503] || !seen[429] {
		t.Errorf("statuses %v, want 503 then 429", seen)
	}
	if status, ctype, _, _ := get("/api/v1/search?quoi=x"); status != 429 || !strings.HasPrefix(ctype, "application/problem+json") {
		t.Errorf("/api/v1 past the limit: %d %s, want 429 problem+json", status, ctype)
	}
}
