package data_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/internal/sources"
)

var now = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)

func TestImportRealData(t *testing.T) {
	dir := sources.Dir(t)
	o, _ := national(t)
	t.Run("communes, arrondissements included", func(t *testing.T) {
		if len(o.Communes) != 35014 {
			t.Errorf("got %d communes, want 35,014", len(o.Communes))
		}
		i := slices.IndexFunc(o.Communes, func(c ror.Commune) bool { return c.INSEE == "75110" })
		if i < 0 || !slices.Contains(o.Communes[i].PostalCodes, "75010") || !o.Communes[i].Point.Valid() {
			t.Errorf("Paris 10e missing or without 75010 and centroid")
		}
	})
	t.Run("national nomenclature", func(t *testing.T) {
		if n := len(o.Nomenclature.Concepts(ror.VSTypeUO)); n != 307 {
			t.Errorf("JDV_J238 has %d codes, want 307", n)
		}
		if got := o.Nomenclature.Label(ror.VSActivite, "157"); got != "Urgences polyvalentes hospitalières" {
			t.Errorf("J17 157 is %q", got)
		}
		c, _ := o.Nomenclature.Lookup(ror.VSActivite, "157")
		if c.System != "https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle" {
			t.Errorf("J17 system is %q", c.System)
		}
	})
	t.Run("the national FINESS file wins over the older IDF one", func(t *testing.T) {
		seen := map[string]bool{}
		for _, eg := range o.EGs {
			if seen[eg.FINESS] {
				t.Fatalf("EG %s imported twice", eg.FINESS)
			}
			seen[eg.FINESS] = true
		}
		if len(o.EGs) < 95000 {
			t.Errorf("got %d EGs, want the 95,333 of FINESS 2021", len(o.EGs))
		}
	})
	uos := map[string]ror.UO{}
	for _, u := range o.UOs {
		uos[u.ID] = u
		if err := u.Validate(o.Nomenclature); err != nil {
			t.Errorf("derived %s does not validate: %v", u.ID, err)
		}
	}
	t.Run("CH de Bourg-en-Bresse gets urgences, maternité type 2, réanimation with its real beds", func(t *testing.T) {
		if u := uos["010000024-URG"]; !slices.Contains(u.Activites, "157") || u.TypeUO != "20" {
			t.Errorf("urgences unit: %+v", u)
		}
		if u := uos["010000024-MAT2"]; !slices.Contains(u.Expertises, "02") || u.Capacite.Installes != 51 {
			t.Errorf("maternité: expertises %v, %d beds, want 02 and 51", u.Expertises, u.Capacite.Installes)
		}
		if u := uos["010000024-REA"]; u.Capacite.Installes != 12 || u.Capacite.Source != "SAE 2020" {
			t.Errorf("réanimation: %d beds from %q, want 12 (SAE 2020)", u.Capacite.Installes, u.Capacite.Source)
		}
		if u := uos["010000024-SMUR"]; len(u.Zone) == 0 || !slices.Contains(u.Zone, "01053") {
			t.Errorf("SMUR zone misses Bourg-en-Bresse 01053: %d communes", len(u.Zone))
		}
	})
	t.Run("no free or closed bed that no write entered", func(t *testing.T) {
		for _, u := range o.UOs {
			c := u.Capacite
			if c.Known || c.Disponibles != 0 || c.Fermes != 0 || !c.UpdatedAt.IsZero() || (c.Installes+c.Places > 0) != (c.Source == data.SourceSAE) {
				t.Fatalf("%s: %+v, want installed beds from the SAE only, disponibilité not entered", u.ID, c)
			}
		}
	})
	t.Run("two imports give the same units", func(t *testing.T) {
		again, err := data.Import(context.Background(), dir, now)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(again.UOs, o.UOs) {
			t.Error("derivation is not deterministic")
		}
	})
}

func TestBadRuleNamesFileLineAndCode(t *testing.T) {
	nom, err := data.LoadNomenclature(filepath.Join(sources.Dir(t), "nomenclatures"))
	if err != nil {
		t.Fatal(err)
	}
	rules := "rule,condition,type_uo,champ,activites,modes,actes,equipements,expertises,patientele,nom,lits,places,horaires,zone_km\n" +
		"MED,lits_medecine>0,238,01,083,28,,,,A,Médecine,lits_medecine,,,\n" +
		"BAD,flag:samu,999,01,157,33,,,,A,Inconnu,,,,\n"
	_, err = data.ReadRules(strings.NewReader(rules), "regles.csv", nom)
	var e *ror.Error
	if !errors.As(err, &e) || e.Kind != ror.Invalid {
		t.Fatalf("got %v, want an Invalid error", err)
	}
	for _, want := range []string{"regles.csv", "ligne 3", "« 999 »", "JDV_J238"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q does not name %s", e.Message, want)
		}
	}
}

