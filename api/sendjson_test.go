package api

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// TestSendJSONIsStdJSON checks that the answers' encoder writes what
// encoding/json writes: HTML characters escaped, accents as they are,
// numbers, empty and nil lists, omitted fields, times.
func TestSendJSONIsStdJSON(t *testing.T) {
	km, minutes := 12.3, 17
	values := []any{
		&ror.Results{
			Summary:        ror.Summary{Etablissements: 2, UO: 3, TookMs: 0.731, Text: "2 établissement(s), 3 UO en 0 ms. Distances calculées à partir de Paris 10"},
			Tri:            ror.TriDistance,
			Page:           1,
			Etablissements: []ror.EGResult{{FINESS: "750100125", Name: "Hôpital <Lariboisière> & Fernand-Widal", DistanceKm: &km, DurationMin: &minutes, UOs: []ror.UOResult{{ID: "750100125-URG", Name: "Urgences \"adultes\"\u2028", Score: 1.5}}}},
			Facets:         []ror.FacetCounts{{Facet: ror.FacetActe, Title: "Actes spécifiques", Values: []ror.FacetValue{{Code: "1491", Label: "Chirurgie bariatrique", Count: 4, On: true}}, Distinct: 40}},
		},
		fiber.Map{"suggestions": []ror.Suggestion{}},
		fiber.Map{"communes": nil, "n": 1e21, "petit": 1e-7, "quand": time.Date(2026, 11, 30, 3, 4, 5, 6, time.UTC)},
	}
	for i, v := range values {
		app := fiber.New()
		app.Get("/", func(c *fiber.Ctx) error { return sendJSON(c, v) })
		resp, err := app.Test(httptest.NewRequest("GET", "/", nil))
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		want, _ := json.Marshal(v)
		if string(got) != string(want) {
			t.Errorf("value %d:\ngot  %s\nwant %s", i, got, want)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("value %d: content type %q, want application/json", i, ct)
		}
	}
}
