package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

// offer builds an offer of n EGs with 5 UOs each, every field set; tag
// marks which import it is.
func offer(n int, tag string) *ror.Offer {
	nom := ror.NewNomenclature()
	nom.Add(ror.VSTypeUO, ror.Concept{Key: "20", Code: "20", Label: "Structure des urgences", System: "https://mos.esante.gouv.fr/NOS/TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation"})
	nom.Add(ror.VSProfession, ror.Concept{Key: "TRE_G15:10", Code: "10", Label: "Médecin", System: "https://mos.esante.gouv.fr/NOS/TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante"})
	o := &ror.Offer{Nomenclature: nom, ImportedAt: time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), Sources: []string{tag},
		Communes:    []ror.Commune{{INSEE: "75110", Name: "Paris 10e Arrondissement", PostalCodes: []string{"75010"}, Department: "75", Population: 83000, Point: ror.Point{Lon: 2.36, Lat: 48.87}}},
		Departments: []ror.Department{{Code: "75", Name: "Paris"}},
		EJs:         []ror.EJ{{FINESS: "750712184", Name: "AP-HP"}}}
	for i := 0; i < n; i++ {
		f := fmt.Sprintf("75%07d", i)
		o.EGs = append(o.EGs, ror.EG{FINESS: f, EJ: "750712184", Name: tag + " EG " + f, Category: "101", Commune: "75110", Department: "75", Point: ror.Point{Lon: 2.3, Lat: 48.8}, Version: 1})
		for j := 0; j < 5; j++ {
			o.UOs = append(o.UOs, ror.UO{ID: fmt.Sprintf("%s-%d", f, j), EG: f, Name: tag, TypeUO: "20", ChampActivite: "01",
				Activites: []string{"157"}, Actes: []string{}, Equipements: []string{"225"}, Modes: []string{"33"}, Professions: []string{"TRE_G15:10"},
				Expertises: []string{}, Publics: []string{}, Patientele: ror.Patientele{Adulte: true, AgeMin: 18}, Statut: ror.StatutActif,
				Capacite: ror.Capacite{Installes: 10, Disponibles: 2, Known: true, UpdatedAt: o.ImportedAt}, Zone: []string{"75110"}, UpdatedAt: o.ImportedAt, Version: 1})
		}
	}
	return o
}