// copySources makes a sources dir with the real files and a uo.jsonl.
func copySources(t *testing.T, uojsonl string) string {
	t.Helper()
	src := sources.Dir(t)
	dir := t.TempDir()
	for _, f := range []string{"communes.csv", "departements.geojson", "finess_etablissements.csv", "sae2020_capacites.csv"} {
		if err := os.Symlink(filepath.Join(src, f), filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(src, "nomenclatures"), filepath.Join(dir, "nomenclatures")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "uo.jsonl"), []byte(uojsonl), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestUOFile(t *testing.T) {
	good := `{"id":"010000024-X1","finess_eg":"010000024","nom":"Équipe mobile","type_uo":"280","champ_activite":"03","activites":["229"],"patientele":{"adulte":true}}` + "\n"
	t.Run("an explicit unit is added", func(t *testing.T) {
		o, err := data.Import(context.Background(), copySources(t, good), now)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(o.UOs, func(u ror.UO) bool { return u.ID == "010000024-X1" }) {
			t.Error("uo.jsonl unit missing")
		}
	})
	t.Run("no lieu de réalisation comes from a load", func(t *testing.T) {
		o, err := data.Import(context.Background(), copySources(t, good), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Lieux) != 0 || slices.ContainsFunc(o.UOs, func(u ror.UO) bool { return len(u.Lieux) > 0 }) {
			t.Errorf("the import declares %d lieux or units listing some: public data has none", len(o.Lieux))
		}
		withLieu := strings.Replace(good, `"nom":"Équipe mobile"`, `"nom":"Équipe mobile","lieux":["010000024","010000024-L1"]`, 1)
		_, err = data.Import(context.Background(), copySources(t, withLieu), now)
		if err == nil || !strings.Contains(err.Error(), "uo.jsonl, ligne 1") || !strings.Contains(err.Error(), "dossier") {
			t.Errorf("a unit of uo.jsonl listing lieux: got %v, want the import refused, naming the line", err)
		}
	})
	t.Run("an unknown code fails the import naming file, line and code", func(t *testing.T) {
		bad := good + `{"id":"010000024-X2","finess_eg":"010000024","nom":"X","type_uo":"20","champ_activite":"01","actes":["0000"]}` + "\n"
		_, err := data.Import(context.Background(), copySources(t, bad), now)
		if err == nil || !strings.Contains(err.Error(), "uo.jsonl, ligne 2") || !strings.Contains(err.Error(), "0000") {
			t.Errorf("got %v", err)
		}
	})
}

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/absent" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("contenu de " + r.URL.Path))
	}))
	defer srv.Close()
	dir := t.TempDir()
	srcs := []data.Source{{File: "communes.csv", URL: srv.URL + "/communes"}, {File: "nomenclatures/J17.csv", URL: srv.URL + "/j17"}}
	if err := data.Fetch(context.Background(), srv.Client(), srcs, dir); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "nomenclatures", "J17.csv")); string(b) != "contenu de /j17" {
		t.Errorf("got %q", b)
	}
	err := data.Fetch(context.Background(), srv.Client(), []data.Source{{File: "x.csv", URL: srv.URL + "/absent"}}, dir)
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("got %v, want an HTTP 404 error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); !os.IsNotExist(err) {
		t.Error("a failed download left a file")
	}
	m, err := data.Manifest()
	if err != nil || len(m) < 5 {
		t.Errorf("manifest: %v, %d sources", err, len(m))
	}
}

func FuzzReadFINESS(f *testing.F) {
	f.Add("finess_et,finess_ej,name,category_code,commune_insee,lat,lon\n010000024,010780054,CH,355,01053,46.2,5.2\n")
	f.Add("finess;etalab\nstructureet;750000341;;A;;;;;;;;;105;75;;75005 PARIS;;;101\n")
	f.Fuzz(func(t *testing.T, in string) {
		egs, err := data.ReadFINESS(strings.NewReader(in), "fuzz.csv")
		if err != nil {
			if ror.ErrorKind(err) != ror.Invalid {
				t.Fatalf("got %v, want Invalid", err)
			}
			return
		}
		for _, eg := range egs {
			if !ror.ValidFINESS(eg.FINESS) || len(eg.Commune) != 5 {
				t.Fatalf("accepted %+v", eg)
			}
		}
	})
}

func BenchmarkImport(b *testing.B) {
	dir := sources.Dir(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := data.Import(context.Background(), dir, now); err != nil {
			b.Fatal(err)
		}
	}
}
