package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

// The FHIR API checked the way a consumer of the national guide would: every
// search scenario of the guide's consumer chapter, on the real data, with
// codes that exist in it; each bundle is compared with a brute force over
// the store (Badger), not the index.

const (
	nosR211       = "https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle"
	nosR244       = "https://mos.esante.gouv.fr/NOS/TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation"
	nosR213       = "https://mos.esante.gouv.fr/NOS/TRE_R213-ModePriseEnCharge/FHIR/TRE-R213-ModePriseEnCharge"
	nosR210       = "https://mos.esante.gouv.fr/NOS/TRE_R210-ActeSpecifique/FHIR/TRE-R210-ActeSpecifique"
	nosR212       = "https://mos.esante.gouv.fr/NOS/TRE_R212-Equipement/FHIR/TRE-R212-Equipement"
	nosR66        = "https://mos.esante.gouv.fr/NOS/TRE_R66-CategorieEtablissement/FHIR/TRE-R66-CategorieEtablissement"
	nosR13        = "https://mos.esante.gouv.fr/NOS/TRE_R13-Commune/FHIR/TRE-R13-Commune"
	guideIncludes = "&_include=HealthcareService:organization&_include:iterate=Organization:partof" +
		"&_include=HealthcareService:location&_revinclude=PractitionerRole:service&_include=PractitionerRole:practitioner"
)

type fhirBundle struct {
	ResourceType string `json:"resourceType"`
	Type         string `json:"type"`
	Total        *int   `json:"total"`
	Link         []struct{ Relation, URL string }
	Entry        []struct {
		FullURL  string          `json:"fullUrl"`
		Resource json.RawMessage `json:"resource"`
		Search   struct {
			Mode string `json:"mode"`
		} `json:"search"`
	} `json:"entry"`
}

type fhirRes struct {
	ResourceType string `json:"resourceType"`
	ID           string `json:"id"`
	ProvidedBy   *struct{ Reference string }
	PartOf       *struct{ Reference string }
	Location     []struct{ Reference string }
	Issue        []struct {
		Severity, Code string
		Expression     []string
		Diagnostics    string
	}
}

func fhirGet(t *testing.T, app *App, path string, hdr ...string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+app.Addr()+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/fhir+json") {
		t.Errorf("GET %s: Content-Type %q, want application/fhir+json", path, ct)
	}
	return resp.StatusCode, body
}

// offre is one HealthcareService as the store describes it: a UO through
// one activité and, when it has several modes, one of them.
type offre struct {
	id    string
	uo    *ror.UO
	eg    *ror.EG
	act   string
	mode  string // "" when the UO's modes are not split (none or one)
	first bool   // the UO's first offre, standing for its Location
}

// modes are the modes de prise en charge the offre carries.
func (o offre) modes() []string {
	if o.mode != "" {
		return []string{o.mode}
	}
	return o.uo.Modes
}

// storeOffres lists every offre from Badger: a UO per activité.
func storeOffres(t *testing.T, app *App) ([]offre, *ror.Offer) {
	t.Helper()
	o, err := app.db.Offer().LoadOffer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	egs := map[string]*ror.EG{}
	for i := range o.EGs {
		egs[o.EGs[i].FINESS] = &o.EGs[i]
	}
	var out []offre
	for i := range o.UOs {
		u := &o.UOs[i]
		acts := u.Activites
		if len(acts) == 0 {
			acts = []string{""}
		}
		modes := u.Modes
		if len(modes) <= 1 {
			modes = []string{""}
		}
		for j, a := range acts {
			for k, m := range modes {
				id := u.ID
				if a != "" {
					id += "." + a
				}
				if m != "" {
					id += ".m" + m
				}
				out = append(out, offre{id: id, uo: u, eg: egs[u.EG], act: a, mode: m, first: j == 0 && k == 0})
			}
		}
	}
	return out, o
}

// mostCommon returns the code of field most frequent among offres that pass keep.
func mostCommon(offres []offre, field func(o offre) []string, keep func(o offre) bool) string {
	n := map[string]int{}
	for _, o := range offres {
		if keep == nil || keep(o) {
			for _, c := range field(o) {
				n[c]++
			}
		}
	}
	best, bestN := "", 0
	for c, k := range n {
		if k > bestN || k == bestN && c < best {
			best, bestN = c, k
		}
	}
	return best
}

