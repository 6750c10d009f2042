package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

func TestDraftCycle(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	mk := func(name string, role ror.Role, scope ...string) string {
		tok, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: name, Role: role, Scope: scope})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	admin := mk("Admin GRADeS", ror.RoleAdmin)
	ref := mk("Référente Bourg", ror.RoleReferent, "010780054") // scope by EJ
	other := mk("Référent Belley", ror.RoleReferent, "010000032")
	lecteur := mk("Lectrice", ror.RoleLecteur)

	newUO := `{"id":"010000024-R1","finess_eg":"010000024","nom":"Consultation obésité de l'enfant","type_uo":"167","champ_activite":"01","activites":["099"],"patientele":{"enfant":true},"statut":"actif"}`
	// Based on the EG's version as published now: other tests of the
	// package may have published a change of it before.
	var fiche struct{ Version int }
	get(t, app, "/api/v1/eg/010000024", &fiche)
	body := `{"finess_eg":"010000024","operations":[{"op":"creer_uo","uo":` + newUO + `},{"op":"modifier_eg","eg":{"telephone":"0474454600","email":"accueil@ch-bourg.example","horaires":"Lun–ven 8h–18h"},"version_base":` + strconv.Itoa(fiche.Version) + `}]}`
	var dr ror.Draft
	call := func(method, path, tok, body string, want int) {
		t.Helper()
		code, b := send(t, app, method, path, tok, "application/json", body)
		if code != want {
			t.Fatalf("%s %s: got %d %s, want %d", method, path, code, b, want)
		}
		if code < 300 {
			dr = ror.Draft{}
			json.Unmarshal(b, &dr)
		}
	}
	t.Run("who may open a dossier", func(t *testing.T) {
		call("POST", "/api/v1/brouillons", other, body, 403)
		call("POST", "/api/v1/brouillons", lecteur, body, 403)
		call("POST", "/api/v1/brouillons", "", body, 401)
		bad := strings.Replace(body, `"type_uo":"167"`, `"type_uo":"9999"`, 1)
		code, b := send(t, app, "POST", "/api/v1/brouillons", ref, "application/json", bad)
		if code != 400 || !strings.Contains(string(b), "/operations/0/uo/type_uo") {
			t.Errorf("an unknown code: got %d %s, want 400 naming /operations/0/uo/type_uo", code, b)
		}
	})
	call("POST", "/api/v1/brouillons", ref, body, 201)
	id := dr.ID
	if dr.Status != ror.DraftOpen || dr.Version != 1 {
		t.Fatalf("new draft %+v", dr)
	}
	t.Run("an edit based on an old version is a 409", func(t *testing.T) {
		stale := strings.Replace(body, `{"finess_eg"`, `{"version":0,"finess_eg"`, 1)
		call("PUT", "/api/v1/brouillons/"+id, ref, stale, 409)
	})
	call("POST", "/api/v1/brouillons/"+id+"/soumettre", ref, `{"version":1}`, 200)
	t.Run("a référent does not validate", func(t *testing.T) {
		call("POST", "/api/v1/brouillons/"+id+"/valider", ref, `{}`, 403)
	})
	call("POST", "/api/v1/brouillons/"+id+"/rejeter", admin, `{"motif":"Préciser les horaires"}`, 200)
	if dr.Status != ror.DraftRejected || dr.Reason == "" {
		t.Fatalf("after reject: %+v", dr)
	}
	edited := strings.Replace(body, `{"finess_eg"`, fmt.Sprintf(`{"version":%d,"finess_eg"`, dr.Version), 1)
	edited = strings.Replace(edited, "8h–18h", "8h–19h", 1)
	call("PUT", "/api/v1/brouillons/"+id, ref, edited, 200)
	call("POST", "/api/v1/brouillons/"+id+"/soumettre", ref, fmt.Sprintf(`{"version":%d}`, dr.Version), 200)
	call("POST", "/api/v1/brouillons/"+id+"/valider", admin, `{}`, 200)
	if dr.Status != ror.DraftPublished {
		t.Fatalf("after validation: %+v", dr)
	}
	t.Run("the published unit is searchable at once and the fiche shows the new contacts", func(t *testing.T) {
		var s searchResp
		get(t, app, "/api/v1/search?ou=01053&dans=types-uo&code=167", &s)
		found := false
		for _, eg := range s.Etablissements {
			for _, u := range eg.UO {
				found = found || u.TypeUO.Code == "167" && eg.FINESS == "010000024"
			}
		}
		if !found {
			t.Error("the new unit is not found by its type")
		}
		var f ror.Fiche
		get(t, app, "/api/v1/eg/010000024", &f)
		if f.Phone != "0474454600" || f.Validated.IsZero() || f.ToReview {
			t.Errorf("fiche: phone %s, validated %v, to review %v", f.Phone, f.Validated, f.ToReview)
		}
		// what the référent needs to base the next dossier on: the contacts and the versions
		if f.Email != "accueil@ch-bourg.example" || f.Horaires != "Lun–ven 8h–19h" || f.Version < 2 {
			t.Errorf("fiche: email %q, horaires %q, version %d; want the published contacts at version ≥ 2", f.Email, f.Horaires, f.Version)
		}
		for _, u := range f.UOs {
			if u.ID == "010000024-R1" && u.Version < 1 {
				t.Errorf("the new unit's version is %d, want ≥ 1", u.Version)
			}
		}
		code, b := send(t, app, "GET", "/api/v1/eg/010000024/historique", ref, "", "")
		if code != 200 || !strings.Contains(string(b), "010000024-R1") || !strings.Contains(string(b), "Admin GRADeS") {
			t.Errorf("history: %d %.300s", code, b)
		}
	})
	t.Run("validating an edit of a unit that moved since is a 409", func(t *testing.T) {
		mod := `{"finess_eg":"010000024","operations":[{"op":"modifier_uo","uo":` + strings.Replace(newUO, "de l'enfant", "pédiatrique", 1) + `,"version_base":0}]}`
		call("POST", "/api/v1/brouillons", ref, mod, 201)
		id2 := dr.ID
		call("POST", "/api/v1/brouillons/"+id2+"/soumettre", ref, `{"version":1}`, 200)
		code, b := send(t, app, "POST", "/api/v1/brouillons/"+id2+"/valider", admin, "application/json", `{}`)
		if code != 409 || !strings.Contains(string(b), "version actuelle 1") {
			t.Errorf("got %d %s, want 409 with the current version", code, b)
		}
	})
}

