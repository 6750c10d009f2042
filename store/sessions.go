package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// Sessions live in Badger, with the TTL of ror.SessionTTL so that expired
// ones vanish by themselves:
//
//	sess/<SHA-256 hex of the cookie>   → ror.Session (JSON, with its CSRF token)
//	sessof/<account>/<SHA-256 hex>     → nothing: the account's sessions, to list and revoke
//
// The cookie is 256 random bits: like a token, a plain SHA-256 keeps it
// from being read back out of a backup.
func sessKey(hash string) []byte         { return []byte("sess/" + hash) }
func sessOfPrefix(name string) []byte    { return []byte("sessof/" + name + "/") }
func sessOfKey(name, hash string) []byte { return append(sessOfPrefix(name), hash...) }
func randomToken(ctx context.Context, prefix string) string {
	raw := make([]byte, 32)
	ror.Random(ctx, raw)
	return prefix + base64.RawURLEncoding.EncodeToString(raw)
}

// CreateSession opens a session for the named account, as s describes it
// (address, browser), and returns the cookie value, shown once.
func (ss *Sessions) CreateSession(ctx context.Context, s ror.Session, now time.Time) (string, ror.Session, error) {
	cookie := randomToken(ctx, "")
	hash := hashToken(cookie)
	s.ID = hash[:16]
	s.CSRF = randomToken(ctx, "")
	s.CreatedAt = now.UTC()
	s.ExpiresAt = now.Add(ror.SessionTTL).UTC()
	if len(s.UserAgent) > 200 {
		s.UserAgent = s.UserAgent[:200]
	}
	b, err := json.Marshal(sessionRecord{s, s.CSRF})
	if err != nil {
		return "", s, err
	}
	err = ss.db.retry(func(txn *badger.Txn) error {
		if _, err := account(txn, s.Account); err != nil {
			return err
		}
		if err := txn.SetEntry(badger.NewEntry(sessKey(hash), b).WithTTL(ror.SessionTTL)); err != nil {
			return err
		}
		if err := txn.SetEntry(badger.NewEntry(sessOfKey(s.Account, hash), nil).WithTTL(ror.SessionTTL)); err != nil {
			return err
		}
		return ss.db.putChanges(txn, []ror.Change{sessionChange(ctx, s, "ouverte")})
	})
	return cookie, s, err
}

// sessionRecord is a Session with its CSRF token, which ror.Session keeps
// out of JSON so that it never leaves in a listing.
type sessionRecord struct {
	ror.Session
	CSRF string `json:"csrf"`
}

// Session returns the account and the session of a cookie at now;
// Unauthorized when the session is unknown, expired or revoked, or its
// account is.
func (ss *Sessions) Session(ctx context.Context, cookie string, now time.Time) (*ror.Account, ror.Session, error) {
	denied := ror.Errorf(ror.Unauthorized, "", "Session expirée ou fermée : se connecter à nouveau.")
	var rec sessionRecord
	var a ror.Account
	err := ss.db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(sessKey(hashToken(cookie)))
		if err != nil {
			return err
		}
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &rec) }); err != nil {
			return err
		}
		a, err = account(txn, rec.Account)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) || ror.IsNotFound(err) {
		return nil, ror.Session{}, denied
	}
	if err != nil {
		return nil, ror.Session{}, err
	}
	if !now.Before(rec.ExpiresAt) || !a.Active(now) {
		return nil, ror.Session{}, denied
	}
	s := rec.Session
	s.CSRF = rec.CSRF
	return &a, s, nil
}

// EndSession deletes the session of a cookie (sign-out); nothing when
// there is none.
func (ss *Sessions) EndSession(ctx context.Context, cookie string) error {
	hash := hashToken(cookie)
	return ss.db.retry(func(txn *badger.Txn) error {
		item, err := txn.Get(sessKey(hash))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		var rec sessionRecord
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &rec) }); err != nil {
			return err
		}
		if err := txn.Delete(sessKey(hash)); err != nil {
			return err
		}
		if err := txn.Delete(sessOfKey(rec.Account, hash)); err != nil {
			return err
		}
		return ss.db.putChanges(txn, []ror.Change{sessionChange(ctx, rec.Session, "fermée")})
	})
}

// sessionChange is the audit entry of a sign-in or sign-out: who, when,
// from where (never the cookie).
func sessionChange(ctx context.Context, s ror.Session, what string) ror.Change {
	after, _ := json.Marshal(map[string]string{"session": s.ID, "etat": what, "adresse": s.Address})
	return ror.Change{At: ror.Now(ctx).UTC(), Author: s.Account, Kind: "compte", ID: s.Account, After: after}
}

// Sessions returns the open sessions of the named account, newest first.
func (ss *Sessions) Sessions(ctx context.Context, name string) ([]ror.Session, error) {
	var out []ror.Session
	err := ss.db.bdb.View(func(txn *badger.Txn) error {
		for _, hash := range sessionHashes(txn, name) {
			item, err := txn.Get(sessKey(hash))
			if errors.Is(err, badger.ErrKeyNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			var rec sessionRecord
			if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &rec) }); err != nil {
				return err
			}
			out = append(out, rec.Session)
		}
		return nil
	})
	for i := 1; i < len(out); i++ { // a handful: insertion sort, newest first
		for j := i; j > 0 && out[j].CreatedAt.After(out[j-1].CreatedAt); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out, err
}