func TestFHIRGuideScenarios(t *testing.T) {
	app := sharedApp(t)
	offres, offer := storeOffres(t, app)
	communes := map[string]ror.Commune{}
	for _, c := range offer.Communes {
		communes[c.INSEE] = c
	}
	acts := func(o offre) []string { return []string{o.act} }
	types := func(o offre) []string { return []string{o.uo.TypeUO} }
	modes := func(o offre) []string { return o.modes() }
	actes := func(o offre) []string { return o.uo.Actes }
	zone := func(o offre) []string { return o.uo.Zone }
	cats := func(o offre) []string { return []string{o.eg.Category} }

	act1 := "157"
	act2 := mostCommon(offres, acts, func(o offre) bool { return o.act != act1 && o.act != "" })
	type1 := mostCommon(offres, types, nil)
	mode1 := mostCommon(offres, modes, func(o offre) bool { return o.uo.TypeUO == type1 })
	acte1 := mostCommon(offres, actes, nil)
	// A mode and an acte that units have together.
	mode2 := mostCommon(offres, modes, func(o offre) bool { return len(o.uo.Actes) > 0 })
	acte2 := mostCommon(offres, actes, func(o offre) bool { return slices.Contains(o.modes(), mode2) })
	cat1 := mostCommon(offres, cats, func(o offre) bool { return slices.Contains(o.uo.Actes, acte1) })
	type2 := mostCommon(offres, types, func(o offre) bool { return slices.Contains(o.uo.Actes, acte1) && o.eg.Category != cat1 })
	zone1 := mostCommon(offres, zone, nil)
	act013 := "013"
	has := func(list []string, c string) bool { return slices.Contains(list, c) }
	km := func(o offre, insee string) float64 {
		if !o.eg.Point.Valid() {
			return 1e9
		}
		return geo.DistanceKm(communes[insee].Point, o.eg.Point)
	}
	ageOK := func(o offre, age int) bool {
		p := o.uo.Patientele
		return p.AgeMin <= age && (p.AgeMax == 0 || p.AgeMax >= age)
	}
	for _, sc := range []struct {
		name  string
		query string
		want  func(o offre) bool
	}{
		{"1 une valeur", "specialty=" + nosR211 + "|" + act1 + guideIncludes,
			func(o offre) bool { return o.act == act1 }},
		{"2 liste de valeurs", "specialty=" + nosR211 + "|" + act1 + "," + act2 + guideIncludes,
			func(o offre) bool { return o.act == act1 || o.act == act2 }},
		{"3 ET", "service-category=" + nosR244 + "|" + type1 + "&characteristic=" + nosR213 + "|" + mode1 + guideIncludes,
			func(o offre) bool { return o.uo.TypeUO == type1 && has(o.modes(), mode1) }},
		{"4 OU avec _filter et âge", "_filter=" + url.QueryEscape("((service-category eq "+nosR244+"|"+type1+") or (specialty eq "+nosR211+"|"+act1+")) and (age-range-low le 35 and age-range-high ge 35)") + guideIncludes,
			func(o offre) bool { return (o.uo.TypeUO == type1 || o.act == act1) && ageOK(o, 35) }},
		{"5 ET/OU", "_filter=" + url.QueryEscape("(organization.type eq "+nosR66+"|"+cat1+") or (service-category eq "+nosR244+"|"+type2+")") + "&characteristic=" + nosR210 + "|" + acte1 + guideIncludes,
			func(o offre) bool { return (o.eg.Category == cat1 || o.uo.TypeUO == type2) && has(o.uo.Actes, acte1) }},
		{"6 proximité", "specialty=" + nosR211 + "|" + act013 + "&location.near-insee-code=44162|15|km" + guideIncludes,
			func(o offre) bool { return o.act == act013 && km(o, "44162") <= 15 }},
		{"6 proximité lat|lon", "specialty=" + nosR211 + "|" + act1 + "&location:near=48.876|2.361|5|km&_include=HealthcareService:organization",
			func(o offre) bool {
				return o.act == act1 && o.eg.Point.Valid() && geo.DistanceKm(ror.Point{Lat: 48.876, Lon: 2.361}, o.eg.Point) <= 5
			}},
		{"7 zone d'intervention", "intervention-zone=" + zone1 + guideIncludes,
			func(o offre) bool { return has(o.uo.Zone, zone1) }},
		{"8 département", "location.address-postalcode=75" + guideIncludes,
			func(o offre) bool { return strings.HasPrefix(o.eg.PostalCode, "75") }},
		{"9 codes postaux", "location.address-postalcode=75010,75011" + guideIncludes,
			func(o offre) bool {
				return strings.HasPrefix(o.eg.PostalCode, "75010") || strings.HasPrefix(o.eg.PostalCode, "75011")
			}},
		{"10 code commune", "location.commune-cog=" + nosR13 + "|75110" + guideIncludes,
			func(o offre) bool { return o.eg.Commune == "75110" }},
		{"11 deux caractéristiques", "characteristic=" + nosR213 + "|" + mode2 + "&characteristic=" + nosR210 + "|" + acte2 + guideIncludes,
			func(o offre) bool { return has(o.modes(), mode2) && has(o.uo.Actes, acte2) }},
		{"équipement", "location.equipment-type=" + nosR212 + "|225&_include=HealthcareService:location",
			func(o offre) bool { return has(o.uo.Equipements, "225") }},
	} {
		t.Run(sc.name, func(t *testing.T) {
			var want []string
			for _, o := range offres {
				if sc.want(o) {
					want = append(want, o.id)
				}
			}
			if len(want) == 0 {
				t.Fatalf("no offre in the store satisfies the scenario: pick other codes")
			}
			b := checkBundle(t, app, "/fhir/HealthcareService?"+sc.query+"&_count=200", "HealthcareService")
			t.Logf("%d offres, %d served, %d included", *b.total, len(b.matches), len(b.included))
			if *b.total != len(want) {
				t.Errorf("total %d, the store has %d offres satisfying the criteria", *b.total, len(want))
			}
			wantSet := map[string]bool{}
			for _, id := range want {
				wantSet[id] = true
			}
			for _, id := range b.matches {
				if !wantSet[id] {
					t.Errorf("HealthcareService/%s does not satisfy the criteria in the store", id)
				}
			}
			if len(b.matches) != min(len(want), 200) {
				t.Errorf("%d matches served, want %d", len(b.matches), min(len(want), 200))
			}
		})
	}
}

