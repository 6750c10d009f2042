package main

import (
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/data/synth"
	"github.com/ror-recherche/ror/internal/sources"
)

// searchCases are searches of the page over HTTP: « Tout le ROR » with
// text (which now includes the professionals), a code of one category
// (which does not).
var searchCases = []struct{ name, path string }{
	{"tout-urgences", "/api/v1/search?ou=75110&q=urgences"},
	{"tout-kine", "/api/v1/search?ou=75110&q=kin%C3%A9"},
	{"types-uo-code", "/api/v1/search?ou=75110&dans=types-uo&code=20"},
}

func benchSearches(b *testing.B, app *App, prefix string) {
	for _, c := range searchCases {
		b.Run(prefix+c.name, func(b *testing.B) {
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

// BenchmarkSearchWithProfessionals runs the page's searches on the real
// data of three départements, without professionals, then with the
// generator's 213,000 at national density.
func BenchmarkSearchWithProfessionals(b *testing.B) {
	src := sources.Dir(b)
	app := startApp(b, b.TempDir(), src, slice)
	defer app.Close()
	benchSearches(b, app, "pros0/")
	nom, err := data.LoadNomenclature(filepath.Join(src, "nomenclatures"))
	if err != nil {
		b.Fatal(err)
	}
	offer, err := app.db.Offer().LoadOffer(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	app.svc.Pros.Replace(synth.Professionals(offer.Communes, nom, synth.ProOptions{Seed: 1}))
	benchSearches(b, app, "pros213k/")
}
