package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestFacetCountsMatchTheStore asks the API for random searches with three
// filters across two facets and checks what the refine panel shows against
// a count over the offer read back from Badger: the units found, and each
// facet's counts ignoring its own filter.
func TestFacetCountsMatchTheStore(t *testing.T) {
	app := sharedApp(t)
	o, err := app.db.Offer().LoadOffer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	dep := map[string]string{}
	for _, eg := range o.EGs {
		dep[eg.FINESS] = eg.Department
	}
	types := []string{"20", "121", "149", "290", "167", "262"}
	deps := []string{"75", "33", "69", "13", "59", "92", "93", "94", "01", "67"}
	modes := []string{"28", "29", "32", "33", "40"}
	r := rand.New(rand.NewPCG(3, 30))
	found := 0
	for range 8 {
		typ := types[r.IntN(len(types))]
		d1, d2, mode := deps[r.IntN(len(deps))], deps[r.IntN(len(deps))], modes[r.IntN(len(modes))]
		q := fmt.Sprintf("dans=types-uo&code=%s&departement=%s&departement=%s&mode=%s&facette_complete=departement,mode,statut", typ, d1, d2, mode)
		t.Run(q, func(t *testing.T) {
			var res struct {
				Facettes []struct {
					Facette string `json:"facette"`
					Valeurs []struct {
						Code   string `json:"code"`
						Nombre int    `json:"nombre"`
					} `json:"valeurs"`
				} `json:"facettes"`
			}
			get(t, app, "/api/v1/search?"+q, &res)
			units := 0
			want := map[string]map[string]int{"departement": {}, "mode": {}}
			for _, u := range o.UOs {
				if u.TypeUO != typ {
					continue
				}
				depOK := dep[u.EG] == d1 || dep[u.EG] == d2
				modeOK := slices.Contains(u.Modes, mode)
				if depOK && modeOK {
					units++
				}
				if modeOK {
					want["departement"][dep[u.EG]]++
				}
				if depOK {
					for _, m := range u.Modes {
						want["mode"][m]++
					}
				}
			}
			got := map[string]map[string]int{}
			for _, f := range res.Facettes {
				got[f.Facette] = map[string]int{}
				for _, v := range f.Valeurs {
					got[f.Facette][v.Code] = v.Nombre
				}
			}
			for _, f := range []string{"departement", "mode"} {
				for code, n := range want[f] {
					if got[f][code] != n {
						t.Errorf("%s %s: got %d UO, want %d", f, code, got[f][code], n)
					}
				}
				for code, n := range got[f] {
					if want[f][code] == 0 && n != 0 {
						t.Errorf("%s %s: got %d UO, want none", f, code, n)
					}
				}
			}
			statut := 0 // every unit found has one statut
			for _, n := range got["statut"] {
				statut += n
			}
			found += units
			if statut != units {
				t.Errorf("got %d units found (statut counts), want %d", statut, units)
			}
		})
	}
	if found == 0 {
		t.Error("no search found a unit: the counts were never put to the test")
	}
}

// TestFacetsHonourTheArea checks that a radius or a map box narrows the
// refine panel as it narrows the list: the units counted by département
// are the units listed, none outside the area (the panel once said
// « Adulte (134) » beside 57 établissements in the zone).
func TestFacetsHonourTheArea(t *testing.T) {
	app := sharedApp(t)
	type answer struct {
		Resume struct {
			Etablissements int  `json:"etablissements"`
			UO             int  `json:"uo"`
			Tronque        bool `json:"tronque"`
		} `json:"resume"`
		Facettes []struct {
			Facette string `json:"facette"`
			Valeurs []struct {
				Nombre int `json:"nombre"`
			} `json:"valeurs"`
		} `json:"facettes"`
	}
	depTotal := func(a answer) int {
		n := 0
		for _, f := range a.Facettes {
			if f.Facette == "departement" {
				for _, v := range f.Valeurs {
					n += v.Nombre
				}
			}
		}
		return n
	}
	cases := []struct{ name, query string }{
		// Emergency units within 8 km of Paris 10: far fewer than France's.
		{"a radius", "ou=75110&dans=types-uo&code=20&rayon=8&facette_complete=departement"},
		// The map's box around Bordeaux.
		{"a map box", "ou=33063&dans=types-uo&code=20,149&bbox=-0.75,44.7,-0.45,44.95&facette_complete=departement"},
		// Both at once, in the relevance order.
		{"a radius and a box, by relevance", "ou=69123&dans=tout&q=cardiologie&tri=pertinence&rayon=15&bbox=4.7,45.6,5.0,45.9&facette_complete=departement"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var in, all answer
			get(t, app, "/api/v1/search?"+c.query, &in)
			get(t, app, "/api/v1/search?"+c.query[:strings.Index(c.query, "&")]+"&"+strings.Join(keepParams(c.query, "dans", "code", "q", "tri", "facette_complete"), "&"), &all)
			if in.Resume.Tronque {
				t.Fatalf("the area still holds over 200 établissements: pick a smaller one")
			}
			if in.Resume.UO == 0 {
				t.Fatal("nothing in the area: the case proves nothing")
			}
			if got := depTotal(in); got != in.Resume.UO {
				t.Errorf("the panel counts %d units by département, the list %d", got, in.Resume.UO)
			}
			if depTotal(all) <= depTotal(in) {
				t.Errorf("without the area the panel counts %d, with it %d: the area narrowed nothing", depTotal(all), depTotal(in))
			}
		})
	}
}

// keepParams returns the k=v pairs of a query string whose key is listed.
func keepParams(q string, keys ...string) []string {
	var out []string
	for _, kv := range strings.Split(q, "&") {
		k, _, _ := strings.Cut(kv, "=")
		if slices.Contains(keys, k) {
			out = append(out, kv)
		}
	}
	return out
}
