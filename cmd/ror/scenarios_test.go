package main

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror"

	"github.com/ror-recherche/ror/data"
)

// A scenario is a coordinator's search from the seeds, as data
// (testdata/scenarios/*.json): where from, what is typed, the suggestion
// picked, and what a user checks in the answer.
type scenario struct {
	Nom         string `json:"nom"`
	Seed        string `json:"seed"`
	Ou          string `json:"ou"`
	Dans        string `json:"dans"`
	Tape        string `json:"tape"`
	Suggestions []pick `json:"suggestions_attendues"`
	// PremiereSuggestion is the first suggestion for what is typed (a word
	// as typed before any typo: « pédiatrie » → Pédiatrie, not Gériatrie).
	PremiereSuggestion *pick `json:"premiere_suggestion"`
	// CommuneSuggeree is the INSEE code of the first commune « Où ? »
	// suggests for ou as typed (« Y », « 2A004 », « Nice (06000) »).
	CommuneSuggeree string `json:"commune_suggeree"`
	// Choix is the suggestion picked; without one, the text as typed is
	// searched (q=), as an API client may.
	Choix     *pick   `json:"choix"`
	Rayon     float64 `json:"rayon"` // km around ou, 0: none
	Proximite *struct {
		Besoin string `json:"besoin"`
	} `json:"proximite"`
	// Dossiers are published before the search (opened by a référent of
	// their EG, validated by an administrator), Apres after the checks, to
	// leave the shared offer as it was.
	Dossiers []json.RawMessage `json:"dossiers"`
	Apres    []json.RawMessage `json:"apres"`
	Attend   struct {
		AuMoins       int      `json:"au_moins"`      // établissements on the first page (15 at most)
		Types         []string `json:"types"`         // every listed unit is of one of these types
		UnTypeParmi   string   `json:"un_type_parmi"` // at least one listed unit is of this type
		TriDistance   bool     `json:"tri_distance"`  // nearest first
		TriDuree      bool     `json:"tri_duree"`     // quickest first
		KmEtMin       bool     `json:"km_et_min"`     // every row says km and minutes
		PremierAKm    float64  `json:"premier_a_km"`  // the first within this distance
		PremierDep    string   `json:"premier_departement"`
		PremierCom    string   `json:"premier_commune"`
		IntervientA   string   `json:"intervient_a"` // at least au_moins units intervene at this commune (at their base's distance, in the distance order)
		ListeCSO      bool     `json:"liste_cso"`    // every établissement is a site of the official CSO list
		SaisieNonAct  bool     `json:"saisie_non_activee"`
		AuMoinsDansKm *struct {
			Km float64 `json:"km"`
			N  int     `json:"n"`
		} `json:"au_moins_dans_km"`
		Fiche *struct {
			Premiers   int    `json:"premiers"`
			Liste      string `json:"liste"`
			Code       string `json:"code"`
			Provenance string `json:"provenance"`
		} `json:"fiche"` // the fiches of the first results show a unit with this code and its provenance
		AucuneUO *struct {
			Nom, Departement string
		} `json:"aucune_uo_nommee"`
		// Lieu: the établissement is listed, measured to this lieu de
		// réalisation (named in its row), within km_max.
		Lieu *struct {
			FINESS string  `json:"finess"`
			Lieu   string  `json:"lieu"`
			KmMax  float64 `json:"km_max"`
		} `json:"lieu"`
		CommuneResolue string   `json:"commune_resolue"` // the INSEE code the search measured from
		LibelleOrigine string   `json:"libelle_origine"` // and the label it shows (« Paris », not « Paris (75001) »)
		FINESS         []string `json:"finess_attendus"` // each on the first page
		// UniteMobile: a mobile unit of this type, on its établissement's
		// one row, at its base's real distance (km_min–km_max) and time,
		// saying « intervient à <commune> ».
		UniteMobile *struct {
			FINESS      string  `json:"finess"`
			Type        string  `json:"type"`
			KmMin       float64 `json:"km_min"`
			KmMax       float64 `json:"km_max"`
			IntervientA string  `json:"intervient_a"`
			AvecAutres  bool    `json:"avec_autres_unites"` // the row also lists a unit that does not move
		} `json:"unite_mobile"`
		// at least one listed unit has this name in this département (a unit
		// that only a source's words give, such as « Hébergement temporaire »)
		UneUO *struct {
			Nom, Departement string
		} `json:"une_uo_nommee"`
	} `json:"attend"`
}

