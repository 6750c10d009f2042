package replica

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

// A cluster of one on a temp dir: accounts written through the log, a
// restart that resumes at the next message, and no password in the log.
func TestOneNodeThroughTheLog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	badger := filepath.Join(dir, "badger")
	open := func() (*store.DB, error) { return store.Open(badger, store.Options{}) }
	db, err := open()
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	err = db.Offer().ReplaceOffer(ctx, &ror.Offer{Nomenclature: ror.NewNomenclature(), ImportedAt: at,
		EGs: []ror.EG{{FINESS: "010000024", Name: "CH DE FLEYRIAT", Department: "01", UpdatedAt: at, Version: 1}}})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	const password = "Fleyriat-lits-2026!"
	start := func() (*Node, *store.DB, *Users) {
		t.Helper()
		n, err := Start(ctx, Config{Name: "t1", Dir: dir, SnapshotEvery: time.Hour, Timeout: 20 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		db, err := n.Join(ctx, badger, open)
		if err != nil {
			n.Close()
			t.Fatal(err)
		}
		u := NewUsers(n, db)
		if err := n.Run(); err != nil {
			t.Fatal(err)
		}
		return n, db, u
	}
	n, db, u := start()
	if err := u.CreateUser(ctx, ror.Account{Name: "Claire Martin", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}}, password, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := u.VerifyPassword(ctx, "Claire Martin", "faux-mot-de-passe", time.Now()); ror.ErrorKind(err) != ror.Unauthorized {
		t.Fatalf("a wrong password: %v, want 401", err)
	}
	a, err := u.VerifyPassword(ctx, "Claire Martin", password, time.Now())
	if err != nil || a.Name != "Claire Martin" {
		t.Fatalf("the right password: %v, %v", a, err)
	}
	if err := u.CreateUser(ctx, ror.Account{Name: "Claire Martin", Role: ror.RoleLecteur}, password, "test"); ror.ErrorKind(err) != ror.Conflict {
		t.Fatalf("a name taken: %v, want 409 from the applier", err)
	}
	applied := n.Applied()
	if stored, _ := db.Progress().Applied(); applied != 4 || stored != applied {
		t.Fatalf("applied %d in memory, %d in the store, want 4 messages", applied, stored)
	}
	for seq := uint64(1); seq <= applied; seq++ {
		m, err := n.stream.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(m.Data, []byte(password)) {
			t.Fatalf("message %d carries the password", seq)
		}
	}
	n.Close()
	db.Close()

	n, db, u = start() // resumes after message 4: none applied again
	defer db.Close()
	defer n.Close()
	if got := n.Applied(); got != applied {
		t.Fatalf("restarted at message %d, want %d", got, applied)
	}
	if _, err := u.VerifyPassword(ctx, "Claire Martin", password, time.Now()); err != nil {
		t.Fatalf("after the restart: %v", err)
	}
	if n.Ready() != nil {
		t.Errorf("a node that applied the whole log is not ready: %v", n.Ready())
	}
}
