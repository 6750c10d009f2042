package main

import (
	"io"
	"net/http"
	"testing"

	"github.com/ror-recherche/ror/internal/sources"
)

// The same search through /api/v1/search and through FHIR, over HTTP on
// loopback against the real data: the issue asks FHIR to stay within 2×.
// Emergency units within 5 km of Paris 10, first page (15) with their EG.
func BenchmarkSearchVsFHIR(b *testing.B) {
	app := startApp(b, b.TempDir(), sources.Dir(b))
	defer app.Close()
	for _, c := range []struct{ name, path string }{
		{"api", "/api/v1/search?ou=75110&dans=activites&code=157&rayon=5"},
		{"fhir", "/fhir/HealthcareService?specialty=" + nosR211 + "|157&location.near-insee-code=75110|5|km&_count=15&_include=HealthcareService:organization"},
		{"api-large", "/api/v1/search?ou=75110&dans=types-uo&code=20"},
		{"fhir-large", "/fhir/HealthcareService?service-category=" + nosR244 + "|20&location.near-insee-code=75110|1000|km&_count=15&_include=HealthcareService:organization"},
	} {
		b.Run(c.name, func(b *testing.B) {
			url := "http://" + app.Addr() + c.path
			client := &http.Client{}
			b.ReportAllocs()
			for b.Loop() {
				resp, err := client.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Fatalf("%s: %d", c.path, resp.StatusCode)
				}
			}
		})
	}
}