type pick struct {
	Dans string `json:"dans"`
	Code string `json:"code"`
}

type scenarioRow struct {
	FINESS      string                 `json:"finess"`
	Nom         string                 `json:"nom"`
	Departement struct{ Code string }  `json:"departement"`
	Commune     struct{ INSEE string } `json:"commune"`
	DistanceKm  *float64               `json:"distance_km"`
	DureeMin    *int                   `json:"duree_min"`
	Lieu        *struct{ ID string }   `json:"lieu"`
	UO          []struct {
		ID            string                `json:"id"`
		Nom           string                `json:"nom"`
		TypeUO        struct{ Code string } `json:"type_uo"`
		Disponibilite string                `json:"disponibilite"`
		IntervientA   string                `json:"intervient_a"`
	} `json:"uo"`
}

func TestSeedScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenario in testdata/scenarios: %v", err)
	}
	app := sharedApp(t)
	sites, err := data.CSOSites()
	if err != nil {
		t.Fatal(err)
	}
	cso := map[string]bool{}
	for _, s := range sites {
		cso[s.FINESS] = true
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var sc scenario
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&sc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if sc.Seed == "" {
			t.Fatalf("%s names no seed or reason", f)
		}
		t.Run(strings.TrimSuffix(filepath.Base(f), ".json"), func(t *testing.T) {
			t.Logf("%s — %s", sc.Nom, sc.Seed)
			publishDossiers(t, app, sc.Dossiers)
			defer publishDossiers(t, app, sc.Apres)
			rows, from := runScenario(t, app, &sc)
			checkScenario(t, app, &sc, rows, from, cso)
		})
	}
}

// origin is the commune an answer measured from, as its summary says.
type origin struct {
	INSEE   string `json:"insee"`
	Libelle string `json:"libelle"`
}

