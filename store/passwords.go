package store

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/dgraph-io/badger/v4"
	"golang.org/x/crypto/argon2"

	"github.com/ror-recherche/ror"
)

// Argon2id parameters, OWASP's first choice (Password Storage Cheat Sheet,
// 2024): 19 MiB of memory, 2 passes, 1 lane; a 16-byte salt and a 32-byte
// key. About 40 ms a check on one core here. They are written into each
// hash (PHC string format), so raising them later keeps old hashes valid.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// credential is what the store keeps of an account's password:
// cred/<name> → JSON.
type credential struct {
	Hash        string    `json:"hash"` // $argon2id$v=19$m=…,t=…,p=…$salt$key
	Failures    int       `json:"echecs"`
	LockedUntil time.Time `json:"verrouille_jusqua,omitzero"`
	ChangedAt   time.Time `json:"change"`
}

func credKey(name string) []byte { return []byte("cred/" + name) }

// hashPassword returns the PHC string of password with a fresh salt.
func hashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	ror.Random(ctx, salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether password matches the PHC string hash, in
// constant time once the key is derived.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	key, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(key) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(key)))
	return subtle.ConstantTimeCompare(got, key) == 1
}

// dummyHash is checked against when the account does not exist, so that a
// wrong name costs the same time as a wrong password; made on first use.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword(context.Background(), "ror-recherche-compte-inexistant")
	return h
})

// CheckPasswordRules returns Invalid on "mot_de_passe" when password is too
// short or too long.
func CheckPasswordRules(password string) error {
	n := utf8.RuneCountInString(password)
	if n < ror.MinPassword || n > ror.MaxPassword {
		return ror.Errorf(ror.Invalid, "mot_de_passe", "Le mot de passe doit compter entre %d et %d caractères.", ror.MinPassword, ror.MaxPassword)
	}
	return nil
}

// CreateUser stores a new account a with a password and no token, on
// behalf of author (an administrator, or the command line); Conflict when
// the name is taken.
func (ac *Accounts) CreateUser(ctx context.Context, a ror.Account, password, author string) error {
	a, hash, err := PrepareUser(ctx, a, password)
	if err != nil {
		return err
	}
	return ac.CreateUserHash(ctx, a, hash, author)
}

// PrepareUser checks a new account and its password and hashes the
// password (argon2id, the slow part): a node of a cluster does it before
// logging the account, so that no password is ever in the log.
func PrepareUser(ctx context.Context, a ror.Account, password string) (ror.Account, string, error) {
	a.Name = strings.TrimSpace(a.Name)
	if err := checkUser(a); err != nil {
		return a, "", err
	}
	if err := CheckPasswordRules(password); err != nil {
		return a, "", err
	}
	hash, err := hashPassword(ctx, password)
	return a, hash, err
}

func checkUser(a ror.Account) error {
	if !validName(a.Name) {
		return ror.Errorf(ror.Invalid, "nom", "Le nom du compte est vide, trop long ou contient « / ».")
	}
	if !ror.ValidRole(a.Role) {
		return ror.Errorf(ror.Invalid, "role", "Le rôle doit être lecteur, referent, gestionnaire_lits, administrateur ou professionnel.")
	}
	if a.Role == ror.RoleProfessionnel && (len(a.Scope) != 1 || !ror.ValidRPPS(a.Scope[0])) {
		return ror.Errorf(ror.Invalid, "perimetre", "Un compte professionnel a pour périmètre son seul numéro RPPS (identification nationale : 8 suivi de 11 chiffres).")
	}
	for _, s := range a.Scope {
		if a.Role != ror.RoleProfessionnel && !ror.ValidFINESS(s) {
			return ror.Errorf(ror.Invalid, "perimetre", "Le FINESS « %s » du périmètre est mal formé.", s)
		}
	}
	return nil
}

// CreateUserHash stores a new account a whose password PrepareUser hashed.
func (ac *Accounts) CreateUserHash(ctx context.Context, a ror.Account, hash, author string) error {
	if err := checkUser(a); err != nil {
		return err
	}
	now := ror.Now(ctx).UTC()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	cb, err := json.Marshal(credential{Hash: hash, ChangedAt: now})
	if err != nil {
		return err
	}
	err = ac.db.bdb.Update(func(txn *badger.Txn) error {
		if err := ac.putNewAccount(ctx, txn, a, author); err != nil {
			return err
		}
		return txn.Set(credKey(a.Name), cb)
	})
	if err != nil {
		return txnError(err)
	}
	return ac.db.bdb.Sync()
}

// SetPassword replaces the password of the named account and lifts its
// lockout (an administrator's reset); NotFound when there is no account.
func (ac *Accounts) SetPassword(ctx context.Context, name, password, author string) error {
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return err
	}
	return ac.SetPasswordHash(ctx, name, hash, author)
}

// HashPassword checks a new password against the rules and hashes it.
func HashPassword(ctx context.Context, password string) (string, error) {
	if err := CheckPasswordRules(password); err != nil {
		return "", err
	}
	return hashPassword(ctx, password)
}

