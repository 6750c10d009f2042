package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

// offer builds an offer of n EGs with 5 UOs each, every field set; tag
// marks which import it is (UO names, sources).
func offer(n int, tag string) *ror.Offer {
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	nom := ror.NewNomenclature()
	nom.Add(ror.VSTypeUO, ror.Concept{Key: "20", Code: "20", Label: "Structure des urgences", System: "https://mos.esante.gouv.fr/NOS/TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation"})
	nom.Add(ror.VSProfession, ror.Concept{Key: "TRE_G15:10", Code: "10", Label: "Médecin", System: "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante"})
	o := &ror.Offer{Nomenclature: nom, ImportedAt: at, Sources: []string{tag, "finess.csv"},
		Communes: []ror.Commune{
			{INSEE: "75110", Name: "Paris 10e Arrondissement", PostalCodes: []string{"75010"}, Department: "75", Region: "11", Population: 83000, Point: ror.Point{Lon: 2.36, Lat: 48.87}},
			{INSEE: "13055", Name: "Marseille", PostalCodes: []string{"13001", "13002"}, Department: "13", Region: "93", Population: 870000, Point: ror.Point{Lon: 5.37, Lat: 43.30}},
		},
		Departments: []ror.Department{{Code: "75", Name: "Paris"}, {Code: "13", Name: "Bouches-du-Rhône"}},
		EJs:         []ror.EJ{{FINESS: "750712184", Name: "AP-HP"}}}
	for i := range n {
		f := fmt.Sprintf("75%07d", i)
		o.EGs = append(o.EGs, ror.EG{FINESS: f, EJ: "750712184", Name: tag + " EG " + f, LongName: "Hôpital " + f, Category: "101",
			Address: "1 place du Parvis Notre-Dame", PostalCode: "75010", Commune: "75110", Department: "75", Phone: "01 42 34 82 34",
			Email: "accueil@example.fr", Horaires: "24h/24", Point: ror.Point{Lon: 2.3 + float64(i)/1e4, Lat: 48.8}, Source: "finess",
			UpdatedAt: at, Validated: at.Add(-time.Hour), Version: 2})
		for j := range 5 {
			o.UOs = append(o.UOs, ror.UO{ID: fmt.Sprintf("%s-%d", f, j), EG: f, Name: tag, TypeUO: "20", ChampActivite: "01",
				Activites: []string{"157", "92", "288"}, Actes: []string{}, Equipements: []string{"225"}, Modes: []string{"33", "7"},
				Professions: []string{"TRE_G15:10"}, Expertises: []string{"2"}, Publics: []string{"3"},
				Patientele: ror.Patientele{Enfant: true, Adulte: true, AgeMin: 3, AgeMax: 99}, Horaires: "8h-20h", Phone: "01 40 05 48 48",
				Statut: ror.StatutActif, Capacite: ror.Capacite{Installes: 10, Fermes: 1, Indetermines: 2, Supplementaires: 3, Disponibles: 2,
					Places: 4, Known: true, UpdatedAt: at, UpdatedBy: "import"},
				Zone: []string{"75110", "13055"}, UpdatedAt: at, Version: 1})
		}
	}
	return o
}

func open(t testing.TB, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// sameOffer fails t when got is not want, record for record.
func sameOffer(t *testing.T, got, want *ror.Offer) {
	t.Helper()
	for _, c := range []struct {
		what      string
		got, want any
	}{
		{"UOs", got.UOs, want.UOs}, {"EGs", got.EGs, want.EGs}, {"EJs", got.EJs, want.EJs},
		{"communes", got.Communes, want.Communes}, {"départements", got.Departments, want.Departments},
		{"sources", got.Sources, want.Sources}, {"import time", got.ImportedAt, want.ImportedAt},
		{"nomenclature", got.Nomenclature.ValueSets(), want.Nomenclature.ValueSets()},
	} {
		if d := firstDiff(c.got, c.want); d != "" {
			t.Errorf("%s: %s", c.what, d)
		}
	}
	for _, vs := range want.Nomenclature.ValueSets() {
		if g, w := got.Nomenclature.Concepts(vs), want.Nomenclature.Concepts(vs); !reflect.DeepEqual(g, w) {
			t.Errorf("value set %s: got %+v, want %+v (code system included)", vs, g, w)
		}
	}
}

// firstDiff says how got and want differ, in a line: lengths of slices,
// then their first differing element; "" when they are equal.
func firstDiff(got, want any) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if g.Kind() != reflect.Slice {
		return fmt.Sprintf("got %+v, want %+v", got, want)
	}
	if g.Len() != w.Len() {
		return fmt.Sprintf("got %d records, want %d", g.Len(), w.Len())
	}
	for i := range g.Len() {
		if !reflect.DeepEqual(g.Index(i).Interface(), w.Index(i).Interface()) {
			return fmt.Sprintf("record %d: got %+v, want %+v", i, g.Index(i).Interface(), w.Index(i).Interface())
		}
	}
	return fmt.Sprintf("got %#v, want %#v", got, want) // nil and empty
}

func TestRoundTripAndRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db := open(t, dir)
	if _, err := db.Offer().LoadOffer(ctx); !ror.IsNotFound(err) {
		t.Fatalf("empty dir: got %v, want NotFound", err)
	}
	in := offer(20, "premier")
	if err := db.Offer().ReplaceOffer(ctx, in); err != nil {
		t.Fatal(err)
	}
	t.Run("the offer reads back as written", func(t *testing.T) {
		out, err := db.Offer().LoadOffer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameOffer(t, out, in)
	})
	db.Close()
	db = open(t, dir)
	defer db.Close()
	t.Run("a restart finds the same offer", func(t *testing.T) {
		out, err := db.Offer().LoadOffer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameOffer(t, out, in)
	})
	t.Run("a second import replaces everything", func(t *testing.T) {
		second := offer(3, "second")
		second.EJs = nil
		if err := db.Offer().ReplaceOffer(ctx, second); err != nil {
			t.Fatal(err)
		}
		out, err := db.Offer().LoadOffer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameOffer(t, out, second) // no UO, EG or EJ of the first is left
	})
}

// cancelAfter is a context that is cancelled from its n-th look on.
type cancelAfter struct {
	context.Context
	n atomic.Int32
}

func (c *cancelAfter) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func TestFailedImportLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, dir)
	defer db.Close()
	old := offer(4, "ancien")
	if err := db.Offer().ReplaceOffer(ctx, old); err != nil {
		t.Fatal(err)
	}
	// Cancelled after 36,864 of 50,000 UOs: Badger has committed part of them.
	stop := &cancelAfter{Context: ctx}
	stop.n.Store(12)
	if err := db.Offer().ReplaceOffer(stop, offer(10_000, "interrompu")); err == nil {
		t.Fatal("a cancelled import: got no error")
	}
	t.Run("the previous offer is still the one read", func(t *testing.T) {
		out, err := db.Offer().LoadOffer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameOffer(t, out, old)
	})
	t.Run("the next import holds nothing of the failed one", func(t *testing.T) {
		next := offer(2, "suivant")
		if err := db.Offer().ReplaceOffer(ctx, next); err != nil {
			t.Fatal(err)
		}
		out, err := db.Offer().LoadOffer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameOffer(t, out, next)
	})
}