// runScenario types, checks the suggestions, picks one and searches (or
// asks proximité), returning the rows as the list shows them and the
// commune measured from.
func runScenario(t *testing.T, app *App, sc *scenario) ([]scenarioRow, origin) {
	if sc.Proximite != nil {
		var r struct {
			Resultats []struct {
				Etablissement struct {
					FINESS  string                 `json:"finess"`
					Nom     string                 `json:"nom"`
					Commune struct{ INSEE string } `json:"commune"`
				} `json:"etablissement"`
				UO struct {
					ID            string                `json:"id"`
					TypeUO        struct{ Code string } `json:"type_uo"`
					Disponibilite string                `json:"disponibilite"`
				} `json:"uo"`
				DistanceKm float64 `json:"distance_km"`
				DureeMin   int     `json:"duree_min"`
				Lits       any     `json:"lits"`
			} `json:"resultats"`
		}
		q := url.Values{"ou": {sc.Ou}, "besoin": {sc.Proximite.Besoin}, "limit": {"10"}}
		if resp := get(t, app, "/api/v1/proximite?"+q.Encode(), &r); resp.StatusCode != 200 {
			t.Fatalf("proximité: status %d", resp.StatusCode)
		}
		var rows []scenarioRow
		for _, x := range r.Resultats {
			km, min := x.DistanceKm, x.DureeMin
			row := scenarioRow{FINESS: x.Etablissement.FINESS, Nom: x.Etablissement.Nom, DistanceKm: &km, DureeMin: &min}
			row.Commune.INSEE = x.Etablissement.Commune.INSEE
			row.UO = append(row.UO, struct {
				ID            string                `json:"id"`
				Nom           string                `json:"nom"`
				TypeUO        struct{ Code string } `json:"type_uo"`
				Disponibilite string                `json:"disponibilite"`
				IntervientA   string                `json:"intervient_a"`
			}{ID: x.UO.ID, TypeUO: x.UO.TypeUO, Disponibilite: x.UO.Disponibilite})
			if x.Lits != nil {
				t.Errorf("%s: proximité shows beds %v that no write entered", x.UO.ID, x.Lits)
			}
			rows = append(rows, row)
		}
		return rows, origin{}
	}
	if sc.CommuneSuggeree != "" {
		var cs struct {
			Communes []struct{ INSEE string } `json:"communes"`
		}
		get(t, app, "/api/v1/communes?"+url.Values{"q": {sc.Ou}}.Encode(), &cs)
		if len(cs.Communes) == 0 || cs.Communes[0].INSEE != sc.CommuneSuggeree {
			t.Errorf("typing %q in « Où ? » suggests %v first, want %s", sc.Ou, cs.Communes, sc.CommuneSuggeree)
		}
	}
	var sug struct {
		Suggestions []struct {
			pick
			Approche bool   `json:"orthographe_approchee"`
			Label    string `json:"label"`
		} `json:"suggestions"`
	}
	q := url.Values{"q": {sc.Tape}, "dans": {sc.Dans}, "ou": {sc.Ou}}
	get(t, app, "/api/v1/suggestions?"+q.Encode(), &sug)
	var picks []pick
	typo := false
	for _, s := range sug.Suggestions {
		picks = append(picks, s.pick)
		if typo && !s.Approche {
			t.Errorf("typing %q: %s « %s » as typed comes after a typo", sc.Tape, s.Dans, s.Label)
		}
		typo = typo || s.Approche
	}
	for _, want := range sc.Suggestions {
		if !slices.Contains(picks, want) {
			t.Errorf("typing %q in %s does not suggest %s %s: %v", sc.Tape, sc.Dans, want.Dans, want.Code, picks)
		}
	}
	if p := sc.PremiereSuggestion; p != nil && (len(picks) == 0 || picks[0] != *p) {
		t.Errorf("typing %q in %s suggests %v first, want %s %s", sc.Tape, sc.Dans, picks, p.Dans, p.Code)
	}
	if sc.Choix != nil && !slices.Contains(picks, *sc.Choix) {
		t.Fatalf("the pick %v is not among the suggestions", *sc.Choix)
	}
	var r struct {
		Etablissements []scenarioRow `json:"etablissements"`
		Resume         struct {
			Origine origin `json:"origine"`
		} `json:"resume"`
	}
	q = url.Values{"ou": {sc.Ou}, "dans": {sc.Dans}, "q": {sc.Tape}}
	if sc.Choix != nil {
		q = url.Values{"ou": {sc.Ou}, "dans": {sc.Choix.Dans}, "code": {sc.Choix.Code}}
	}
	if sc.Rayon > 0 {
		q.Set("rayon", strconv.FormatFloat(sc.Rayon, 'f', -1, 64))
	}
	if resp := get(t, app, "/api/v1/search?"+q.Encode(), &r); resp.StatusCode != 200 {
		t.Fatalf("search: status %d", resp.StatusCode)
	}
	return r.Etablissements, r.Resume.Origine
}

