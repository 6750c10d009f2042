package store

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// The OpenID Connect identities linked to accounts:
//
//	oidc/<SHA-256 hex of the identity>  → account name
//	oidcof/<name>                       → the identity (one per account)
func oidcKey(identity string) []byte { return []byte("oidc/" + hashToken(identity)) }
func oidcOfKey(name string) []byte   { return []byte("oidcof/" + name) }

// LinkIdentity links the OpenID Connect identity (the value of the
// provider's identifying claim: Pro Santé Connect's national id) to the
// named account, replacing its previous one; "" unlinks. Conflict when
// another account holds it.
func (ac *Accounts) LinkIdentity(ctx context.Context, name, identity, author string) error {
	identity = strings.TrimSpace(identity)
	if len(identity) > 256 {
		return ror.Errorf(ror.Invalid, "identite", "L'identifiant OpenID Connect dépasse 256 caractères.")
	}
	return ac.db.retry(func(txn *badger.Txn) error {
		if _, err := account(txn, name); err != nil {
			return err
		}
		if identity != "" {
			item, err := txn.Get(oidcKey(identity))
			if err == nil {
				holder, _ := item.ValueCopy(nil)
				if string(holder) != name {
					return ror.Errorf(ror.Conflict, "identite", "Cet identifiant OpenID Connect est déjà lié au compte « %s ».", holder)
				}
			} else if !errors.Is(err, badger.ErrKeyNotFound) {
				return err
			}
		}
		if item, err := txn.Get(oidcOfKey(name)); err == nil {
			old, _ := item.ValueCopy(nil)
			if err := txn.Delete(oidcKey(string(old))); err != nil {
				return err
			}
			if err := txn.Delete(oidcOfKey(name)); err != nil {
				return err
			}
		}
		if identity != "" {
			if err := txn.Set(oidcKey(identity), []byte(name)); err != nil {
				return err
			}
			if err := txn.Set(oidcOfKey(name), []byte(identity)); err != nil {
				return err
			}
		}
		after, _ := json.Marshal(map[string]string{"identite_oidc": identity})
		ch := accountChange(ctx, name, nil, after)
		ch.Author = author
		return ac.db.putChanges(txn, []ror.Change{ch})
	})
}

// AccountByIdentity returns the active account linked to an OpenID Connect
// identity; Unauthorized when none is, or it is revoked or expired.
func (ac *Accounts) AccountByIdentity(ctx context.Context, identity string, now time.Time) (*ror.Account, error) {
	denied := ror.Errorf(ror.Unauthorized, "", "Cette identité n'est liée à aucun compte actif du ROR : demander à un administrateur de la lier à votre compte nominatif.")
	var a ror.Account
	err := ac.db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(oidcKey(identity))
		if err != nil {
			return err
		}
		name, err := item.ValueCopy(nil)
		if err != nil {
			return err
		}
		a, err = account(txn, string(name))
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) || ror.IsNotFound(err) {
		return nil, denied
	}
	if err != nil {
		return nil, err
	}
	if !a.Active(now) {
		return nil, denied
	}
	return &a, nil
}

// identityOf is the identity linked to the named account, "" when none.
func identityOf(txn *badger.Txn, name string) string {
	item, err := txn.Get(oidcOfKey(name))
	if err != nil {
		return ""
	}
	v, _ := item.ValueCopy(nil)
	return string(v)
}