func sessionHashes(txn *badger.Txn, name string) []string {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: sessOfPrefix(name)})
	defer it.Close()
	var out []string
	for it.Rewind(); it.Valid(); it.Next() {
		out = append(out, string(bytes.TrimPrefix(it.Item().Key(), sessOfPrefix(name))))
	}
	return out
}

// RevokeSessions closes the sessions of the named account whose id is in
// ids, or all of them when ids is empty, and returns how many it closed.
func (ss *Sessions) RevokeSessions(ctx context.Context, name string, ids []string, author string) (int, error) {
	n := 0
	err := ss.db.retry(func(txn *badger.Txn) error {
		n = 0
		if _, err := account(txn, name); err != nil {
			return err
		}
		for _, hash := range sessionHashes(txn, name) {
			if len(ids) > 0 && !contains(ids, hash[:16]) {
				continue
			}
			if err := txn.Delete(sessKey(hash)); err != nil {
				return err
			}
			if err := txn.Delete(sessOfKey(name, hash)); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		ch := accountChange(ctx, name, nil, []byte(`{"sessions":"fermées"}`))
		ch.Author = author
		return ss.db.putChanges(txn, []ror.Change{ch})
	})
	return n, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// NewToken makes a new bearer token for an existing account (a machine's:
// a feed, a FHIR client), shown once.
func (ac *Accounts) NewToken(ctx context.Context, name, author string) (string, error) {
	token := randomToken(ctx, "ror_")
	err := ac.db.retry(func(txn *badger.Txn) error {
		if _, err := account(txn, name); err != nil {
			return err
		}
		if err := txn.Set(tokenKey(hashToken(token)), []byte(name)); err != nil {
			return err
		}
		ch := accountChange(ctx, name, nil, []byte(`{"jeton":"créé"}`))
		ch.Author = author
		return ac.db.putChanges(txn, []ror.Change{ch})
	})
	return token, err
}

// RevokeTokens deletes every bearer token of the named account, which stays
// usable by password, and returns how many there were. Tokens are few (one
// per machine): their keys are scanned.
func (ac *Accounts) RevokeTokens(ctx context.Context, name, author string) (int, error) {
	n := 0
	err := ac.db.retry(func(txn *badger.Txn) error {
		n = 0
		if _, err := account(txn, name); err != nil {
			return err
		}
		for _, k := range tokensOf(txn, name) {
			if err := txn.Delete(k); err != nil {
				return err
			}
			n++
		}
		if n == 0 {
			return nil
		}
		ch := accountChange(ctx, name, nil, []byte(`{"jetons":"révoqués"}`))
		ch.Author = author
		return ac.db.putChanges(txn, []ror.Change{ch})
	})
	return n, err
}

func tokensOf(txn *badger.Txn, name string) [][]byte {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("tok/"), PrefetchValues: true})
	defer it.Close()
	var out [][]byte
	for it.Rewind(); it.Valid(); it.Next() {
		it.Item().Value(func(v []byte) error {
			if string(v) == name {
				out = append(out, it.Item().KeyCopy(nil))
			}
			return nil
		})
	}
	return out
}

// ListAccounts returns every account with its sign-in state, by name.
func (ac *Accounts) ListAccounts(ctx context.Context, now time.Time) ([]ror.AccountInfo, error) {
	var out []ror.AccountInfo
	tokens := map[string]int{}
	err := ac.db.bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("tok/"), PrefetchValues: true})
		for it.Rewind(); it.Valid(); it.Next() {
			it.Item().Value(func(v []byte) error { tokens[string(v)]++; return nil })
		}
		it.Close()
		it = txn.NewIterator(badger.IteratorOptions{Prefix: []byte("acct/"), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			var info ror.AccountInfo
			if err := it.Item().Value(func(v []byte) error { return json.Unmarshal(v, &info.Account) }); err != nil {
				return err
			}
			if item, err := txn.Get(credKey(info.Name)); err == nil {
				var c credential
				item.Value(func(v []byte) error { return json.Unmarshal(v, &c) })
				info.HasPassword = c.Hash != ""
				if now.Before(c.LockedUntil) {
					info.LockedUntil = c.LockedUntil
					info.Failures = c.Failures
				} else if c.LockedUntil.IsZero() {
					info.Failures = c.Failures
				}
			}
			info.Sessions = len(sessionHashes(txn, info.Name))
			info.Tokens = tokens[info.Name]
			info.Identity = identityOf(txn, info.Name)
			out = append(out, info)
		}
		return nil
	})
	return out, err
}

// validName reports whether name can be a key segment.
func validName(name string) bool {
	return name != "" && len(name) <= 100 && !strings.ContainsAny(name, "/\x00")
}