func open(t *testing.T, dir string) *store.DB {
	t.Helper()
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestRoundTripAndRestart(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	db := open(t, dir)
	if _, err := db.LoadOffer(ctx); !ror.IsNotFound(err) {
		t.Fatalf("empty dir: got %v, want NotFound", err)
	}
	in := offer(20, "premier")
	if err := db.ReplaceOffer(ctx, in); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db = open(t, dir) // restart
	defer db.Close()
	out, err := db.LoadOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(out.UOs, in.UOs) || !reflect.DeepEqual(out.EGs, in.EGs) || !reflect.DeepEqual(out.Communes, in.Communes) {
		t.Error("the offer read back differs from the one written")
	}
	if c, ok := out.Nomenclature.Lookup(ror.VSProfession, "TRE_G15:10"); !ok || c.System == "" || c.Code != "10" {
		t.Errorf("nomenclature read back: %+v", c)
	}
	t.Run("a second import replaces everything", func(t *testing.T) {
		if err := db.ReplaceOffer(ctx, offer(3, "second")); err != nil {
			t.Fatal(err)
		}
		out, _ := db.LoadOffer(ctx)
		if len(out.UOs) != 15 || out.UOs[0].Name != "second" || out.Sources[0] != "second" {
			t.Errorf("got %d UOs named %q", len(out.UOs), out.UOs[0].Name)
		}
	})
}

func TestPutUOsWithHistory(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	if err := db.ReplaceOffer(ctx, offer(2, "x")); err != nil {
		t.Fatal(err)
	}
	o, _ := db.LoadOffer(ctx)
	for n := 1; n <= 3; n++ {
		u := o.UOs[0]
		u.Capacite.Disponibles = n
		after, _ := json.Marshal(u.Capacite)
		ch := ror.Change{At: time.Now(), Author: "gestionnaire", Kind: "capacitaire", ID: u.ID, EG: u.EG, After: after}
		if err := db.PutUOs(ctx, []ror.UO{u}, []ror.Change{ch}); err != nil {
			t.Fatal(err)
		}
	}
	o, _ = db.LoadOffer(ctx)
	if o.UOs[0].Capacite.Disponibles != 3 {
		t.Errorf("got %d beds available, want the last figure 3", o.UOs[0].Capacite.Disponibles)
	}
	for _, id := range []string{o.UOs[0].ID, o.UOs[0].EG} {
		h, err := db.Changes(ctx, id, 10)
		if err != nil || len(h) != 3 {
			t.Fatalf("history of %s: %v, %d entries, want 3", id, err, len(h))
		}
		var first ror.Capacite
		json.Unmarshal(h[0].After, &first)
		if first.Disponibles != 3 {
			t.Errorf("history of %s starts with %d, want the newest (3)", id, first.Disponibles)
		}
	}
}

func TestAccounts(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	tok, err := db.CreateAccount(ctx, ror.Account{Name: "Jeanne Martin", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Authenticate(ctx, tok)
	if err != nil || a.Name != "Jeanne Martin" || a.Role != ror.RoleGestionnaire {
		t.Fatalf("got %+v, %v", a, err)
	}
	if _, err := db.CreateAccount(ctx, ror.Account{Name: "Jeanne Martin", Role: ror.RoleAdmin}); ror.ErrorKind(err) != ror.Conflict {
		t.Errorf("a second account of the same name: got %v, want Conflict", err)
	}
	if _, err := db.Authenticate(ctx, tok+"x"); ror.ErrorKind(err) != ror.Unauthorized {
		t.Errorf("a wrong token: got %v, want Unauthorized", err)
	}
	if err := db.Revoke(ctx, "Jeanne Martin"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Authenticate(ctx, tok); ror.ErrorKind(err) != ror.Unauthorized {
		t.Errorf("a revoked token: got %v, want Unauthorized", err)
	}
	if h, _ := db.Changes(ctx, "Jeanne Martin", 10); len(h) != 2 || h[0].Kind != "compte" {
		t.Errorf("account history: got %d entries, want creation and revocation", len(h))
	}
	exp, _ := db.CreateAccount(ctx, ror.Account{Name: "Ancien", Role: ror.RoleAdmin, Expires: time.Now().Add(-time.Hour)})
	if _, err := db.Authenticate(ctx, exp); ror.ErrorKind(err) != ror.Unauthorized {
		t.Errorf("an expired token: got %v, want Unauthorized", err)
	}
}

// TestCrashDuringImport kills a child process writing a big import at
// random moments: reopening always finds the old offer or the new one.
func TestCrashDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, dir)
	if err := db.ReplaceOffer(ctx, offer(50, "ancien")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for i, delay := range []time.Duration{30, 120, 300, 700, 1500} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperImport$")
		cmd.Env = append(os.Environ(), "ROR_STORE_CHILD="+dir, "ROR_STORE_TAG=nouveau"+strconv.Itoa(i))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		db := open(t, dir)
		o, err := db.LoadOffer(ctx)
		if err != nil {
			t.Fatalf("after a kill at %s: %v", delay*time.Millisecond, err)
		}
		tags := map[string]bool{}
		for _, u := range o.UOs {
			tags[u.Name] = true
		}
		if len(tags) != 1 || (len(o.UOs) != 250 && len(o.UOs) != 100_000) {
			t.Errorf("after a kill at %s: %d UOs from imports %v, want one whole import", delay*time.Millisecond, len(o.UOs), tags)
		}
		db.Close()
	}
}

// TestHelperImport is the child of TestCrashDuringImport.
func TestHelperImport(t *testing.T) {
	dir := os.Getenv("ROR_STORE_CHILD")
	if dir == "" {
		t.Skip("child process only")
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		os.Exit(2)
	}
	db.ReplaceOffer(context.Background(), offer(20_000, os.Getenv("ROR_STORE_TAG")))
	db.Close()
}

func BenchmarkLoadOffer(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(filepath.Join(b.TempDir(), "db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if err := db.ReplaceOffer(ctx, offer(100_000, "bench")); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := db.LoadOffer(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
