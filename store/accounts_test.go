package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

func TestAccounts(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	tok, err := db.Accounts().CreateAccount(ctx, ror.Account{Name: "Jeanne Martin", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := db.Accounts().Authenticate(ctx, tok)
	if err != nil || a.Name != "Jeanne Martin" || a.Role != ror.RoleGestionnaire {
		t.Fatalf("got %+v, %v", a, err)
	}
	if _, err := db.Accounts().CreateAccount(ctx, ror.Account{Name: "Jeanne Martin", Role: ror.RoleAdmin}); ror.ErrorKind(err) != ror.Conflict {
		t.Errorf("a second account of the same name: got %v, want Conflict", err)
	}
	if _, err := db.Accounts().Authenticate(ctx, tok+"x"); ror.ErrorKind(err) != ror.Unauthorized {
		t.Errorf("a wrong token: got %v, want Unauthorized", err)
	}
	if err := db.Accounts().Revoke(ctx, "Jeanne Martin"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Accounts().Authenticate(ctx, tok); ror.ErrorKind(err) != ror.Unauthorized {
		t.Errorf("a revoked token: got %v, want Unauthorized", err)
	}
	if h, _ := db.Offer().Changes(ctx, "Jeanne Martin", 10); len(h) != 2 || h[0].Kind != "compte" {
		t.Errorf("account history: got %d entries, want creation and revocation", len(h))
	}
	exp, _ := db.Accounts().CreateAccount(ctx, ror.Account{Name: "Ancien", Role: ror.RoleAdmin, Expires: time.Now().Add(-time.Hour)})
	if _, err := db.Accounts().Authenticate(ctx, exp); ror.ErrorKind(err) != ror.Unauthorized {
		t.Errorf("an expired token: got %v, want Unauthorized", err)
	}
}
