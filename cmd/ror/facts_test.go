package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The real data's answers — search, fiche, proximité, FHIR, the GeoJSON and
// xlsx exports — show nothing as a fact that is not one: no year-1 date, no
// import-time date on what FINESS dates, no bed figure that no write entered,
// an EJ named by its number, a provenance on every unit.
func TestAnswersTellOnlyFacts(t *testing.T) {
	app := sharedApp(t)
	today := time.Now().UTC().Format("2006-01-02")
	raw := func(path string) []byte {
		t.Helper()
		resp, err := http.Get("http://" + app.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %.300s", path, resp.StatusCode, b)
		}
		if s := string(b); strings.Contains(s, "0001-01-01") {
			t.Errorf("GET %s shows a year-1 date", path)
		}
		return b
	}
	searches := []url.Values{
		{"ou": {"75110"}, "dans": {"types-uo"}, "code": {"20"}},
		{"ou": {"75110"}, "dans": {"types-uo"}, "code": {"94"}},
		{"ou": {"91228"}, "dans": {"types-uo"}, "code": {"21"}},
		{"ou": {"91228"}, "dans": {"types-uo"}, "code": {"80"}},
		{"ou": {"93062"}, "dans": {"actes"}, "code": {"1492"}},
	}
	var finess []string
	type row struct {
		ID            string `json:"id"`
		Disponibilite string `json:"disponibilite"`
		LitsDispo     *int   `json:"lits_disponibles"`
		Provenance    struct {
			Type, Regle, Source string
		} `json:"provenance"`
		ProvenanceLib string `json:"provenance_libelle"`
	}
	checkRow := func(where string, u row) {
		t.Helper()
		p := u.Provenance
		if p.Type == "" || p.Type == "derivee" && (p.Regle == "" || p.Source == "") || u.ProvenanceLib == "" {
			t.Errorf("%s %s: provenance %+v %q", where, u.ID, p, u.ProvenanceLib)
		}
		if u.LitsDispo == nil && u.Disponibilite != "Saisie non activée" {
			t.Errorf("%s %s: no figure, yet disponibilité %q", where, u.ID, u.Disponibilite)
		}
	}
	for _, q := range searches {
		var r struct {
			Etablissements []struct {
				FINESS string `json:"finess"`
				UO     []row  `json:"uo"`
			} `json:"etablissements"`
		}
		if err := json.Unmarshal(raw("/api/v1/search?"+q.Encode()), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Etablissements) == 0 {
			t.Errorf("search %s: nothing found", q.Encode())
		}
		rows := 0
		for _, e := range r.Etablissements {
			finess = append(finess, e.FINESS)
			for _, u := range e.UO {
				checkRow("search "+q.Encode(), u)
				rows++
			}
		}
		var geo struct {
			Features []struct {
				Properties struct {
					UO []row `json:"uo"`
				} `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(raw("/api/v1/search.geojson?"+q.Encode()), &geo); err != nil {
			t.Fatal(err)
		}
		for _, f := range geo.Features {
			for _, u := range f.Properties.UO {
				checkRow("GeoJSON "+q.Encode(), u)
			}
		}
		// The workbook read back: every unit row says its provenance, and a
		// unit without a figure says « Saisie non activée », not a number.
		wb, err := excelize.OpenReader(bytes.NewReader(raw("/api/v1/search.xlsx?" + q.Encode())))
		if err != nil {
			t.Fatal(err)
		}
		sheet, err := wb.GetRows("Résultats")
		if err != nil || len(sheet) < 2 {
			t.Fatalf("xlsx %s: %d rows, %v", q.Encode(), len(sheet), err)
		}
		head := sheet[0]
		lits, prov := slices.Index(head, "Lits disponibles"), slices.Index(head, "Provenance de la description")
		if lits < 0 || prov < 0 {
			t.Fatalf("xlsx header %v: no Lits disponibles or Provenance column", head)
		}
		if len(sheet)-1 < rows {
			t.Errorf("xlsx %s: %d unit rows, the page alone shows %d", q.Encode(), len(sheet)-1, rows)
		}
		for _, cells := range sheet[1:] {
			for _, c := range cells {
				if strings.Contains(c, "0001-01-01") || strings.HasPrefix(c, "01/01/0001") {
					t.Errorf("xlsx %s: a year-1 date in %v", q.Encode(), cells)
				}
			}
			if len(cells) <= prov || !strings.HasPrefix(cells[prov], "description ") {
				t.Errorf("xlsx %s: row %v says no provenance", q.Encode(), cells)
				continue
			}
			if strings.HasPrefix(cells[prov], "description dérivée") && !strings.Contains(cells[prov], "règle ") {
				t.Errorf("xlsx %s: a derived unit without its rule: %q", q.Encode(), cells[prov])
			}
			if cells[lits] != "Saisie non activée" && !writtenFigure(t, raw, cells[1], cells[10]) {
				t.Errorf("xlsx %s: %s shows %q free beds that no write entered", q.Encode(), cells[1], cells[lits])
			}
		}
		wb.Close()
	}
	t.Run("fiches: FINESS dates, provenance, figures only from writes", func(t *testing.T) {
		for _, f := range finess {
			var fiche struct {
				FINESS  string    `json:"finess"`
				Maj     time.Time `json:"maj"`
				Validee time.Time `json:"maj_validee"` // a dossier published: its date is a write's
				UO      []struct {
					ID         string    `json:"id"`
					Maj        time.Time `json:"maj"`
					Provenance struct {
						Type, Regle, Source string
					} `json:"provenance"`
					Capacite struct {
						Renseigne   bool      `json:"renseigne"`
						Auteur      string    `json:"auteur"`
						Maj         time.Time `json:"maj"`
						Disponibles int       `json:"lits_disponibles"`
						Fermes      int       `json:"lits_fermes"`
						Installes   int       `json:"lits_installes"`
						Source      string    `json:"source"`
					} `json:"capacite"`
				} `json:"uo"`
			}
			if err := json.Unmarshal(raw("/api/v1/eg/"+f), &fiche); err != nil {
				t.Fatal(err)
			}
			if fiche.Maj.Format("2006-01-02") == today && fiche.Validee.IsZero() {
				t.Errorf("%s dated today, the import's day: FINESS says otherwise", f)
			}
			for _, u := range fiche.UO {
				p := u.Provenance
				if p.Type == "" || p.Type == "derivee" && (p.Regle == "" || p.Source == "") {
					t.Errorf("%s: provenance %+v", u.ID, p)
				}
				c := u.Capacite
				if c.Renseigne && (c.Auteur == "" || c.Maj.IsZero()) {
					t.Errorf("%s: a figure no write entered: %+v", u.ID, c)
				}
				if !c.Renseigne && (c.Disponibles != 0 || c.Fermes != 0) {
					t.Errorf("%s: free or closed beds without a figure entered: %+v", u.ID, c)
				}
				if !c.Renseigne && c.Installes > 0 && c.Source != "SAE 2020" {
					t.Errorf("%s: %d installed beds from %q, want « SAE 2020 »", u.ID, c.Installes, c.Source)
				}
				if p.Type == "derivee" && u.Maj.Format("2006-01-02") == today {
					t.Errorf("%s: a derived unit dated at import", u.ID)
				}
			}
		}
	})
	t.Run("proximité: no figure, no age, no flag without a write", func(t *testing.T) {
		var r struct {
			Resultats []map[string]json.RawMessage `json:"resultats"`
		}
		if err := json.Unmarshal(raw("/api/v1/proximite?ou=93062&besoin=obesite-severe"), &r); err != nil {
			t.Fatal(err)
		}
		if len(r.Resultats) == 0 {
			t.Fatal("no unit near Le Raincy for obésité sévère")
		}
		for _, x := range r.Resultats {
			var uo struct {
				ID            string `json:"id"`
				Disponibilite string `json:"disponibilite"`
				Provenance    struct{ Type string }
			}
			json.Unmarshal(x["uo"], &uo)
			if uo.Provenance.Type == "" {
				t.Errorf("%s: no provenance", uo.ID)
			}
			lits, ok := x["capacite"]
			if !ok {
				if uo.Disponibilite != "Saisie non activée" {
					t.Errorf("%s: no figure, yet disponibilité %q", uo.ID, uo.Disponibilite)
				}
				for _, k := range []string{"age_chiffre_min", "chiffre_ancien"} {
					if v, ok := x[k]; ok {
						t.Errorf("%s: no figure, yet %s: %s", uo.ID, k, v)
					}
				}
				continue
			}
			var c struct {
				Auteur string `json:"auteur"`
			}
			json.Unmarshal(lits, &c)
			if c.Auteur == "" {
				t.Errorf("%s: beds shown with no author", uo.ID)
			}
		}
	})
	t.Run("FHIR: EJ by number, provenance on every offre", func(t *testing.T) {
		status, body := fhirGet(t, app, "/fhir/HealthcareService?service-category="+nosR244+"|94&_count=50"+guideIncludes)
		if status != 200 {
			t.Fatalf("FHIR: %d", status)
		}
		if strings.Contains(string(body), "0001-01-01") {
			t.Error("FHIR shows a year-1 date")
		}
		var b struct {
			Entry []struct {
				Resource struct {
					ResourceType string `json:"resourceType"`
					ID           string `json:"id"`
					Name         string `json:"name"`
					Comment      string `json:"comment"`
					Meta         struct{ Source string }
					PartOf       *struct{ Reference string } `json:"partOf"`
				} `json:"resource"`
			} `json:"entry"`
		}
		if err := json.Unmarshal(body, &b); err != nil {
			t.Fatal(err)
		}
		ejs, services := map[string]bool{}, 0
		for _, e := range b.Entry {
			if r := e.Resource; r.ResourceType == "Organization" && r.PartOf != nil {
				ejs[strings.TrimPrefix(r.PartOf.Reference, "Organization/")] = true
			}
		}
		for _, e := range b.Entry {
			r := e.Resource
			switch {
			case r.ResourceType == "Organization" && ejs[r.ID]:
				if r.Name != "Entité juridique "+r.ID {
					t.Errorf("EJ %s named %q", r.ID, r.Name)
				}
			case r.ResourceType == "HealthcareService":
				services++
				if r.Meta.Source == "" || r.Comment == "" {
					t.Errorf("%s: no provenance (meta.source %q, comment %q)", r.ID, r.Meta.Source, r.Comment)
				}
			}
		}
		if services == 0 || len(ejs) == 0 {
			t.Errorf("%d offres, %d EJ: want ACT offres and their EJ", services, len(ejs))
		}
	})
}

// writtenFigure tells whether the unit named name of EG finess has a bed
// figure a write entered (another test of the package may have written one).
func writtenFigure(t *testing.T, get func(string) []byte, finess, name string) bool {
	t.Helper()
	var f struct {
		UO []struct {
			Nom      string `json:"nom"`
			Capacite struct {
				Renseigne bool   `json:"renseigne"`
				Auteur    string `json:"auteur"`
			} `json:"capacite"`
		} `json:"uo"`
	}
	json.Unmarshal(get("/api/v1/eg/"+finess), &f)
	for _, u := range f.UO {
		if u.Nom == name {
			return u.Capacite.Renseigne && u.Capacite.Auteur != ""
		}
	}
	return false
}
