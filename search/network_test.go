package search_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

// islands are origins off the mainland with the départements of their
// road network.
var islands = []struct {
	ou, name string
	deps     []string
}{
	{"insee:2A004", "Ajaccio", []string{"2A", "2B"}},
	{"insee:2B033", "Bastia", []string{"2A", "2B"}},
	{"insee:97101", "Les Abymes", []string{"971"}},
	{"insee:97411", "Saint-Denis (974)", []string{"974"}},
	{"insee:97302", "Cayenne", []string{"973"}},
}

// offshore are communes of those départements on an island of their own
// (Marie-Galante, La Désirade, Les Saintes) or with no road to the coast
// (Guyane's interior).
var offshore = map[string]bool{"97108": true, "97112": true, "97126": true, "97110": true, "97130": true, "97131": true,
	"97352": true, "97353": true, "97362": true, "97357": true, "97356": true, "97314": true, "97358": true}

// TestIslandsFirstNoDrivingAcrossTheSea checks, from Corse and the DROM,
// that the SAMU presets rank the island's own units first and give no
// driving time across the sea, and that the search does the same.
func TestIslandsFirstNoDrivingAcrossTheSea(t *testing.T) {
	d := directory(t)
	ctx := context.Background()
	onIsland := func(insee string, deps []string) bool {
		for _, d := range deps {
			if strings.HasPrefix(insee, d) && !offshore[insee] {
				return true
			}
		}
		return false
	}
	for _, is := range islands {
		for _, preset := range []string{"urgences", "reanimation", "maternite", "obesite-severe"} {
			t.Run(is.name+"/"+preset, func(t *testing.T) {
				list, _, err := d.Nearby(ctx, ror.NearQuery{Ou: is.ou, Besoin: preset, Limit: 10}, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				across := false
				for i, r := range list {
					home := onIsland(r.EG.Commune.INSEE, is.deps)
					if home == r.NoRoad || home != (r.DurationMin != nil) {
						t.Errorf("#%d %s (%s): got hors réseau %v, duration %v; want a duration exactly on the island", i+1, r.EG.Name, r.EG.Commune.INSEE, r.NoRoad, r.DurationMin)
					}
					if home && across {
						t.Errorf("#%d %s is on the island but comes after a unit across the sea", i+1, r.EG.Name)
					}
					across = across || !home
					if r.DurationMin != nil && (!r.Estimated || r.Method == "") {
						t.Errorf("#%d %s: duration not marked estimated with its method", i+1, r.EG.Name)
					}
				}
			})
		}
		t.Run(is.name+"/search", func(t *testing.T) {
			res, err := d.Search(ctx, ror.Query{Ou: is.ou, Dans: ror.DansTout, Text: "medecine", All: true})
			if err != nil {
				t.Fatal(err)
			}
			across := false
			for i, r := range res.All {
				home := onIsland(r.Commune.INSEE, is.deps)
				if home && across {
					t.Fatalf("#%d %s is on the island but comes after one across the sea", i+1, r.Name)
				}
				across = across || !home
				if !home && r.DurationMin != nil {
					t.Errorf("#%d %s (%s) across the sea: got %d min, want none", i+1, r.Name, r.Commune.INSEE, *r.DurationMin)
				}
			}
			if len(res.All) == 0 || !onIsland(res.All[0].Commune.INSEE, is.deps) {
				t.Errorf("got no result on the island first")
			}
		})
	}
}

// TestNearbyIsNearestByTime checks the proximity order: reached by road
// first, then non-decreasing minutes.
func TestNearbyIsNearestByTime(t *testing.T) {
	d := directory(t)
	for _, ou := range []string{"insee:75110", "insee:33063", "insee:05061", "insee:56152", "insee:2A004"} {
		list, _, err := d.Nearby(context.Background(), ror.NearQuery{Ou: ou, Besoin: "urgences", Limit: 20}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		// the 5 first are the 5 first of the 20: no walk stopped early
		five, _, _ := d.Nearby(context.Background(), ror.NearQuery{Ou: ou, Besoin: "urgences", Limit: 5}, time.Now())
		for i := range five {
			if five[i].UO.ID != list[i].UO.ID {
				t.Errorf("from %s: #%d of 5 is %s, of 20 %s", ou, i+1, five[i].UO.ID, list[i].UO.ID)
			}
		}
		for i := 1; i < len(list); i++ {
			a, b := list[i-1], list[i]
			if a.NoRoad && !b.NoRoad || !a.NoRoad && !b.NoRoad && *a.DurationMin > *b.DurationMin {
				t.Errorf("from %s: #%d %s (%v min) before #%d %s (%v min)", ou, i, a.EG.Name, a.DurationMin, i+1, b.EG.Name, b.DurationMin)
			}
		}
	}
}

// TestARouterTimesThePageInOneRequest checks the optional router (an OSRM
// server, here its recorded answer shape on loopback): the page's results
// and the proximity candidates are timed by it in one request each, and
// say so.
func TestARouterTimesThePageInOneRequest(t *testing.T) {
	directory(t) // the offer
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		n := strings.Count(r.URL.Path, ";") + 1
		row := make([]string, n)
		for i := range row {
			row[i] = "600" // seconds
		}
		w.Write([]byte(`{"code":"Ok","durations":[[` + strings.Join(row, ",") + `]]}`))
	}))
	defer srv.Close()
	osrm, err := geo.NewOSRM(srv.URL, time.Second, geo.NewRouterFor(offer.Communes))
	if err != nil {
		t.Fatal(err)
	}
	d := directoryWith(t, osrm)
	res, err := d.Search(context.Background(), ror.Query{Ou: "insee:75110", Dans: ror.DansTout, Text: "urgences"})
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 1 {
		t.Errorf("search: got %d requests for a page, want 1", calls.Load())
	}
	for _, r := range res.Etablissements {
		if r.DurationMin == nil || *r.DurationMin != 10 || r.Method != "osrm" || !r.Estimated {
			t.Errorf("%s: got %v min by %q, want 10 by osrm", r.Name, r.DurationMin, r.Method)
		}
	}
	list, _, err := d.Nearby(context.Background(), ror.NearQuery{Ou: "insee:75110", Besoin: "urgences", Limit: 10}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() > 2 {
		t.Errorf("proximity: got %d more requests, want at most 1", calls.Load()-1)
	}
	for _, r := range list {
		if r.DurationMin == nil || r.Method != "osrm" {
			t.Errorf("%s: got %v min by %q, want osrm's", r.EG.Name, r.DurationMin, r.Method)
		}
	}
}
