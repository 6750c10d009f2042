package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/internal/sources"
)

func send(t *testing.T, app *App, method, path, token, ctype, body string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, "http://"+app.Addr()+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

type nearResp struct {
	Resultats []struct {
		EG struct {
			FINESS string `json:"finess"`
		} `json:"etablissement"`
		UO struct {
			ID        string `json:"id"`
			LitsDispo *int   `json:"lits_disponibles"`
		} `json:"uo"`
		DistanceKm float64 `json:"distance_km"`
		DureeMin   int     `json:"duree_min"`
		Stale      bool    `json:"chiffre_ancien"`
	} `json:"resultats"`
}

func TestProximityMatchesBruteForce(t *testing.T) {
	app := sharedApp(t)
	var r nearResp
	get(t, app, "/api/v1/proximite?ou=91228&besoin=obesite-severe&limit=10", &r)
	if len(r.Resultats) == 0 {
		t.Fatal("no unit with a chambre adaptée and a brancard obésité near Évry")
	}
	// brute force over the imported offer
	o, err := data.Import(context.Background(), sources.Dir(t), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	egs := map[string]ror.EG{}
	for _, eg := range o.EGs {
		egs[eg.FINESS] = eg
	}
	evry := ror.Point{Lon: 2.44008, Lat: 48.62948}
	type cand struct {
		id string
		km float64
	}
	var want []cand
	for _, u := range o.UOs {
		has225 := slices.Contains(u.Equipements, "225")
		hasBrancard := slices.Contains(u.Equipements, "091") || slices.Contains(u.Equipements, "092")
		eg := egs[u.EG]
		if has225 && hasBrancard && eg.Geolocated() && u.Statut != ror.StatutFerme {
			want = append(want, cand{u.ID, geo.DistanceKm(evry, eg.Point)})
		}
	}
	sort.Slice(want, func(i, j int) bool { return want[i].km < want[j].km })
	for i, res := range r.Resultats {
		if i >= len(want) {
			break
		}
		if res.UO.ID != want[i].id && abs(res.DistanceKm-want[i].km) > 0.01 {
			t.Errorf("rank %d: got %s at %.2f km, want %s at %.2f km", i+1, res.UO.ID, res.DistanceKm, want[i].id, want[i].km)
		}
		if i > 0 && res.DureeMin < r.Resultats[i-1].DureeMin {
			t.Errorf("rank %d: %d min after %d min", i+1, res.DureeMin, r.Resultats[i-1].DureeMin)
		}
		var f struct {
			UO []struct {
				ID          string `json:"id"`
				Equipements []struct{ Code string }
			} `json:"uo"`
		}
		get(t, app, "/api/v1/eg/"+res.EG.FINESS, &f)
		for _, u := range f.UO {
			if u.ID != res.UO.ID {
				continue
			}
			codes := map[string]bool{}
			for _, e := range u.Equipements {
				codes[e.Code] = true
			}
			if !codes["225"] || !(codes["091"] || codes["092"]) {
				t.Errorf("%s lacks a required equipment: %v", u.ID, codes)
			}
		}
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestCapacitaireWrites(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	admin, err := app.db.CreateAccount(ctx, ror.Account{Name: "Admin Test", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	gest, err := app.db.CreateAccount(ctx, ror.Account{Name: "Gestionnaire Bourg", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}})
	if err != nil {
		t.Fatal(err)
	}
	const uo = "010000024-REA"
	t.Run("a write without a token is a 401", func(t *testing.T) {
		if code, _ := send(t, app, "PUT", "/api/v1/uo/"+uo+"/capacitaire", "", "application/json", `{"lits_installes":12,"lits_disponibles":3}`); code != 401 {
			t.Errorf("got %d, want 401", code)
		}
	})
	t.Run("a gestionnaire updates the beds of its établissement; search and proximity show them", func(t *testing.T) {
		code, b := send(t, app, "PUT", "/api/v1/uo/"+uo+"/capacitaire", gest, "application/json", `{"lits_installes":12,"lits_fermes":1,"lits_disponibles":7}`)
		if code != 200 {
			t.Fatalf("got %d %s", code, b)
		}
		var s struct {
			Etablissements []struct {
				FINESS string `json:"finess"`
				UO     []struct {
					ID        string `json:"id"`
					LitsDispo *int   `json:"lits_disponibles"`
				} `json:"uo"`
			} `json:"etablissements"`
		}
		get(t, app, "/api/v1/search?ou=01053&dans=types-uo&code=121", &s)
		found := false
		for _, eg := range s.Etablissements {
			for _, u := range eg.UO {
				if u.ID == uo {
					found = true
					if u.LitsDispo == nil || *u.LitsDispo != 7 {
						t.Errorf("search shows %v beds, want 7", u.LitsDispo)
					}
				}
			}
		}
		if !found {
			t.Error("the unit is not in the search")
		}
		var n nearResp
		get(t, app, "/api/v1/proximite?ou=01053&type_uo=121&lits_disponibles=7&limit=3", &n)
		if len(n.Resultats) == 0 || n.Resultats[0].UO.ID != uo {
			t.Errorf("proximity with 7 free beds: got %+v, want %s first", n.Resultats, uo)
		}
	})
	t.Run("a gestionnaire cannot touch another établissement's beds", func(t *testing.T) {
		code, b := send(t, app, "PUT", "/api/v1/uo/010000032-URG/capacitaire", gest, "application/json", `{"lits_installes":5,"lits_disponibles":1}`)
		if code != 403 || !bytes.Contains(b, []byte("problem")) {
			t.Errorf("got %d %s, want a 403 problem", code, b)
		}
	})
	t.Run("a stale figure is flagged, not hidden", func(t *testing.T) {
		old := time.Now().Add(-30 * time.Hour).UTC().Format(time.RFC3339)
		code, b := send(t, app, "PUT", "/api/v1/uo/"+uo+"/capacitaire", gest, "application/json", `{"lits_installes":12,"lits_disponibles":2,"maj":"`+old+`"}`)
		if code != 200 {
			t.Fatalf("got %d %s", code, b)
		}
		var n nearResp
		get(t, app, "/api/v1/proximite?ou=46.2222,5.20879&type_uo=121&limit=1", &n) // at the CH itself
		if len(n.Resultats) == 0 || n.Resultats[0].UO.ID != uo || !n.Resultats[0].Stale {
			t.Errorf("got %+v, want %s flagged stale", n.Resultats, uo)
		}
	})
	t.Run("a feed applies its good lines, reports each bad one, and a replay changes nothing", func(t *testing.T) {
		feed := "uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles,maj\n" +
			"010000024-MED,271,0,0,0,20,2026-11-22T08:00:00Z\n" +
			"010000024-XXX,10,0,0,0,1,\n" + // unknown unit
			"010000024-CHI,68,0,0,0,deux,\n" + // not a number
			"010000024-SI,6,0,0,0,9,\n" // more free than open
		code, b := send(t, app, "POST", "/api/v1/capacitaire", admin, "text/csv", feed)
		var rep ror.FeedReport
		json.Unmarshal(b, &rep)
		if code != 207 || rep.Applied != 1 || len(rep.Rejected) != 3 {
			t.Fatalf("got %d %s, want 207 with 1 applied and 3 rejected", code, b)
		}
		for i, line := range []int{3, 4, 5} {
			if rep.Rejected[i].Line != line {
				t.Errorf("rejected line %d, want %d", rep.Rejected[i].Line, line)
			}
		}
		_, b = send(t, app, "POST", "/api/v1/capacitaire", admin, "text/csv", feed)
		json.Unmarshal(b, &rep)
		if rep.Applied != 0 || rep.Unchanged != 1 {
			t.Errorf("replay: got %+v, want nothing applied", rep)
		}
		code, b = send(t, app, "POST", "/api/v1/capacitaire?mode=tout-ou-rien", admin, "application/json",
			`[{"uo":"010000024-MED","lits_installes":271,"lits_disponibles":30},{"uo":"nulle-part","lits_installes":1,"lits_disponibles":1}]`)
		json.Unmarshal(b, &rep)
		if code != 422 || rep.Applied != 0 {
			t.Errorf("all-or-nothing with a bad line: got %d %s", code, b)
		}
		h, _ := app.db.Changes(ctx, "010000024-MED", 10)
		if len(h) != 1 {
			t.Errorf("history of 010000024-MED has %d entries, want 1", len(h))
		}
	})
}