// TestDossierNeverSetsBeds: a référent's creer_uo carrying 500 free beds by
// « ARS officielle » dated 2099 publishes a unit whose capacity is
// « Saisie non activée »; an id outside the importer's shape is a 400.
func TestDossierNeverSetsBeds(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	admin, _ := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Admin Lits Dossier", Role: ror.RoleAdmin})
	ref, _ := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Référent Lits Dossier", Role: ror.RoleReferent, Scope: []string{"010000024"}})
	fake := `"capacite":{"lits_installes":500,"lits_disponibles":500,"renseigne":true,"maj":"2099-01-01T00:00:00Z","auteur":"ARS officielle"}`
	unit := func(id string) string {
		return `{"finess_eg":"010000024","operations":[{"op":"creer_uo","uo":{"id":"` + id + `","finess_eg":"010000024","nom":"Réanimation fictive","type_uo":"121","champ_activite":"01","statut":"actif",` + fake + `,"maj":"2099-01-01T00:00:00Z"}}]}`
	}
	for _, id := range []string{"010000024-X/../../Y", "010000024-", "010000032-REA2", "010000024-rea", "../010000024-A"} {
		code, b := send(t, app, "POST", "/api/v1/brouillons", ref, "application/json", unit(id))
		if code != 400 || !strings.Contains(string(b), "/operations/0/uo/id") {
			t.Errorf("id %q: got %d %s, want 400 naming /operations/0/uo/id", id, code, b)
		}
	}
	code, b := send(t, app, "POST", "/api/v1/brouillons", ref, "application/json", unit("010000024-FAUX"))
	var dr ror.Draft
	json.Unmarshal(b, &dr)
	if code != 201 {
		t.Fatalf("got %d %s", code, b)
	}
	if code, b := send(t, app, "POST", "/api/v1/brouillons/"+dr.ID+"/soumettre", ref, "application/json", fmt.Sprintf(`{"version":%d}`, dr.Version)); code != 200 {
		t.Fatalf("submit: %d %s", code, b)
	}
	if code, b := send(t, app, "POST", "/api/v1/brouillons/"+dr.ID+"/valider", admin, "application/json", `{}`); code != 200 {
		t.Fatalf("validate: %d %s", code, b)
	}
	var n nearResp
	get(t, app, "/api/v1/proximite?ou=01053&type_uo=121&lits_disponibles=400&limit=5", &n)
	for _, r := range n.Resultats {
		if r.UO.ID == "010000024-FAUX" {
			t.Errorf("the dossier's 500 beds are served: %+v", r)
		}
	}
	var f struct {
		UO []struct {
			ID       string `json:"id"`
			Capacite *struct {
				Renseigne bool   `json:"renseigne"`
				Auteur    string `json:"auteur"`
			} `json:"capacite"`
			Maj string `json:"maj"`
		} `json:"uo"`
	}
	get(t, app, "/api/v1/eg/010000024", &f)
	found := false
	for _, u := range f.UO {
		if u.ID == "010000024-FAUX" {
			found = true
			if (u.Capacite != nil && (u.Capacite.Renseigne || u.Capacite.Auteur != "")) || strings.HasPrefix(u.Maj, "2099") {
				t.Errorf("the new unit carries the dossier's beds, author or date: %+v", u)
			}
		}
	}
	if !found {
		t.Error("the new unit is not on the fiche")
	}
}
