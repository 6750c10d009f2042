package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// hashToken is what the store keeps of a token: tokens are 256 random bits,
// so a plain SHA-256 cannot be reversed by guessing.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateAccount stores a and returns a new bearer token for it, shown once.
// Conflict when an account of that name exists.
func (ac *Accounts) CreateAccount(ctx context.Context, a ror.Account) (string, error) {
	if a.Name == "" || !ror.ValidRole(a.Role) {
		return "", ror.Errorf(ror.Invalid, "role", "Un compte demande un nom et un rôle (lecteur, referent, gestionnaire_lits, administrateur).")
	}
	raw := make([]byte, 32)
	ror.Random(ctx, raw)
	token := "ror_" + base64.RawURLEncoding.EncodeToString(raw)
	if a.CreatedAt.IsZero() {
		a.CreatedAt = ror.Now(ctx).UTC()
	}
	err := ac.db.bdb.Update(func(txn *badger.Txn) error {
		if err := ac.putNewAccount(ctx, txn, a, ""); err != nil {
			return err
		}
		return txn.Set(tokenKey(hashToken(token)), []byte(a.Name))
	})
	if err != nil {
		return "", err
	}
	return token, ac.db.bdb.Sync()
}

// Authenticate returns the account of token; Unauthorized when the token
// is unknown or its account expired or revoked.
func (ac *Accounts) Authenticate(ctx context.Context, token string) (*ror.Account, error) {
	denied := ror.Errorf(ror.Unauthorized, "Authorization", "Jeton inconnu, expiré ou révoqué.")
	var a ror.Account
	err := ac.db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(tokenKey(hashToken(token)))
		if err != nil {
			return err
		}
		name, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		item, err = txn.Get(acctKey(string(name)))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error { return json.Unmarshal(v, &a) })
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, denied
	}
	if err != nil {
		return nil, err
	}
	if !a.Active(time.Now()) {
		return nil, denied
	}
	return &a, nil
}

// Revoke disables every token of the named account.
func (ac *Accounts) Revoke(ctx context.Context, name string) error {
	err := ac.db.bdb.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(acctKey(name))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return ror.Errorf(ror.NotFound, "nom", "Le compte « %s » n'existe pas.", name)
		}
		if err != nil {
			return err
		}
		var a ror.Account
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &a) }); err != nil {
			return err
		}
		before, err := json.Marshal(a)
		if err != nil {
			return err
		}
		a.Revoked = true
		b, err := json.Marshal(a)
		if err != nil {
			return err
		}
		if err := ac.db.putChanges(txn, []ror.Change{accountChange(ctx, name, before, b)}); err != nil {
			return err
		}
		return txn.Set(acctKey(name), b)
	})
	if err != nil {
		return err
	}
	return ac.db.bdb.Sync()
}

// accountChange is the audit entry of an account change, filed under the
// account's name; accounts are changed by the operators' command line.
// putNewAccount stores a new account and its audit entry (author, or the
// command line's when empty): Conflict when one of that name exists.
func (ac *Accounts) putNewAccount(ctx context.Context, txn *badger.Txn, a ror.Account, author string) error {
	if _, err := txn.Get(acctKey(a.Name)); err == nil {
		return ror.Errorf(ror.Conflict, "nom", "Le compte « %s » existe déjà.", a.Name)
	} else if !errors.Is(err, badger.ErrKeyNotFound) {
		return err
	}
	b, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := txn.Set(acctKey(a.Name), b); err != nil {
		return err
	}
	ch := accountChange(ctx, a.Name, nil, b)
	if author != "" {
		ch.Author = author
	}
	return ac.db.putChanges(txn, []ror.Change{ch})
}

func accountChange(ctx context.Context, name string, before, after []byte) ror.Change {
	return ror.Change{At: ror.Now(ctx).UTC(), Author: "administration (ror token)", Kind: "compte", ID: name, Before: before, After: after}
}