func checkScenario(t *testing.T, app *App, sc *scenario, rows []scenarioRow, from origin, cso map[string]bool) {
	a := &sc.Attend
	if len(rows) < a.AuMoins {
		t.Fatalf("%d établissements on the first page, want at least %d", len(rows), a.AuMoins)
	}
	if a.CommuneResolue != "" && from.INSEE != a.CommuneResolue {
		t.Errorf("« %s » measured from %s (%s), want %s", sc.Ou, from.INSEE, from.Libelle, a.CommuneResolue)
	}
	if a.LibelleOrigine != "" && from.Libelle != a.LibelleOrigine {
		t.Errorf("« %s » labelled « %s », want « %s »", sc.Ou, from.Libelle, a.LibelleOrigine)
	}
	// Every scenario: an établissement is one row of the page, with all its
	// matching units (its mobile ones too).
	onPage := map[string]bool{}
	for _, r := range rows {
		if onPage[r.FINESS] && sc.Proximite == nil {
			t.Errorf("%s (%s) listed twice on the page", r.Nom, r.FINESS)
		}
		onPage[r.FINESS] = true
	}
	for _, f := range a.FINESS {
		if !onPage[f] {
			t.Errorf("FINESS %s not on the first page", f)
		}
	}
	if m := a.UniteMobile; m != nil {
		checkMobileUnit(t, rows, m.FINESS, m.Type, m.KmMin, m.KmMax, m.IntervientA, m.AvecAutres)
	}
	prevKm, prevMin, within, anyType := -1.0, -1, 0, false
	intervening := 0
	for i, r := range rows {
		if (a.KmEtMin || a.TriDistance || a.TriDuree) && (r.DistanceKm == nil || r.DureeMin == nil) {
			t.Fatalf("%s has no km or minutes", r.Nom)
		}
		if a.TriDistance && *r.DistanceKm < prevKm {
			t.Errorf("%s at %.1f km after %.1f km", r.Nom, *r.DistanceKm, prevKm)
		}
		if a.TriDuree && *r.DureeMin < prevMin {
			t.Errorf("%s at %d min after %d min", r.Nom, *r.DureeMin, prevMin)
		}
		if r.DistanceKm != nil {
			prevKm = *r.DistanceKm
			if a.AuMoinsDansKm != nil && *r.DistanceKm <= a.AuMoinsDansKm.Km {
				within++
			}
		}
		if r.DureeMin != nil {
			prevMin = *r.DureeMin
		}
		if i == 0 {
			if a.PremierAKm > 0 && *r.DistanceKm > a.PremierAKm {
				t.Errorf("the first, %s, is at %.1f km, want within %.0f km", r.Nom, *r.DistanceKm, a.PremierAKm)
			}
			if a.PremierDep != "" && r.Departement.Code != a.PremierDep && !strings.HasPrefix(r.Commune.INSEE, a.PremierDep) {
				t.Errorf("the first, %s, is in département %s, want %s", r.Nom, r.Departement.Code, a.PremierDep)
			}
			if a.PremierCom != "" && r.Commune.INSEE != a.PremierCom {
				t.Errorf("the first, %s, is in commune %s, want %s", r.Nom, r.Commune.INSEE, a.PremierCom)
			}
		}
		if a.ListeCSO && !cso[r.FINESS] {
			t.Errorf("%s (%s) is not a site of the official CSO list", r.Nom, r.FINESS)
		}
		for _, u := range r.UO {
			if len(a.Types) > 0 && !slices.Contains(a.Types, u.TypeUO.Code) {
				t.Errorf("%s: unit %s of type %s, want %v", r.Nom, u.ID, u.TypeUO.Code, a.Types)
			}
			anyType = anyType || u.TypeUO.Code == a.UnTypeParmi
			if a.IntervientA != "" && u.IntervientA == a.IntervientA {
				intervening++
			}
			if u.Disponibilite != "Saisie non activée" && writerOf(t, app, r.FINESS, u.ID) == "" {
				t.Errorf("%s: unit %s shows « %s », no bed manager wrote it", r.Nom, u.ID, u.Disponibilite)
			}
		}
	}
	if a.IntervientA != "" && intervening < a.AuMoins {
		t.Errorf("%d units say they intervene at %s, want at least %d", intervening, a.IntervientA, a.AuMoins)
	}
	if a.UnTypeParmi != "" && !anyType {
		t.Errorf("no unit of type %s on the first page", a.UnTypeParmi)
	}
	if l := a.Lieu; l != nil {
		i := slices.IndexFunc(rows, func(r scenarioRow) bool { return r.FINESS == l.FINESS })
		switch {
		case i < 0:
			t.Errorf("%s is not on the first page", l.FINESS)
		case rows[i].Lieu == nil || rows[i].Lieu.ID != l.Lieu || rows[i].DistanceKm == nil || *rows[i].DistanceKm > l.KmMax:
			t.Errorf("%s: %v km, lieu %+v; want within %.0f km of the lieu %s", l.FINESS, rows[i].DistanceKm, rows[i].Lieu, l.KmMax, l.Lieu)
		}
	}
	if a.AuMoinsDansKm != nil && within < a.AuMoinsDansKm.N {
		t.Errorf("%d établissements within %.0f km, want at least %d", within, a.AuMoinsDansKm.Km, a.AuMoinsDansKm.N)
	}
	if f := a.Fiche; f != nil {
		for _, r := range rows[:min(f.Premiers, len(rows))] {
			var fiche struct {
				UO []map[string]json.RawMessage `json:"uo"`
			}
			get(t, app, "/api/v1/eg/"+r.FINESS, &fiche)
			ok := false
			for _, u := range fiche.UO {
				var codes []struct{ Code string }
				json.Unmarshal(u[f.Liste], &codes)
				var prov struct{ Type string }
				json.Unmarshal(u["provenance"], &prov)
				if slices.ContainsFunc(codes, func(c struct{ Code string }) bool { return c.Code == f.Code }) {
					ok = true
					if prov.Type != f.Provenance {
						t.Errorf("%s: the unit with %s %s has provenance %q, want %q", r.Nom, f.Liste, f.Code, prov.Type, f.Provenance)
					}
				}
			}
			if !ok {
				t.Errorf("the fiche of %s (%s) shows no unit with %s %s", r.Nom, r.FINESS, f.Liste, f.Code)
			}
		}
	}
	if n := a.AucuneUO; n != nil {
		for _, r := range rows {
			for _, u := range r.UO {
				if u.Nom == n.Nom && r.Departement.Code == n.Departement {
					t.Errorf("%s: unit %s « %s » in %s", r.Nom, u.ID, u.Nom, n.Departement)
				}
			}
		}
	}
	if n := a.UneUO; n != nil {
		found := false
		for _, r := range rows {
			for _, u := range r.UO {
				found = found || u.Nom == n.Nom && r.Departement.Code == n.Departement
			}
		}
		if !found {
			t.Errorf("no listed unit « %s » in %s", n.Nom, n.Departement)
		}
	}
}

