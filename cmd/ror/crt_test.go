package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"

	"github.com/ror-recherche/ror"
)

// TestReferentDeclaresCRT: a Centre de ressources territorial (J238 136,
// created in 2022) is in no source of 2021, so no rule guesses one (seed 001:
// « EHPAD porteurs de CRT »). An EHPAD's référent declares it by a dossier,
// an administrator validates it, and a coordinator then finds it by its type
// from the commune, told as validated by the dossier — not as derived.
func TestReferentDeclaresCRT(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	type unit struct {
		ID         string                `json:"id"`
		TypeUO     struct{ Code string } `json:"type_uo"`
		Provenance struct {
			Type, Regle, Source string
		} `json:"provenance"`
		ProvenanceLib string `json:"provenance_libelle"`
	}
	type results struct {
		Etablissements []struct {
			FINESS    string                `json:"finess"`
			Categorie struct{ Code string } `json:"categorie"`
			UO        []unit                `json:"uo"`
		} `json:"etablissements"`
	}
	const crtQuery = "/api/v1/search?ou=91228&dans=types-uo&code=136"
	var before results
	get(t, app, crtQuery, &before)
	for _, e := range before.Etablissements {
		for _, u := range e.UO {
			if u.Provenance.Type == ror.ProvenanceDerivee {
				t.Errorf("%s: a CRT derived by rule %q: no source of 2021 says so", u.ID, u.Provenance.Regle)
			}
		}
	}
	// The nearest EHPAD of Évry (hébergement permanent, FINESS category 500).
	var ehpads results
	get(t, app, "/api/v1/search?ou=91228&dans=types-uo&code=21", &ehpads)
	eg := ""
	for _, e := range ehpads.Etablissements {
		if e.Categorie.Code == "500" {
			eg = e.FINESS
			break
		}
	}
	if eg == "" {
		t.Fatal("no EHPAD (category 500) near Évry")
	}
	for _, e := range before.Etablissements {
		if e.FINESS == eg {
			t.Fatalf("%s has a CRT before any dossier: %+v", eg, e.UO)
		}
	}
	admin, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Admin CRT", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Référente EHPAD CRT", Role: ror.RoleReferent, Scope: []string{eg}})
	if err != nil {
		t.Fatal(err)
	}
	id := eg + "-CRT"
	crt := `{"id":"` + id + `","finess_eg":"` + eg + `","nom":"Centre de ressources territorial — accompagnement renforcé à domicile",` +
		`"type_uo":"136","champ_activite":"04","modes":["49"],"publics":["01"],"patientele":{"adulte":true,"age_min":60},"statut":"actif"}`
	var dr ror.Draft
	call := func(method, path, tok, body string) {
		t.Helper()
		code, b := send(t, app, method, path, tok, "application/json", body)
		if code >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, code, b)
		}
		dr = ror.Draft{}
		json.Unmarshal(b, &dr)
	}
	call("POST", "/api/v1/brouillons", ref, `{"finess_eg":"`+eg+`","operations":[{"op":"creer_uo","uo":`+crt+`}]}`)
	call("POST", "/api/v1/brouillons/"+dr.ID+"/soumettre", ref, `{"version":`+strconv.Itoa(dr.Version)+`}`)
	dossier := dr.ID
	var pending results
	get(t, app, crtQuery, &pending)
	for _, e := range pending.Etablissements {
		if e.FINESS == eg {
			t.Fatalf("a submitted, not yet validated, dossier is served: %+v", e.UO)
		}
	}
	call("POST", "/api/v1/brouillons/"+dossier+"/valider", admin, `{}`)
	if dr.Status != ror.DraftPublished {
		t.Fatalf("after validation: %+v", dr)
	}
	var after results
	get(t, app, crtQuery, &after)
	found := false
	for _, e := range after.Etablissements {
		for _, u := range e.UO {
			if u.ID != id {
				continue
			}
			found = true
			if u.TypeUO.Code != "136" || u.Provenance.Type != ror.ProvenanceValidee || u.Provenance.Source != "dossier "+dossier ||
				u.ProvenanceLib != "description validée par l'établissement" {
				t.Errorf("the CRT found as %+v, want type 136 validated by dossier %s", u, dossier)
			}
		}
	}
	if !found {
		t.Fatalf("the validated CRT of %s is not found by its type from Évry: %+v", eg, after.Etablissements)
	}
	var fiche struct {
		UO []unit `json:"uo"`
	}
	get(t, app, "/api/v1/eg/"+eg, &fiche)
	kinds := map[string]string{}
	for _, u := range fiche.UO {
		kinds[u.ID] = u.Provenance.Type
	}
	if kinds[id] != ror.ProvenanceValidee || kinds[eg+"-EHPAD"] != ror.ProvenanceDerivee {
		t.Errorf("fiche of %s: provenances %v, want the CRT validated and the derived hébergement still derived", eg, fmt.Sprint(kinds))
	}
}
