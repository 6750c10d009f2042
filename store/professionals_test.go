package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

func TestProfessionalsImportKeepsDescriptions(t *testing.T) {
	dir := t.TempDir()
	db, err := Open(filepath.Join(dir, "b"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := NewProStore(db)
	now := time.Now().UTC()
	a := ror.Professional{RPPS: "899990000001", Nom: "ESSAI", Profession: "70", Source: "RPPS f1"}
	b := ror.Professional{RPPS: "899990000002", Nom: "AUTRE", Profession: "50", Source: "RPPS f1"}
	if err := s.ReplaceProfessionals(ctx, []ror.Professional{a, b}, ror.Change{At: now, Author: "import", Kind: "rpps", ID: "rpps"}); err != nil {
		t.Fatal(err)
	}
	a.Source, a.Version = ror.SourceDeclared, 1
	a.Lieux = []ror.PracticePlace{{ID: "899990000001-x", Commune: "78361", Activites: []string{"419"}, Described: true}}
	if err := s.PutProfessional(ctx, a, ror.Change{At: now, Author: "kine", Kind: "professionnel", ID: a.RPPS}); err != nil {
		t.Fatal(err)
	}
	// A new file without b, and with a as the RPPS knows them.
	fresh := a
	fresh.Source, fresh.Lieux = "RPPS f2", nil
	if err := s.ReplaceProfessionals(ctx, []ror.Professional{fresh}, ror.Change{At: now, Author: "import", Kind: "rpps", ID: "rpps"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(filepath.Join(dir, "b"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := NewProStore(db).Professionals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Source != ror.SourceDeclared || len(got[0].Lieux) != 1 || got[0].Lieux[0].Activites[0] != "419" {
		t.Errorf("after the second import: %+v, want the described kiné alone, as described", got)
	}
	log, err := db.Offer().Changes(ctx, a.RPPS, 10)
	if err != nil || len(log) != 1 || log[0].Author != "kine" {
		t.Errorf("audit of the description: %+v %v", log, err)
	}
	an := ror.ProAnomaly{ID: "x1", RPPS: a.RPPS, Description: "téléphone faux", At: now}
	if err := NewProStore(db).PutProAnomaly(ctx, an, ror.Change{At: now, Author: "anonyme", Kind: "anomalie", ID: a.RPPS}); err != nil {
		t.Fatal(err)
	}
	list, err := NewProStore(db).ProAnomalies(ctx, a.RPPS)
	if err != nil || len(list) != 1 || list[0].Description != "téléphone faux" {
		t.Errorf("reports %+v %v", list, err)
	}
}