type checkedBundle struct {
	total    *int
	matches  []string
	included map[string]bool
	next     string // the path of the next page, "" on the last
}

// checkBundle fetches a searchset and checks what any consumer relies on:
// type, total ≥ matches, includes resolvable within the bundle and by read.
func checkBundle(t *testing.T, app *App, path, matchType string) checkedBundle {
	t.Helper()
	status, body := fhirGet(t, app, path)
	if status != 200 {
		t.Fatalf("GET %s: %d %.400s", path, status, body)
	}
	var b fhirBundle
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	if b.ResourceType != "Bundle" || b.Type != "searchset" || b.Total == nil {
		t.Fatalf("not a searchset Bundle with a total: %.300s", body)
	}
	cb := checkedBundle{total: b.Total, included: map[string]bool{}}
	for _, l := range b.Link {
		if l.Relation == "next" {
			cb.next = l.URL[strings.Index(l.URL, "/fhir/"):]
		}
	}
	var refs []string
	for _, e := range b.Entry {
		var r fhirRes
		if err := json.Unmarshal(e.Resource, &r); err != nil {
			t.Fatal(err)
		}
		key := r.ResourceType + "/" + r.ID
		switch e.Search.Mode {
		case "match":
			if r.ResourceType != matchType {
				t.Errorf("match entry %s is not a %s", key, matchType)
			}
			cb.matches = append(cb.matches, r.ID)
		case "include":
			cb.included[key] = true
		case "outcome":
			if r.ResourceType != "OperationOutcome" {
				t.Errorf("outcome entry is a %s", r.ResourceType)
			}
			continue
		default:
			t.Errorf("entry %s has search.mode %q", key, e.Search.Mode)
		}
		if !strings.HasSuffix(e.FullURL, "/fhir/"+key) {
			t.Errorf("fullUrl %s does not name %s", e.FullURL, key)
		}
		if r.ProvidedBy != nil && strings.Contains(path, "HealthcareService:organization") {
			refs = append(refs, r.ProvidedBy.Reference)
		}
		if r.PartOf != nil && strings.Contains(path, "Organization:partof") {
			refs = append(refs, r.PartOf.Reference)
		}
		if strings.Contains(path, "HealthcareService:location") && r.ResourceType == "HealthcareService" {
			for _, l := range r.Location {
				refs = append(refs, l.Reference)
			}
		}
	}
	if *b.Total < len(cb.matches) {
		t.Errorf("total %d < %d matches", *b.Total, len(cb.matches))
	}
	sort.Strings(refs)
	for i, ref := range refs {
		if i > 0 && refs[i-1] == ref {
			continue
		}
		if !cb.included[ref] && !slices.Contains(cb.matches, strings.TrimPrefix(ref, matchType+"/")) {
			t.Errorf("reference %s asked for by _include is not in the bundle", ref)
		}
		if i < 20 { // and each resolves by read
			if st, _ := fhirGet(t, app, "/fhir/"+ref); st != 200 {
				t.Errorf("GET /fhir/%s: %d", ref, st)
			}
		}
	}
	return cb
}