// SetPasswordHash is SetPassword with the password hashed by HashPassword.
func (ac *Accounts) SetPasswordHash(ctx context.Context, name, hash, author string) error {
	err := ac.db.bdb.Update(func(txn *badger.Txn) error {
		if _, err := account(txn, name); err != nil {
			return err
		}
		cb, _ := json.Marshal(credential{Hash: hash, ChangedAt: ror.Now(ctx).UTC()})
		if err := txn.Set(credKey(name), cb); err != nil {
			return err
		}
		ch := accountChange(ctx, name, nil, []byte(`{"mot_de_passe":"réinitialisé"}`))
		ch.Author = author
		return ac.db.putChanges(txn, []ror.Change{ch})
	})
	if err != nil {
		return txnError(err)
	}
	return ac.db.bdb.Sync()
}

// account reads the named account in txn; NotFound when there is none.
func account(txn *badger.Txn, name string) (ror.Account, error) {
	var a ror.Account
	item, err := txn.Get(acctKey(name))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return a, ror.Errorf(ror.NotFound, "nom", "Le compte « %s » n'existe pas.", name)
	}
	if err != nil {
		return a, err
	}
	return a, item.Value(func(v []byte) error { return json.Unmarshal(v, &a) })
}

// errSignIn is the one answer to a wrong name or password: it does not tell
// which.
var errSignIn = ror.Errorf(ror.Unauthorized, "mot_de_passe", "Nom de compte ou mot de passe incorrect.")

// VerifyPassword checks name's password at now and keeps count of the
// failures: after ror.MaxFailures in a row the account is locked for
// ror.LockoutFor, even to the right password (Forbidden, saying until
// when). A success resets the count. Unauthorized on a wrong name or
// password, or an account revoked or expired.
func (ac *Accounts) VerifyPassword(ctx context.Context, name, password string, now time.Time) (*ror.Account, error) {
	return ac.verifyPassword(ctx, name, now, func(hash string) bool { return checkPassword(hash, password) })
}

// PasswordMatch tells whether password is name's (false for an unknown
// name, after the same work), with a digest of the hash it was checked
// against: a node of a cluster checks the password, then logs only the
// outcome for RecordSignin, never the password.
func (ac *Accounts) PasswordMatch(ctx context.Context, name, password string) (seen string, ok bool, err error) {
	var cred credential
	err = ac.db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(credKey(name))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error { return json.Unmarshal(v, &cred) })
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		checkPassword(dummyHash(), password)
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return hashToken(cred.Hash), checkPassword(cred.Hash, password), nil
}

// RecordSignin is VerifyPassword with the check PasswordMatch made: the
// lockout count moves as if the password had been checked here (a failure
// when the password was reset since).
func (ac *Accounts) RecordSignin(ctx context.Context, name, seen string, ok bool, now time.Time) (*ror.Account, error) {
	return ac.verifyPassword(ctx, name, now, func(hash string) bool { return ok && hashToken(hash) == seen })
}

func (ac *Accounts) verifyPassword(ctx context.Context, name string, now time.Time, match func(hash string) bool) (*ror.Account, error) {
	var a ror.Account
	var cred credential
	err := ac.db.bdb.View(func(txn *badger.Txn) error {
		var err error
		if a, err = account(txn, name); err != nil {
			return err
		}
		item, err := txn.Get(credKey(name))
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error { return json.Unmarshal(v, &cred) })
	})
	if ror.IsNotFound(err) || errors.Is(err, badger.ErrKeyNotFound) {
		match(dummyHash()) // the same work as for a known name
		return nil, errSignIn
	}
	if err != nil {
		return nil, err
	}
	if now.Before(cred.LockedUntil) {
		return nil, lockedError(cred.LockedUntil)
	}
	ok := match(cred.Hash)
	var locked time.Time
	err = ac.db.retry(func(txn *badger.Txn) error {
		item, err := txn.Get(credKey(name))
		if err != nil {
			return err
		}
		var c credential
		if err := item.Value(func(v []byte) error { return json.Unmarshal(v, &c) }); err != nil {
			return err
		}
		if c.Hash != cred.Hash { // reset meanwhile: this attempt was against the old password
			ok = false
			return nil
		}
		if !c.LockedUntil.IsZero() && !now.Before(c.LockedUntil) {
			c.Failures, c.LockedUntil = 0, time.Time{} // a lockout served starts a new count
		}
		if ok {
			if c.Failures == 0 {
				return nil
			}
			c.Failures = 0
		} else {
			c.Failures++
			if c.Failures >= ror.MaxFailures {
				c.LockedUntil = now.Add(ror.LockoutFor).UTC()
				locked = c.LockedUntil
			}
		}
		b, _ := json.Marshal(c)
		return txn.Set(credKey(name), b)
	})
	if err != nil {
		return nil, err
	}
	if !locked.IsZero() {
		return nil, lockedError(locked)
	}
	if !ok || !a.Active(now) {
		return nil, errSignIn
	}
	return &a, nil
}

func lockedError(until time.Time) error {
	return ror.Errorf(ror.Forbidden, "nom", "Compte verrouillé après %d mots de passe erronés : réessayer après %s (heure de Paris), ou demander à un administrateur de réinitialiser le mot de passe.",
		ror.MaxFailures, until.In(paris()).Format("15 h 04"))
}

// paris is the time zone of the messages; UTC when the system has no zone
// database.
func paris() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}

// retry runs fn in an update transaction, again when Badger reports a
// conflict (fn must be idempotent), and syncs.
func (db *DB) retry(fn func(txn *badger.Txn) error) error {
	var err error
	for range 5 {
		if err = db.bdb.Update(db.logged(fn)); !errors.Is(err, badger.ErrConflict) {
			break
		}
	}
	if err != nil {
		return txnError(err)
	}
	return db.bdb.Sync()
}
