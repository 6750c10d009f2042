package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

// TestLieuDeRealisation: on the real data, a référent of the Hôpital Lozère
// (Mende) declares through a dossier that one of its units also works at
// Saint-Alban-sur-Limagnole, 30 km away; once an administrator validates
// it, a search from Saint-Alban finds the unit at the lieu's distance and
// names the lieu, the fiche and FHIR show both lieux, a search from Mende
// still finds it at the EG (0–1 km), and closing the lieu puts it back.
func TestLieuDeRealisation(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	const eg, lieuID, stAlban, mende = "480000017", "480000017-L1", "48132", "48095"
	admin, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Admin lieux", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Référent Lozère", Role: ror.RoleReferent, Scope: []string{eg}})
	if err != nil {
		t.Fatal(err)
	}
	var f ror.Fiche
	get(t, app, "/api/v1/eg/"+eg, &f)
	var unit ror.UOView
	for _, u := range f.UOs {
		if u.TypeUO.Code != "" && u.Statut == ror.StatutActif {
			unit = u
			break
		}
	}
	if unit.ID == "" || f.Point == nil {
		t.Fatalf("the Hôpital Lozère has no open typed unit or no position: %+v", f)
	}
	if len(unit.Lieux) != 1 || !unit.Lieux[0].Derived || unit.Lieux[0].ID != eg {
		t.Fatalf("before any dossier the unit's lieux are %+v, want the EG's address alone, derived", unit.Lieux)
	}
	// The lieu at Saint-Alban's centre (communes.csv).
	at := ror.Point{Lon: 3.40322, Lat: 44.79671}
	if km := geo.DistanceKm(*f.Point, at); km < 28 || km > 32 {
		t.Fatalf("the lieu is %.1f km from the EG, want about 30", km)
	}
	lieu := fmt.Sprintf(`{"id":%q,"finess_eg":%q,"nom":"Consultation avancée de Saint-Alban","fonction":"005","adresse":"Place de la mairie","code_postal":"48120","commune":%q,"position":{"lon":%g,"lat":%g},"horaires":"Mardi 9h–17h"}`,
		lieuID, eg, stAlban, at.Lon, at.Lat)
	draft := func(ops string) string { return `{"finess_eg":"` + eg + `","operations":[` + ops + `]}` }
	publish := func(body string) ror.Draft {
		t.Helper()
		var dr ror.Draft
		code, b := send(t, app, "POST", "/api/v1/brouillons", ref, "application/json", body)
		if code != 201 {
			t.Fatalf("open the dossier: %d %s", code, b)
		}
		json.Unmarshal(b, &dr)
		if code, b = send(t, app, "POST", "/api/v1/brouillons/"+dr.ID+"/soumettre", ref, "application/json", fmt.Sprintf(`{"version":%d}`, dr.Version)); code != 200 {
			t.Fatalf("submit: %d %s", code, b)
		}
		if code, b = send(t, app, "POST", "/api/v1/brouillons/"+dr.ID+"/valider", admin, "application/json", `{}`); code != 200 {
			t.Fatalf("validate: %d %s", code, b)
		}
		json.Unmarshal(b, &dr)
		if dr.Status != ror.DraftPublished {
			t.Fatalf("dossier %s is %s, want publié", dr.ID, dr.Status)
		}
		return dr
	}

	t.Run("a lieu badly declared is a 400 naming its field", func(t *testing.T) {
		for _, c := range []struct{ body, field string }{
			{draft(`{"op":"creer_lieu","lieu":` + strings.Replace(lieu, `"fonction":"005"`, `"fonction":"999"`, 1) + `,"uos":["` + unit.ID + `"]}`), "/operations/0/lieu/fonction"},
			{draft(`{"op":"creer_lieu","lieu":` + strings.Replace(lieu, `"lat":44.79671`, `"lat":0`, 1) + `,"uos":["` + unit.ID + `"]}`), "/operations/0/lieu/position"},
			{draft(`{"op":"creer_lieu","lieu":` + strings.Replace(lieu, lieuID, eg+"-X1", 1) + `,"uos":["` + unit.ID + `"]}`), "/operations/0/lieu/id"},
			{draft(`{"op":"creer_lieu","lieu":` + lieu + `}`), "/operations/0/uos"},
		} {
			code, b := send(t, app, "POST", "/api/v1/brouillons", ref, "application/json", c.body)
			if code != 400 || !strings.Contains(string(b), c.field) {
				t.Errorf("got %d %s, want 400 naming %s", code, b, c.field)
			}
		}
	})

	publish(draft(`{"op":"creer_lieu","lieu":` + lieu + `,"uos":["` + unit.ID + `"]}`))
	lieuKm := geo.DistanceKm(ror.Point{Lon: 3.40322, Lat: 44.79671}, at) // the commune's centre: 0

	search := func(ou string) (row *ror.EGResult) {
		t.Helper()
		var res ror.Results
		get(t, app, "/api/v1/search?ou="+ou+"&dans=types-uo&code="+unit.TypeUO.Code, &res)
		for i := range res.Etablissements {
			if res.Etablissements[i].FINESS == eg {
				return &res.Etablissements[i]
			}
		}
		t.Fatalf("from %s: the Hôpital Lozère is not listed for type %s", ou, unit.TypeUO.Code)
		return nil
	}
	t.Run("from the lieu's commune the unit is at the lieu's distance, the lieu named", func(t *testing.T) {
		row := search(stAlban)
		if row.DistanceKm == nil || math.Abs(*row.DistanceKm-lieuKm) > 0.1 {
			t.Fatalf("from Saint-Alban the EG is at %v km, want the lieu's %.1f km (its address is 30 km away)", row.DistanceKm, lieuKm)
		}
		if row.Lieu == nil || row.Lieu.ID != lieuID || row.Lieu.Derived || row.Lieu.Commune.INSEE != stAlban {
			t.Errorf("the row names the lieu %+v, want %s at Saint-Alban, declared", row.Lieu, lieuID)
		}
		if row.DurationMin == nil || *row.DurationMin > 15 {
			t.Errorf("duration from Saint-Alban %v min, want the lieu's few minutes", row.DurationMin)
		}
		found := false
		for _, u := range row.UOs {
			if u.ID == unit.ID {
				found = true
				if u.Lieu == nil || u.Lieu.ID != lieuID {
					t.Errorf("the unit names the lieu %+v, want %s", u.Lieu, lieuID)
				}
			}
		}
		if !found {
			t.Errorf("the unit %s is not in the row", unit.ID)
		}
	})
	t.Run("the map places the row at the lieu", func(t *testing.T) {
		var fc struct {
			Features []struct {
				ID       string
				Geometry struct{ Coordinates [2]float64 }
			}
		}
		get(t, app, "/api/v1/search.geojson?ou="+stAlban+"&dans=types-uo&code="+unit.TypeUO.Code, &fc)
		for _, f := range fc.Features {
			if f.ID == eg {
				if f.Geometry.Coordinates != [2]float64{at.Lon, at.Lat} {
					t.Errorf("the map places %s at %v, want the lieu at %v", eg, f.Geometry.Coordinates, at)
				}
				return
			}
		}
		t.Errorf("the map has no feature for %s", eg)
	})
	t.Run("from the EG's own commune it is still at 0–1 km", func(t *testing.T) {
		row := search(mende)
		if row.DistanceKm == nil || *row.DistanceKm > 1 || row.Lieu != nil {
			t.Errorf("from Mende: %v km, lieu %+v; want at most 1 km, at the EG's address", row.DistanceKm, row.Lieu)
		}
	})
	t.Run("the proximity lookup measures from the lieu too", func(t *testing.T) {
		var r struct {
			Resultats []ror.NearResult `json:"resultats"`
		}
		get(t, app, "/api/v1/proximite?ou="+stAlban+"&type_uo="+unit.TypeUO.Code+"&limit=50", &r)
		for _, h := range r.Resultats {
			if h.UO.ID == unit.ID {
				if h.DistanceKm > lieuKm+0.1 || h.Lieu == nil || h.Lieu.ID != lieuID {
					t.Errorf("proximity: %.1f km, lieu %+v; want %.1f km at %s", h.DistanceKm, h.Lieu, lieuKm, lieuID)
				}
				return
			}
		}
		t.Errorf("proximity from Saint-Alban does not list %s", unit.ID)
	})
	t.Run("the fiche lists both lieux", func(t *testing.T) {
		var f ror.Fiche
		get(t, app, "/api/v1/eg/"+eg, &f)
		i := slices.IndexFunc(f.Lieux, func(l ror.LieuRef) bool { return l.ID == lieuID })
		if i < 0 || f.Lieux[i].Fonction.Label != "Adresse" || f.Lieux[i].Horaires != "Mardi 9h–17h" || f.Lieux[i].Statut != ror.StatutActif {
			t.Errorf("the EG's declared lieux: %+v", f.Lieux)
		}
		for _, u := range f.UOs {
			if u.ID != unit.ID {
				continue
			}
			if len(u.Lieux) != 2 || u.Lieux[0].ID != eg || !u.Lieux[0].Derived || !u.Lieux[0].Beds || u.Lieux[1].ID != lieuID || u.Lieux[1].Derived {
				t.Errorf("the unit's lieux: %+v; want the EG's address (derived, beds) then %s", u.Lieux, lieuID)
			}
		}
	})
	t.Run("FHIR has a Location per lieu, the HealthcareService points to both", func(t *testing.T) {
		var bundle struct {
			Entry []struct {
				Resource struct {
					ResourceType string
					ID           string
					Location     []struct{ Reference string }
				}
			}
		}
		get(t, app, "/fhir/HealthcareService?organization="+eg+"&_count=100", &bundle)
		var refs []string
		for _, e := range bundle.Entry {
			if strings.HasPrefix(e.Resource.ID, unit.ID) {
				for _, l := range e.Resource.Location {
					refs = append(refs, l.Reference)
				}
				break
			}
		}
		if len(refs) != 2 || refs[0] != "Location/"+unit.ID || refs[1] != "Location/"+lieuID {
			t.Fatalf("HealthcareService.location of %s: %v, want its Location at the EG and Location/%s", unit.ID, refs, lieuID)
		}
		var loc struct {
			ID   string
			Type []struct {
				Coding []struct{ System, Code string }
			}
			Position struct{ Longitude, Latitude float64 }
			Address  struct{ City string }
			Status   string
		}
		var raw map[string]any
		get(t, app, "/fhir/Location/"+lieuID, &raw)
		for _, rule := range loadProfileRules(t) {
			if (rule.Resource == "Location" || rule.Resource == "*") && knownUnmet[rule.ID] == "" && rule.violates(raw) {
				t.Errorf("Location/%s breaks the guide's rule %s (%s, %s)", lieuID, rule.ID, rule.Source, rule.Element)
			}
		}
		get(t, app, "/fhir/Location/"+lieuID, &loc)
		if loc.ID != lieuID || len(loc.Type) == 0 || loc.Type[0].Coding[0].Code != "005" || !strings.Contains(loc.Type[0].Coding[0].System, "TRE-R343") ||
			loc.Position.Latitude != at.Lat || loc.Status != "active" {
			t.Errorf("Location/%s: %+v", lieuID, loc)
		}
	})

	t.Run("beds moved to the lieu: the capacitaire groups the unit under it, the lieu's Location carries them", func(t *testing.T) {
		var f ror.Fiche
		get(t, app, "/api/v1/eg/"+eg, &f)
		var u ror.UOView
		for _, x := range f.UOs {
			if x.ID == unit.ID {
				u = x
			}
		}
		codes := func(cs []ror.Coded) []string {
			out := make([]string, len(cs))
			for i, c := range cs {
				out[i] = c.Code
			}
			return out
		}
		rec := ror.UO{ID: u.ID, EG: eg, Name: u.Name, TypeUO: u.TypeUO.Code, ChampActivite: u.ChampActivite.Code,
			Activites: codes(u.Activites), Actes: codes(u.Actes), Equipements: codes(u.Equipements), Modes: codes(u.Modes),
			Professions: codes(u.Professions), Expertises: codes(u.Expertises), Publics: codes(u.Publics), Patientele: u.Patientele,
			Horaires: u.Horaires, Phone: u.Phone, Statut: u.Statut, Lieux: []string{lieuID, eg}} // its beds at the lieu now
		for _, z := range u.Zone {
			rec.Zone = append(rec.Zone, z.INSEE)
		}
		b, _ := json.Marshal(rec)
		publish(draft(fmt.Sprintf(`{"op":"modifier_uo","uo":%s,"version_base":%d}`, b, u.Version)))
		gest, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Gestionnaire Lozère", Role: ror.RoleGestionnaire, Scope: []string{eg}})
		if err != nil {
			t.Fatal(err)
		}
		if code, b := send(t, app, "PUT", "/api/v1/uo/"+unit.ID+"/capacitaire", gest, "application/json", `{"lits_installes":6,"lits_disponibles":2}`); code != 200 {
			t.Fatalf("beds: %d %s", code, b)
		}
		code, body := send(t, app, "GET", "/api/v1/capacitaire/perimetre", gest, "", "")
		var scope struct {
			Etablissements []struct {
				UO []struct {
					ID   string
					Lieu struct {
						ID     string
						Derive bool
					}
				} `json:"uo"`
			}
		}
		json.Unmarshal(body, &scope)
		if code != 200 || len(scope.Etablissements) != 1 || len(scope.Etablissements[0].UO) == 0 {
			t.Fatalf("capacitaire scope: %d %s", code, body)
		}
		rows := scope.Etablissements[0].UO
		for i, r := range rows {
			if r.ID == unit.ID && (r.Lieu.ID != lieuID || r.Lieu.Derive) || r.ID != unit.ID && r.Lieu.ID != eg {
				t.Errorf("row %d %s is under lieu %+v", i, r.ID, r.Lieu)
			}
			if i > 0 && rows[i-1].Lieu.ID == lieuID && r.Lieu.ID != lieuID {
				t.Errorf("the units are not grouped by lieu: %+v", rows)
			}
		}
		var loc struct {
			Extension []struct {
				URL       string
				Extension []struct {
					URL          string
					ValueInteger *int
				}
			}
		}
		get(t, app, "/fhir/Location/"+lieuID, &loc)
		var installed []int
		for _, e := range loc.Extension {
			if strings.HasSuffix(e.URL, "supported-capacity") {
				for _, x := range e.Extension {
					if x.URL == "nbCapacity" && x.ValueInteger != nil {
						installed = append(installed, *x.ValueInteger)
					}
				}
			}
		}
		if len(installed) == 0 || installed[0] != 6 {
			t.Errorf("Location/%s capacities %v, want the unit's 6 installed beds first", lieuID, installed)
		}
		// Its Location at the EG's address no longer claims the beds, and a
		// Location search of the EG finds the lieu as a match of its own.
		var atEG map[string]any
		get(t, app, "/fhir/Location/"+unit.ID, &atEG)
		if b, _ := json.Marshal(atEG); strings.Contains(string(b), "supported-capacity") {
			t.Errorf("Location/%s (the EG's address) still carries the capacities moved to %s", unit.ID, lieuID)
		}
		var found struct {
			Entry []struct {
				Resource struct{ ID string }
				Search   struct{ Mode string }
			}
		}
		get(t, app, "/fhir/Location?organization="+eg+"&_count=200", &found)
		if !slices.ContainsFunc(found.Entry, func(e struct {
			Resource struct{ ID string }
			Search   struct{ Mode string }
		}) bool {
			return e.Resource.ID == lieuID && e.Search.Mode == "match"
		}) {
			t.Errorf("Location?organization=%s does not match Location/%s: %+v", eg, lieuID, found.Entry)
		}
		// A Location search decides each place on its own fields: its id,
		// its address, its position; never the unit's other place.
		matches := func(q string) map[string]float64 {
			t.Helper()
			var b struct {
				Entry []struct {
					Resource struct{ ID string }
					Search   struct {
						Mode      string
						Extension []struct {
							URL           string
							ValueDistance *struct{ Value float64 } `json:"valueDistance"`
						}
					}
				}
			}
			get(t, app, "/fhir/Location?"+q, &b)
			out := map[string]float64{}
			for _, e := range b.Entry {
				if e.Search.Mode != "match" {
					continue
				}
				out[e.Resource.ID] = -1
				for _, x := range e.Search.Extension {
					if x.ValueDistance != nil {
						out[e.Resource.ID] = x.ValueDistance.Value
					}
				}
			}
			return out
		}
		for _, c := range []struct {
			q         string
			want, not string
		}{
			{"_id=" + lieuID, lieuID, unit.ID},
			{"identifier=" + lieuID, lieuID, unit.ID},
			{"_id=" + unit.ID, unit.ID, lieuID},
			{"address-postalcode=48120&organization=" + eg, lieuID, unit.ID},
			{"commune-cog=" + stAlban + "&organization=" + eg, lieuID, unit.ID},
			{"commune-cog=" + mende + "&organization=" + eg, unit.ID, lieuID},
			{fmt.Sprintf("near=%g|%g|5|km&organization=%s", at.Lat, at.Lon, eg), lieuID, unit.ID},
			{fmt.Sprintf("near=%g|%g|5|km&organization=%s", f.Point.Lat, f.Point.Lon, eg), unit.ID, lieuID},
		} {
			got := matches(c.q)
			if _, ok := got[c.want]; !ok {
				t.Errorf("Location?%s: %v, want %s", c.q, got, c.want)
			}
			if _, ok := got[c.not]; ok {
				t.Errorf("Location?%s: %v, should not hold %s (the unit's other place)", c.q, got, c.not)
			}
		}
		// Near the EG both places match, each at its own distance.
		both := matches(fmt.Sprintf("near=%g|%g|40|km&organization=%s", f.Point.Lat, f.Point.Lon, eg))
		if km, ok := both[lieuID]; !ok || km < 25 || km > 35 {
			t.Errorf("Location?near=EG|40 km: the lieu at %v km (%v), want about 30", km, both)
		}
		if km, ok := both[unit.ID]; !ok || km < 0 || km > 1 {
			t.Errorf("Location?near=EG|40 km: the unit's Location at the EG at %v km (%v), want 0–1", km, both)
		}
		// A HealthcareService is found from its lieu, at the lieu's distance.
		var hs struct {
			Entry []struct {
				Resource struct{ ID string }
				Search   struct{ Mode string }
			}
		}
		get(t, app, fmt.Sprintf("/fhir/HealthcareService?location.near=%g|%g|5|km&organization=%s", at.Lat, at.Lon, eg), &hs)
		if !slices.ContainsFunc(hs.Entry, func(e struct {
			Resource struct{ ID string }
			Search   struct{ Mode string }
		}) bool {
			return strings.HasPrefix(e.Resource.ID, unit.ID) && e.Search.Mode == "match"
		}) {
			t.Errorf("HealthcareService?location.near=the lieu: the unit %s is not matched: %+v", unit.ID, hs.Entry)
		}
		get(t, app, "/fhir/HealthcareService?location=Location/"+lieuID, &hs)
		if len(hs.Entry) == 0 || !strings.HasPrefix(hs.Entry[0].Resource.ID, unit.ID) {
			t.Errorf("HealthcareService?location=Location/%s: %+v, want the unit's offres", lieuID, hs.Entry)
		}
	})

	t.Run("a référent changes the lieu; a change based on an old version is a 409", func(t *testing.T) {
		changed := strings.Replace(lieu, "Mardi 9h–17h", "Mardi et jeudi 9h–17h", 1)
		publish(draft(`{"op":"modifier_lieu","lieu":` + changed + `,"version_base":1}`))
		var f ror.Fiche
		get(t, app, "/api/v1/eg/"+eg, &f)
		i := slices.IndexFunc(f.Lieux, func(l ror.LieuRef) bool { return l.ID == lieuID })
		if i < 0 || f.Lieux[i].Horaires != "Mardi et jeudi 9h–17h" || f.Lieux[i].Version != 2 {
			t.Errorf("after modifier_lieu: %+v", f.Lieux)
		}
		for _, u := range f.UOs {
			if u.ID == unit.ID && len(u.Lieux) != 2 {
				t.Errorf("a modifier_lieu without uos changed the unit's lieux: %+v", u.Lieux)
			}
		}
		var dr ror.Draft
		code, b := send(t, app, "POST", "/api/v1/brouillons", ref, "application/json", draft(`{"op":"modifier_lieu","lieu":`+changed+`,"version_base":1}`))
		if code != 201 {
			t.Fatalf("a second modifier_lieu dossier: %d %s", code, b)
		}
		json.Unmarshal(b, &dr)
		send(t, app, "POST", "/api/v1/brouillons/"+dr.ID+"/soumettre", ref, "application/json", `{"version":1}`)
		if code, b = send(t, app, "POST", "/api/v1/brouillons/"+dr.ID+"/valider", admin, "application/json", `{}`); code != 409 || !strings.Contains(string(b), "version actuelle 2") {
			t.Errorf("a stale modifier_lieu: got %d %s, want 409 naming version 2", code, b)
		}
	})

	// Closing the lieu puts the unit back at its EG's address.
	var lf ror.Fiche
	get(t, app, "/api/v1/eg/"+eg, &lf)
	li := slices.IndexFunc(lf.Lieux, func(l ror.LieuRef) bool { return l.ID == lieuID })
	publish(draft(fmt.Sprintf(`{"op":"fermer_lieu","lieu":{"id":%q,"finess_eg":%q},"version_base":%d}`, lieuID, eg, lf.Lieux[li].Version)))
	t.Run("a closed lieu no longer places the unit", func(t *testing.T) {
		row := search(stAlban)
		if row.Lieu != nil || row.DistanceKm == nil || *row.DistanceKm < 25 {
			t.Errorf("from Saint-Alban after closing: %v km, lieu %+v; want the EG's 30 km", row.DistanceKm, row.Lieu)
		}
	})
}
