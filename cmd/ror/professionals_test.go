package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/internal/wire"
	"github.com/ror-recherche/ror/store"
)

// proSearch is what the page reads of a search's professionals.
type proSearch struct {
	Pros struct {
		Source    string `json:"source"`
		Resultats []struct {
			Nom        string   `json:"nom"`
			DistanceKm *float64 `json:"distance_km"`
			DureeMin   *int     `json:"duree_min"`
			Domicile   bool     `json:"se_deplace_a_domicile"`
			Pros       []struct {
				RPPS string `json:"rpps"`
				Nom  string `json:"nom"`
			} `json:"professionnels"`
		} `json:"resultats"`
	} `json:"professionnels"`
}

func (p proSearch) order() []string {
	var out []string
	for _, r := range p.Pros.Resultats {
		for _, pr := range r.Pros {
			out = append(out, pr.RPPS)
		}
	}
	return out
}

// northOf moves (lat, lon) km northwards.
func northOf(lat, lon, km float64) (float64, float64) { return lat + km/111.195, lon }

// The seed 003 case end to end on the real data: three kinés describe
// themselves through the API (signed in with their accounts), a
// coordinator searches « kiné respiratoire » from Mantes-la-Jolie.
func TestProfessionalsDescribeThemselvesAndAreFound(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	mantes, ok := app.svc.Pros.Gazetteer().Commune("78361")
	if !ok {
		t.Fatal("Mantes-la-Jolie is not in the gazetteer")
	}
	type kine struct {
		rpps, account, nom string
		km                 float64
		activites, modes   []string
		zoneKm             float64
	}
	kines := []kine{
		{"899990000201", "Kiné Premier", "PREMIER", 0.5, []string{"339", "419"}, []string{"03", "05"}, 10},
		{"899990000202", "Kiné Deuxième", "DEUXIEME", 2, []string{"339"}, []string{"03", "05"}, 10},
		{"899990000203", "Kiné Troisième", "TROISIEME", 15, []string{"419"}, []string{"03"}, 0},
	}
	for _, k := range kines {
		if err := app.db.Accounts().CreateUser(ctx, ror.Account{Name: k.account, Role: ror.RoleProfessionnel, Scope: []string{k.rpps}}, "kine-de-mantes-2026", "test"); err != nil {
			t.Fatal(err)
		}
		b := newBrowserClient(t, app)
		if code, out := b.signIn(k.account, "kine-de-mantes-2026"); code != 200 {
			t.Fatalf("sign-in %s: %d %s", k.account, code, out)
		}
		if code, out := b.do("GET", "/api/v1/mon-offre", "", false); code != 404 || !strings.Contains(string(out), "pas encore dans le répertoire") {
			t.Errorf("before describing: %d %s, want 404 saying the RPPS number is not in the directory yet", code, out)
		}
		lat, lon := northOf(mantes.Point.Lat, mantes.Point.Lon, k.km)
		offer := map[string]any{"nom": k.nom, "prenom": "Test", "civilite": "MME", "profession": "70",
			"type_offre": "195", "activites": k.activites, "actes": []string{}, "publics": []string{}, "competences": []string{}, "modes": k.modes,
			"equipements": []string{}, "zone_km": k.zoneKm, "commune": "78361", "telephone": "0130000000",
			"position": map[string]float64{"lat": lat, "lon": lon}}
		body, _ := json.Marshal(offer)
		// « Mon offre (1/2) »: a code out of the nomenclature's lists is refused, naming the field.
		bad := strings.Replace(string(body), `"activites":["`, `"activites":["9999","`, 1)
		if code, out := b.do("POST", "/api/v1/mon-offre/verification?etape=1", bad, true); code != 400 || !strings.Contains(string(out), `"pointer":"/activites"`) {
			t.Errorf("step 1 with code 9999: %d %s, want 400 naming /activites", code, out)
		}
		if code, out := b.do("POST", "/api/v1/mon-offre/verification?etape=1", string(body), true); code != 200 {
			t.Errorf("step 1: %d %s", code, out)
		}
		// Without the CSRF token a write is refused.
		if code, _ := b.do("PUT", "/api/v1/mon-offre", string(body), false); code != 403 {
			t.Errorf("PUT without CSRF: %d, want 403", code)
		}
		if code, out := b.do("PUT", "/api/v1/mon-offre", string(body), true); code != 200 {
			t.Fatalf("PUT /mon-offre %s: %d %s", k.account, code, out)
		}
		if code, out := b.do("GET", "/api/v1/mon-offre", "", false); code != 200 || !strings.Contains(string(out), `"source":"déclaré"`) {
			t.Errorf("after describing: %d %s", code, out)
		}
		if log, err := app.db.Offer().Changes(ctx, k.rpps, 5); err != nil || len(log) != 1 || log[0].Author != k.account || log[0].Kind != "professionnel" {
			t.Errorf("audit of %s: %+v %v", k.rpps, log, err)
		}
	}
	// A coordinator (no account: reads are open) searches « Tout le ROR ».
	want := []string{"899990000201", "899990000203"}
	for _, dans := range []string{"tout", "professionnels"} {
		var res proSearch
		resp := get(t, app, "/api/v1/search?ou=insee:78361&rayon=30&dans="+dans+"&q="+url.QueryEscape("kiné respiratoire"), &res)
		if resp.StatusCode != 200 {
			t.Fatalf("dans=%s: %d", dans, resp.StatusCode)
		}
		if got := res.order(); !slices.Equal(got, want) {
			t.Errorf("dans=%s: professionals %v, want %v (the second, without orientation respiratoire, never)", dans, got, want)
			continue
		}
		first, third := res.Pros.Resultats[0], res.Pros.Resultats[1]
		if !first.Domicile || third.Domicile {
			t.Errorf("dans=%s: « se déplace à domicile » first %v third %v, want the first only", dans, first.Domicile, third.Domicile)
		}
		if first.DistanceKm == nil || *first.DistanceKm > 1 || third.DistanceKm == nil || *third.DistanceKm < 14 || third.DureeMin == nil || *third.DureeMin < 10 {
			t.Errorf("dans=%s: km and minutes %v %v %v", dans, first.DistanceKm, third.DistanceKm, third.DureeMin)
		}
		// The real data has no RPPS extract: the page says so.
		if !strings.Contains(res.Pros.Source, "Aucune extraction RPPS") {
			t.Errorf("dans=%s: source %q", dans, res.Pros.Source)
		}
	}
	// Typing « respir » in « Rechercher dans » Professionnels suggests the
	// orientation the kinés declared; picking it is the refine panel's
	// filter, which finds the same two, the panel counting them.
	var sugg struct {
		Suggestions []struct{ Dans, Code, Label string } `json:"suggestions"`
	}
	get(t, app, "/api/v1/suggestions?dans=professionnels&q=respir", &sugg)
	if i := slices.IndexFunc(sugg.Suggestions, func(s struct{ Dans, Code, Label string }) bool { return s.Code == "specificite:J17:419" }); i < 0 || !strings.Contains(sugg.Suggestions[i].Label, "Respiratoire") {
		t.Errorf("suggestions for « respir »: %+v, want specificite:J17:419 « Kinésithérapie orientation Respiratoire »", sugg.Suggestions)
	}
	get(t, app, "/api/v1/suggestions?dans=professionnels&q=kine", &sugg)
	if !slices.ContainsFunc(sugg.Suggestions, func(s struct{ Dans, Code, Label string }) bool { return s.Code == "profession:70" }) {
		t.Errorf("suggestions for « kine »: %+v, want the profession 70", sugg.Suggestions)
	}
	var byFacet struct {
		proSearch
		Facettes []struct {
			Facette string `json:"facette"`
			Valeurs []struct {
				Code   string `json:"code"`
				Nombre int    `json:"nombre"`
				On     bool   `json:"selectionne"`
			} `json:"valeurs"`
		} `json:"facettes"`
	}
	get(t, app, "/api/v1/search?ou=insee:78361&rayon=30&dans=professionnels&specificite=J17:419", &byFacet)
	if got := byFacet.order(); !slices.Equal(got, want) {
		t.Errorf("specificite=J17:419 within 30 km: %v, want %v", got, want)
	}
	ticked := false
	for _, f := range byFacet.Facettes {
		for _, v := range f.Valeurs {
			if f.Facette == "specificite" && v.Code == "J17:419" {
				ticked = v.On && v.Nombre == 2
			}
		}
	}
	if !ticked {
		t.Errorf("the refine panel does not show J17:419 ticked with 2: %+v", byFacet.Facettes)
	}
	// FHIR: the same search as PractitionerRole.
	q := fmt.Sprintf("/fhir/PractitionerRole?role=%s&specialty=%s&near=%.5f|%.5f|50|km&_include=PractitionerRole:practitioner",
		url.QueryEscape("https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante|70"),
		url.QueryEscape("https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle|419"), mantes.Point.Lat, mantes.Point.Lon)
	var bundle struct {
		Total int `json:"total"`
		Entry []struct {
			Resource struct {
				ResourceType string `json:"resourceType"`
				ID           string `json:"id"`
				Practitioner struct {
					Reference string `json:"reference"`
				} `json:"practitioner"`
				Contained []struct {
					Characteristic []struct {
						Coding []struct{ Code string } `json:"coding"`
					} `json:"characteristic"`
				} `json:"contained"`
				Meta struct {
					Profile []string `json:"profile"`
				} `json:"meta"`
			} `json:"resource"`
			Search struct{ Mode string } `json:"search"`
		} `json:"entry"`
	}
	if resp := get(t, app, q, &bundle); resp.StatusCode != 200 {
		t.Fatalf("FHIR: %d", resp.StatusCode)
	}
	var roles, practitioners []string
	homeVisit := map[string]bool{}
	for _, e := range bundle.Entry {
		switch e.Resource.ResourceType {
		case "PractitionerRole":
			ref := strings.TrimPrefix(e.Resource.Practitioner.Reference, "Practitioner/")
			roles = append(roles, ref)
			for _, c := range e.Resource.Contained {
				for _, ch := range c.Characteristic {
					for _, cd := range ch.Coding {
						homeVisit[ref] = homeVisit[ref] || cd.Code == "05"
					}
				}
			}
			if !slices.Contains(e.Resource.Meta.Profile, "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-practitionerrole") {
				t.Errorf("role %s profile %v", e.Resource.ID, e.Resource.Meta.Profile)
			}
		case "Practitioner":
			practitioners = append(practitioners, e.Resource.ID)
		}
	}
	if !slices.Equal(roles, want) || bundle.Total != 2 || !slices.Equal(practitioners, want) || !homeVisit[want[0]] || homeVisit[want[1]] {
		t.Errorf("FHIR roles %v (total %d), practitioners %v, home visits %v; want %v, the first with visite à domicile", roles, bundle.Total, practitioners, homeVisit, want)
	}
	if resp := get(t, app, "/fhir/PractitionerRole?role=oops|70", nil); resp.StatusCode != 400 {
		t.Errorf("bad system: %d, want 400", resp.StatusCode)
	}
	// The Bulk Data export holds them: each kiné once as a Practitioner,
	// once per place as a PractitionerRole, the same roles as a search.
	files := runExportTest(t, app, "/fhir/$export?_type=Practitioner,PractitionerRole")
	for _, k := range kines {
		for typ, want := range map[string]int{"Practitioner": 1, "PractitionerRole": 1} {
			n := 0
			for _, line := range strings.Split(strings.TrimSpace(string(files[typ])), "\n") {
				var r struct {
					ResourceType string                     `json:"resourceType"`
					ID           string                     `json:"id"`
					Practitioner struct{ Reference string } `json:"practitioner"`
				}
				if err := json.Unmarshal([]byte(line), &r); err != nil {
					t.Fatalf("%s.ndjson: %v in %.200s", typ, err, line)
				}
				if r.ResourceType != typ {
					t.Errorf("%s.ndjson holds a %s", typ, r.ResourceType)
				}
				if r.ID == k.rpps || r.Practitioner.Reference == "Practitioner/"+k.rpps {
					n++
				}
			}
			if n != want {
				t.Errorf("export: %d %s for %s, want %d", n, typ, k.rpps, want)
			}
		}
	}

	// A report of an anomaly reaches the professional.
	b := newBrowserClient(t, app)
	code, out := b.do("POST", "/api/v1/professionnels/899990000203/anomalies", `{"champ":"telephone","description":"Le numéro ne répond plus.","email":"coord@example.org"}`, false)
	if code != 201 {
		t.Fatalf("report: %d %s", code, out)
	}
	b.signIn("Kiné Troisième", "kine-de-mantes-2026")
	if code, out := b.do("GET", "/api/v1/mon-offre/signalements", "", false); code != 200 || !strings.Contains(string(out), "Le numéro ne répond plus.") {
		t.Errorf("the professional's reports: %d %s", code, out)
	}
	// Another professional's account does not see them.
	b2 := newBrowserClient(t, app)
	b2.signIn("Kiné Premier", "kine-de-mantes-2026")
	if _, out := b2.do("GET", "/api/v1/mon-offre/signalements", "", false); strings.Contains(string(out), "ne répond plus") {
		t.Errorf("another professional sees the report: %s", out)
	}

	// The RPPS fixture imports into the same store: its unreadable lines
	// are reported with their number, nothing else is lost, and the
	// professionals who described themselves stay as they did.
	offer, err := app.db.Offer().LoadOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := wire.ImportRPPS(ctx, app.db, filepath.Join("..", "..", "data", "testdata", "PS_LibreAcces_Personne_activite_fixture.txt"), offer.Communes, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Malformed) != 2 || rep.Malformed[0].Line != 9 || rep.Malformed[1].Line != 10 || rep.Professionals != 4 {
		t.Errorf("report %+v", rep)
	}
	list, err := store.NewProStore(app.db).Professionals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	app.svc.Pros.Replace(list)
	var res proSearch
	get(t, app, "/api/v1/search?ou=insee:78361&rayon=30&dans=tout&q="+url.QueryEscape("kiné respiratoire"), &res)
	if got := res.order(); !slices.Equal(got, want) {
		t.Errorf("after the RPPS import: %v, want %v", got, want)
	}
	var mureaux proSearch
	if resp := get(t, app, "/api/v1/search?ou=insee:78440&dans=professionnels&q=kine", &mureaux); resp.StatusCode != 200 {
		t.Errorf("Les Mureaux: %d", resp.StatusCode)
	}
	res = mureaux
	if got := res.order(); !slices.Contains(got, "899990000008") || !strings.Contains(res.Pros.Source, "Annuaire Santé") {
		t.Errorf("the fixture's kiné after the unreadable lines: %v (source %q)", got, res.Pros.Source)
	}
}