// The capacity scenarios of the guide: Locations (a UO's place with its
// capacitaire) by region, by identifier, by update date, by offre.
func TestFHIRCapacityScenarios(t *testing.T) {
	app := sharedApp(t)
	offres, _ := storeOffres(t, app)
	// The real data has no capacitaire until a bed manager writes one: two
	// SMR units of the Finistère get their figures, as a bed manager's
	// write gives them.
	admin, err := app.db.Accounts().CreateAccount(context.Background(), ror.Account{Name: "Gestionnaire FHIR", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	written := map[string]bool{}
	for _, o := range offres {
		if len(written) == 2 {
			break
		}
		if o.uo.ChampActivite == "02" && strings.HasPrefix(o.eg.Commune, "29") && o.uo.Capacite.Installes > 0 && !written[o.uo.ID] {
			body := fmt.Sprintf(`{"lits_installes":%d,"lits_disponibles":1}`, o.uo.Capacite.Installes)
			if code, b := send(t, app, "PUT", "/api/v1/uo/"+o.uo.ID+"/capacitaire", admin, "application/json", body); code != 200 {
				t.Fatalf("writing the beds of %s: %d %s", o.uo.ID, code, b)
			}
			written[o.uo.ID] = true
		}
	}
	offres, _ = storeOffres(t, app)
	var bzh, capa []string
	for _, o := range offres {
		if !o.first {
			continue // one Location per UO
		}
		if dep := o.eg.PostalCode[:2]; dep == "35" || dep == "22" || dep == "29" || dep == "56" {
			bzh = append(bzh, o.uo.ID)
		}
		if o.uo.Capacite.Known && o.uo.Capacite.Installes > 0 {
			capa = append(capa, o.uo.ID)
		}
	}
	if len(bzh) == 0 || len(capa) < 2 {
		t.Fatalf("real data without Breton units (%d) or capacitaire (%d)", len(bzh), len(capa))
	}
	b := checkBundle(t, app, "/fhir/Location?address-postalcode=35,22,29,56&_revinclude=HealthcareService:location&_count=200", "Location")
	if *b.total != len(bzh) {
		t.Errorf("Bretagne: total %d, the store has %d units", *b.total, len(bzh))
	}
	for _, id := range b.matches {
		if !slices.Contains(bzh, id) {
			t.Errorf("Location/%s is not in Bretagne", id)
		}
	}
	// two identified places with their offres and capacities
	path := "/fhir/Location?identifier=" + capa[0] + "," + capa[1] + "&_revinclude=HealthcareService:location"
	status, body := fhirGet(t, app, path)
	if status != 200 {
		t.Fatalf("%s: %d", path, status)
	}
	var bundle struct {
		Total int
		Entry []struct {
			Resource struct {
				ResourceType string
				ID           string
				Location     []struct{ Reference string }
				Extension    []struct {
					URL       string
					Extension []struct {
						URL                  string
						ValueInteger         *int
						ValueCodeableConcept *struct {
							Coding []struct{ System, Code string }
						}
					}
				}
			}
			Search struct{ Mode string }
		}
	}
	if err := json.Unmarshal(body, &bundle); err != nil {
		t.Fatal(err)
	}
	if bundle.Total != 2 {
		t.Fatalf("identifier=a,b: total %d, want 2", bundle.Total)
	}
	installed := map[string]int{}
	revinc := map[string]bool{}
	for _, e := range bundle.Entry {
		r := e.Resource
		if r.ResourceType == "HealthcareService" && e.Search.Mode == "include" {
			revinc[r.Location[0].Reference] = true
		}
		for _, ext := range r.Extension {
			if ext.URL != "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/ror-location-supported-capacity" {
				continue
			}
			status, nature, n := "", "", 0
			for _, sub := range ext.Extension {
				if sub.URL == "capacityStatus" {
					status = sub.ValueCodeableConcept.Coding[0].Code
				}
				if sub.URL == "capacityType" {
					nature = sub.ValueCodeableConcept.Coding[0].Code
				}
				if sub.URL == "nbCapacity" {
					n = *sub.ValueInteger
				}
			}
			if status == "01" && nature == "01" { // installed beds, not day places
				installed[r.ID] += n
			}
		}
	}
	o, err := app.db.Offer().LoadOffer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range capa[:2] {
		if !revinc["Location/"+id] {
			t.Errorf("_revinclude=HealthcareService:location brought no offre of Location/%s", id)
		}
		for _, u := range o.UOs {
			if u.ID == id && installed[id] != u.Capacite.Installes {
				t.Errorf("Location/%s: %d lits installés in the capacity extension, the store says %d", id, installed[id], u.Capacite.Installes)
			}
		}
	}
	// since a date, and through the offres (_has)
	b = checkBundle(t, app, "/fhir/Location?_lastUpdated=ge2000-01-01&_count=1", "Location")
	if *b.total < len(capa) {
		t.Errorf("_lastUpdated=ge2000-01-01: %d places", *b.total)
	}
	b = checkBundle(t, app, "/fhir/Location?_lastUpdated=ge2999-01-01", "Location")
	if *b.total != 0 {
		t.Errorf("_lastUpdated=ge2999-01-01: %d places, want none", *b.total)
	}
	hs := offres[0].id
	b = checkBundle(t, app, "/fhir/Location?_has:HealthcareService:location:identifier="+hs+"&_revinclude=HealthcareService:location", "Location")
	if *b.total != 1 || b.matches[0] != offres[0].uo.ID {
		t.Errorf("_has:…:identifier=%s: %v", hs, b.matches)
	}
}

// Reads, Organization by identifier, the CapabilityStatement, and errors
// as OperationOutcomes naming the parameter.
func TestFHIRReadsAndErrors(t *testing.T) {
	app := sharedApp(t)
	offres, _ := storeOffres(t, app)
	o := offres[0]
	for _, path := range []string{"/fhir/HealthcareService/" + o.id, "/fhir/Location/" + o.uo.ID,
		"/fhir/Organization/" + o.eg.FINESS, "/fhir/Organization/" + o.eg.EJ, "/fhir/metadata?_format=json"} {
		if st, body := fhirGet(t, app, path); st != 200 {
			t.Errorf("GET %s: %d %.200s", path, st, body)
		}
	}
	var org struct {
		Total int
		Entry []struct{ Resource fhirRes }
	}
	_, body := fhirGet(t, app, "/fhir/Organization?identifier=https://finess.esante.gouv.fr|"+o.eg.FINESS+"&_include=Organization:partof")
	json.Unmarshal(body, &org)
	if org.Total != 1 || len(org.Entry) != 2 || org.Entry[0].Resource.ID != o.eg.FINESS || org.Entry[1].Resource.ID != o.eg.EJ {
		t.Errorf("Organization?identifier=FINESS&_include=Organization:partof: %.300s", body)
	}
	// the CapabilityStatement lists what works, and only that
	var cs struct {
		ResourceType string
		Rest         []struct {
			Resource []struct {
				Type        string
				SearchParam []struct{ Name string }
			}
		}
	}
	_, body = fhirGet(t, app, "/fhir/metadata")
	json.Unmarshal(body, &cs)
	// HealthcareService, Location, Organization, and the professionals' Practitioner and PractitionerRole
	if cs.ResourceType != "CapabilityStatement" || len(cs.Rest) != 1 || len(cs.Rest[0].Resource) != 5 {
		t.Fatalf("metadata: %.300s", body)
	}
	for _, r := range cs.Rest[0].Resource {
		for _, p := range r.SearchParam {
			if p.Name == "_filter" || p.Name == "_has" || strings.HasPrefix(p.Name, "location.near") {
				continue // need a value of their own shape, tested above
			}
			st, body := fhirGet(t, app, "/fhir/"+r.Type+"?"+p.Name+"=x-inconnu-123", "Prefer", "handling=strict")
			if st == 400 && strings.Contains(string(body), "n'est pas pris en charge sur") {
				t.Errorf("%s?%s: the CapabilityStatement lists it, the server refuses it: %.200s", r.Type, p.Name, body)
			}
			if st >= 500 {
				t.Errorf("%s?%s=x-inconnu-123: %d", r.Type, p.Name, st)
			}
		}
	}
	for _, c := range []struct {
		path, param, code string
		status            int
		hdr               []string
	}{
		{"/fhir/HealthcareService?specialty=" + nosR211 + "|99999", "specialty", "invalid", 400, nil},
		{"/fhir/HealthcareService?specialty=http://example.org/x|157", "specialty", "invalid", 400, nil},
		{"/fhir/HealthcareService?location.near=48.8|abc|5|km", "location.near", "invalid", 400, nil},
		{"/fhir/HealthcareService?location:near=48.8|2.3|5|miles", "location:near", "invalid", 400, nil},
		{"/fhir/HealthcareService?age-range-low=vieux", "age-range-low", "invalid", 400, nil},
		{"/fhir/HealthcareService?_filter=(specialty%20eq", "_filter", "invalid", 400, nil},
		{"/fhir/HealthcareService?_filter=specialty%20co%20157", "_filter", "not-supported", 400, nil},
		{"/fhir/HealthcareService?specialty:text=urgences", "specialty:text", "not-supported", 400, nil},
		{"/fhir/HealthcareService?couleur=bleu", "couleur", "not-supported", 400, []string{"Prefer", "handling=strict"}},
		{"/fhir/HealthcareService?couleur=bleu", "couleur", "not-supported", 400, nil},
		{"/fhir/HealthcareService?_count=-1", "_count", "invalid", 400, nil},
		{"/fhir/HealthcareService?_include=HealthcareService:endpoint", "_include", "not-supported", 400, nil},
		{"/fhir/HealthcareService?_format=xml", "_format", "not-supported", 406, nil},
		{"/fhir/HealthcareService/n-existe-pas", "", "not-found", 404, nil},
		{"/fhir/Patient", "", "not-found", 404, nil},
	} {
		st, body := fhirGet(t, app, c.path, c.hdr...)
		var oo fhirRes
		json.Unmarshal(body, &oo)
		if st != c.status || oo.ResourceType != "OperationOutcome" || len(oo.Issue) == 0 || oo.Issue[0].Code != c.code {
			t.Errorf("GET %s: %d %.300s, want %d OperationOutcome %s", c.path, st, body, c.status, c.code)
			continue
		}
		if c.param != "" && !slices.Contains(oo.Issue[0].Expression, c.param) {
			t.Errorf("GET %s: the OperationOutcome does not name %s: %.300s", c.path, c.param, body)
		}
	}
	// lenient on request: the unknown parameter is reported in the bundle
	_, body = fhirGet(t, app, "/fhir/HealthcareService?couleur=bleu&_count=1", "Prefer", "handling=lenient")
	if !strings.Contains(string(body), `"mode":"outcome"`) || !strings.Contains(string(body), "couleur") {
		t.Errorf("lenient search does not report the ignored parameter: %.300s", body)
	}
}

// The FHIR search and /api/v1/search find the same units for the same
// criteria: urgences within 5 km of Paris 10.
func TestFHIRSameUnitsAsSearch(t *testing.T) {
	app := sharedApp(t)
	var api struct {
		Etablissements []struct {
			UO []struct {
				ID         string `json:"id"`
				Intervient string `json:"intervient_a"`
			} `json:"uo"`
		} `json:"etablissements"`
		Resume struct{ Tronque bool } `json:"resume"`
	}
	get(t, app, "/api/v1/search?ou=75110&dans=activites&code=157&rayon=5", &api)
	fromAPI := map[string]bool{}
	for _, e := range api.Etablissements {
		for _, u := range e.UO {
			if u.Intervient == "" { // units coming from a zone d'intervention are not near
				fromAPI[u.ID] = true
			}
		}
	}
	if api.Resume.Tronque || len(fromAPI) < 3 {
		t.Fatalf("search gives %d units (truncated %v): pick another case", len(fromAPI), api.Resume.Tronque)
	}
	b := checkBundle(t, app, "/fhir/HealthcareService?specialty="+nosR211+"|157&location.near-insee-code=75110|5|km&_count=200", "HealthcareService")
	fromFHIR := map[string]bool{}
	for _, id := range b.matches {
		fromFHIR[strings.SplitN(id, ".", 2)[0]] = true
	}
	for id := range fromAPI {
		if !fromFHIR[id] {
			t.Errorf("UO %s found by /api/v1/search, not by FHIR", id)
		}
	}
	for id := range fromFHIR {
		if !fromAPI[id] {
			t.Errorf("UO %s found by FHIR, not by /api/v1/search", id)
		}
	}
}
