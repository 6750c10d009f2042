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
		Stale      *bool   `json:"chiffre_ancien"`
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
	o, _, err := data.ImportWith(context.Background(), sources.Dir(t), time.Now(), data.Options{Departments: sharedSlice})
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
	admin, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Admin Test", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	gest, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Gestionnaire Bourg", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}})
	if err != nil {
		t.Fatal(err)
	}
	const uo = "010000024-REA"
	t.Run("a write without a token is a 401", func(t *testing.T) {
		if code, _ := send(t, app, "PUT", "/api/v1/uo/"+uo+"/capacitaire", "", "application/json", `{"lits_installes":12,"lits_disponibles":3}`); code != 401 {
			t.Errorf("got %d, want 401", code)
		}
	})
	t.Run("a stale figure is flagged, not hidden (written first: writes are ordered by their fact time)", func(t *testing.T) {
		old := time.Now().Add(-30 * time.Hour).UTC().Format(time.RFC3339)
		code, b := send(t, app, "PUT", "/api/v1/uo/"+uo+"/capacitaire", gest, "application/json", `{"lits_installes":12,"lits_disponibles":2,"maj":"`+old+`"}`)
		if code != 200 {
			t.Fatalf("got %d %s", code, b)
		}
		var n nearResp
		get(t, app, "/api/v1/proximite?ou=46.2222,5.20879&type_uo=121&limit=1", &n) // at the CH itself
		if len(n.Resultats) == 0 || n.Resultats[0].UO.ID != uo || n.Resultats[0].Stale == nil || !*n.Resultats[0].Stale {
			t.Errorf("got %+v, want %s flagged stale", n.Resultats, uo)
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
	t.Run("a feed applies its good lines, reports each bad one, and a replay changes nothing", func(t *testing.T) {
		feed := "uo,lits_installes,lits_fermes,lits_indetermines,lits_supplementaires,lits_disponibles,maj\n" +
			"010000024-MED,271,0,0,0,20," + time.Now().Add(-time.Hour).UTC().Format(time.RFC3339) + "\n" +
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
		h, _ := app.db.Offer().Changes(ctx, "010000024-MED", 10)
		if len(h) != 1 {
			t.Errorf("history of 010000024-MED has %d entries, want 1", len(h))
		}
	})
	t.Run("an older figure gets 409 with the stored date and changes nothing", func(t *testing.T) {
		old := time.Now().Add(-6 * time.Hour).UTC().Format(time.RFC3339)
		code, b := send(t, app, "PUT", "/api/v1/uo/"+uo+"/capacitaire", gest, "application/json", `{"lits_installes":12,"lits_disponibles":0,"maj":"`+old+`"}`)
		var p struct {
			Type   string            `json:"type"`
			Actuel map[string]string `json:"actuel"`
		}
		json.Unmarshal(b, &p)
		if code != 409 || p.Type != "/problems/conflit" || p.Actuel["maj"] == "" {
			t.Errorf("got %d %s, want a 409 problem with actuel.maj", code, b)
		}
	})
	t.Run("a replayed old feed rolls nothing back", func(t *testing.T) {
		old := time.Now().Add(-6 * time.Hour).UTC().Format(time.RFC3339)
		code, b := send(t, app, "POST", "/api/v1/capacitaire", gest, "application/json", `[{"uo":"`+uo+`","lits_installes":12,"lits_disponibles":0,"maj":"`+old+`"}]`)
		if code != 422 || !bytes.Contains(b, []byte(`"maj_actuelle"`)) {
			t.Errorf("got %d %s, want 422 with the stored date", code, b)
		}
		var n nearResp
		get(t, app, "/api/v1/proximite?ou=46.2222,5.20879&type_uo=121&limit=1", &n)
		if len(n.Resultats) == 0 || n.Resultats[0].UO.LitsDispo == nil || *n.Resultats[0].UO.LitsDispo != 7 {
			t.Errorf("got %+v, want the 7 beds of the newest figure", n.Resultats)
		}
	})
	for _, tc := range []struct{ name, body, field string }{
		{"an empty object", `{}`, "lits_installes"},                   // would have zeroed 12 beds
		{"null", `null`, "lits_installes"},                            // the same
		{"no free beds", `{"lits_installes":12}`, "lits_disponibles"}, // one required count missing
		{"a date from 2099", `{"lits_installes":12,"lits_disponibles":1,"maj":"2099-01-01T00:00:00Z"}`, "maj"},
		{"a date from 1900", `{"lits_installes":12,"lits_disponibles":1,"maj":"1900-01-01T00:00:00Z"}`, "maj"},
	} {
		t.Run("a PUT with "+tc.name+" is a 400 naming "+tc.field, func(t *testing.T) {
			code, b := send(t, app, "PUT", "/api/v1/uo/"+uo+"/capacitaire", gest, "application/json", tc.body)
			if code != 400 || !bytes.Contains(b, []byte(tc.field)) {
				t.Errorf("got %d %s, want 400 naming %s", code, b, tc.field)
			}
		})
	}
	t.Run("lecteurs and référents may not write beds: 403 before the body is read", func(t *testing.T) {
		lect, _ := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Lecteur Lits", Role: ror.RoleLecteur})
		ref, _ := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Référent Lits", Role: ror.RoleReferent, Scope: []string{"010000024"}})
		for _, tok := range []string{lect, ref} {
			if code, b := send(t, app, "POST", "/api/v1/capacitaire", tok, "text/csv", "pas,un,flux"); code != 403 {
				t.Errorf("feed: got %d %s, want 403", code, b)
			}
			if code, b := send(t, app, "PUT", "/api/v1/uo/"+uo+"/capacitaire", tok, "application/json", `{"lits_installes":12,"lits_disponibles":1}`); code != 403 {
				t.Errorf("PUT: got %d %s, want 403", code, b)
			}
		}
	})
}