// writerOf is who wrote the bed figure of a unit, as its fiche says: empty
// when no write entered it (another test of the package may have written
// one, through the API, as a bed manager would).
func writerOf(t *testing.T, app *App, finess, uo string) string {
	t.Helper()
	var f struct {
		UO []struct {
			ID       string `json:"id"`
			Capacite struct {
				Auteur string `json:"auteur"`
			} `json:"capacite"`
		} `json:"uo"`
	}
	get(t, app, "/api/v1/eg/"+finess, &f)
	for _, u := range f.UO {
		if u.ID == uo {
			return u.Capacite.Auteur
		}
	}
	return ""
}

// publishDossiers publishes each dossier as a référent of its EG opens it
// and an administrator validates it.
func publishDossiers(t *testing.T, app *App, dossiers []json.RawMessage) {
	t.Helper()
	for i, raw := range dossiers {
		var d struct {
			EG string `json:"finess_eg"`
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			t.Fatalf("dossier %d: %v", i, err)
		}
		stamp := strconv.FormatInt(time.Now().UnixNano(), 36)
		ref, err := app.db.Accounts().CreateAccount(context.Background(), ror.Account{Name: "Référent scénario " + stamp, Role: ror.RoleReferent, Scope: []string{d.EG}})
		if err != nil {
			t.Fatal(err)
		}
		admin, err := app.db.Accounts().CreateAccount(context.Background(), ror.Account{Name: "Admin scénario " + stamp, Role: ror.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		var dr ror.Draft
		code, b := send(t, app, "POST", "/api/v1/brouillons", ref, "application/json", string(raw))
		json.Unmarshal(b, &dr)
		if code == 201 {
			code, b = send(t, app, "POST", "/api/v1/brouillons/"+dr.ID+"/soumettre", ref, "application/json", `{"version":1}`)
		}
		if code == 200 {
			code, b = send(t, app, "POST", "/api/v1/brouillons/"+dr.ID+"/valider", admin, "application/json", `{}`)
		}
		if code != 200 {
			t.Fatalf("dossier %d: %d %s", i, code, b)
		}
	}
}

// checkMobileUnit finds the row of finess on the page and its unit of type
// typ: at its base's real distance, with minutes, saying « intervient à ».
func checkMobileUnit(t *testing.T, rows []scenarioRow, finess, typ string, kmMin, kmMax float64, at string, withOthers bool) {
	t.Helper()
	for _, r := range rows {
		if r.FINESS != finess {
			continue
		}
		if r.DistanceKm == nil || r.DureeMin == nil || *r.DistanceKm < kmMin || *r.DistanceKm > kmMax || *r.DureeMin == 0 {
			t.Errorf("%s at %v km, %v min; want its base's real distance, %.1f to %.1f km, and minutes", r.Nom, r.DistanceKm, r.DureeMin, kmMin, kmMax)
		}
		mobile, others := false, false
		for _, u := range r.UO {
			if u.TypeUO.Code == typ {
				mobile = true
				if u.IntervientA != at {
					t.Errorf("%s: unit %s says « intervient à %s », want %s", r.Nom, u.ID, u.IntervientA, at)
				}
			} else {
				others = true
			}
		}
		if !mobile {
			t.Errorf("%s: no unit of type %s on its row", r.Nom, typ)
		}
		if withOthers && !others {
			t.Errorf("%s: its other matching units are not on the row of its mobile unit", r.Nom)
		}
		return
	}
	t.Errorf("FINESS %s not on the first page", finess)
}
