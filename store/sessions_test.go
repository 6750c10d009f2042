package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

func TestPasswordsAndLockout(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	const pw = "cheval-batterie-agrafe"
	if err := db.Accounts().CreateUser(ctx, ror.Account{Name: "Jeanne Martin", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}}, pw, "test"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	t.Run("the right password signs in, a short one is refused at creation", func(t *testing.T) {
		if a, err := db.Accounts().VerifyPassword(ctx, "Jeanne Martin", pw, now); err != nil || a.Role != ror.RoleGestionnaire {
			t.Fatalf("got %+v, %v", a, err)
		}
		if err := db.Accounts().CreateUser(ctx, ror.Account{Name: "Court", Role: ror.RoleLecteur}, "court", "test"); ror.ErrorKind(err) != ror.Invalid {
			t.Errorf("a 5-character password: got %v, want Invalid", err)
		}
	})
	t.Run("a wrong name and a wrong password get the same answer", func(t *testing.T) {
		_, e1 := db.Accounts().VerifyPassword(ctx, "Personne", pw, now)
		_, e2 := db.Accounts().VerifyPassword(ctx, "Jeanne Martin", "mauvais-mot-de-passe", now)
		if ror.ErrorKind(e1) != ror.Unauthorized || e1.Error() != e2.Error() {
			t.Errorf("got %v and %v, want the same Unauthorized", e1, e2)
		}
	})
	t.Run("five failures in a row lock the account, even to the right password, for a while", func(t *testing.T) {
		// one failure above; a success resets the count
		db.Accounts().VerifyPassword(ctx, "Jeanne Martin", pw, now)
		var err error
		for i := 0; i < ror.MaxFailures; i++ {
			_, err = db.Accounts().VerifyPassword(ctx, "Jeanne Martin", "faux", now)
		}
		if ror.ErrorKind(err) != ror.Forbidden || !strings.Contains(err.Error(), "verrouillé") {
			t.Fatalf("fifth failure: got %v, want Forbidden « verrouillé »", err)
		}
		if _, err := db.Accounts().VerifyPassword(ctx, "Jeanne Martin", pw, now.Add(time.Minute)); ror.ErrorKind(err) != ror.Forbidden {
			t.Errorf("right password while locked: got %v, want Forbidden", err)
		}
		if _, err := db.Accounts().VerifyPassword(ctx, "Jeanne Martin", pw, now.Add(ror.LockoutFor+time.Second)); err != nil {
			t.Errorf("right password after the lockout: got %v, want success", err)
		}
	})
	t.Run("an administrator's reset lifts a lockout and replaces the password", func(t *testing.T) {
		for i := 0; i < ror.MaxFailures; i++ {
			db.Accounts().VerifyPassword(ctx, "Jeanne Martin", "faux", now)
		}
		if err := db.Accounts().SetPassword(ctx, "Jeanne Martin", "nouveau-mot-de-passe", "Admin"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Accounts().VerifyPassword(ctx, "Jeanne Martin", "nouveau-mot-de-passe", now); err != nil {
			t.Errorf("new password: got %v", err)
		}
		if _, err := db.Accounts().VerifyPassword(ctx, "Jeanne Martin", pw, now); ror.ErrorKind(err) != ror.Unauthorized {
			t.Errorf("old password: got %v, want Unauthorized", err)
		}
	})
}

func TestSessionsAndTokens(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	if err := db.Accounts().CreateUser(ctx, ror.Account{Name: "Paul", Role: ror.RoleAdmin}, "un-mot-de-passe-long", "test"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	c1, s1, err := db.Sessions().CreateSession(ctx, ror.Session{Account: "Paul", Address: "192.0.2.1"}, now)
	if err != nil {
		t.Fatal(err)
	}
	c2, _, _ := db.Sessions().CreateSession(ctx, ror.Session{Account: "Paul"}, now.Add(time.Second))
	t.Run("a cookie finds its account and CSRF token; an expired one does not", func(t *testing.T) {
		a, s, err := db.Sessions().Session(ctx, c1, now)
		if err != nil || a.Name != "Paul" || s.CSRF != s1.CSRF || len(s.CSRF) < 40 {
			t.Fatalf("got %+v %+v %v", a, s, err)
		}
		if _, _, err := db.Sessions().Session(ctx, c1, now.Add(ror.SessionTTL)); ror.ErrorKind(err) != ror.Unauthorized {
			t.Errorf("after its TTL: got %v, want Unauthorized", err)
		}
	})
	t.Run("sessions are listed, one is revoked, sign-out ends the other", func(t *testing.T) {
		list, _ := db.Sessions().Sessions(ctx, "Paul")
		if len(list) != 2 {
			t.Fatalf("got %d sessions, want 2", len(list))
		}
		if n, err := db.Sessions().RevokeSessions(ctx, "Paul", []string{s1.ID}, "test"); n != 1 || err != nil {
			t.Fatalf("revoke: got %d, %v", n, err)
		}
		if _, _, err := db.Sessions().Session(ctx, c1, now); ror.ErrorKind(err) != ror.Unauthorized {
			t.Errorf("revoked session: got %v", err)
		}
		db.Sessions().EndSession(ctx, c2)
		if _, _, err := db.Sessions().Session(ctx, c2, now); ror.ErrorKind(err) != ror.Unauthorized {
			t.Errorf("signed-out session: got %v", err)
		}
		if list, _ := db.Sessions().Sessions(ctx, "Paul"); len(list) != 0 {
			t.Errorf("got %d sessions after revoking both, want 0", len(list))
		}
	})
	t.Run("tokens are made for an account and revoked without touching its password", func(t *testing.T) {
		tok, err := db.Accounts().NewToken(ctx, "Paul", "test")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Accounts().Authenticate(ctx, tok); err != nil {
			t.Fatal(err)
		}
		infos, _ := db.Accounts().ListAccounts(ctx, now)
		if len(infos) != 1 || infos[0].Tokens != 1 || !infos[0].HasPassword {
			t.Errorf("got %+v, want one account with a token and a password", infos)
		}
		if n, _ := db.Accounts().RevokeTokens(ctx, "Paul", "test"); n != 1 {
			t.Errorf("revoked %d tokens, want 1", n)
		}
		if _, err := db.Accounts().Authenticate(ctx, tok); ror.ErrorKind(err) != ror.Unauthorized {
			t.Errorf("revoked token: got %v", err)
		}
		if _, err := db.Accounts().VerifyPassword(ctx, "Paul", "un-mot-de-passe-long", now); err != nil {
			t.Errorf("password after revoking tokens: %v", err)
		}
	})
}
