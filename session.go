package ror

import "time"

// Session is a signed-in browser: the store keeps it under the hash of its
// cookie, with the CSRF token the page must send back on every write.
type Session struct {
	ID        string    `json:"id"` // public: a prefix of the hash of the cookie, to list and revoke
	Account   string    `json:"compte"`
	CSRF      string    `json:"-"`
	CreatedAt time.Time `json:"cree"`
	ExpiresAt time.Time `json:"expire"`
	Address   string    `json:"adresse,omitempty"`    // client IP at sign-in
	UserAgent string    `json:"navigateur,omitempty"` // clipped
}

// The rules of sign-in.
const (
	// SessionTTL is how long a session lasts from sign-in: a working day.
	SessionTTL = 10 * time.Hour
	// MaxFailures wrong passwords in a row lock the account for LockoutFor.
	MaxFailures = 5
	LockoutFor  = 15 * time.Minute
	// MinPassword and MaxPassword bound a password's length in characters
	// (ANSSI: at least 12 for a password alone).
	MinPassword = 12
	MaxPassword = 128
)

// AccountInfo is an account as its administrator sees it.
type AccountInfo struct {
	Account
	HasPassword bool      `json:"mot_de_passe"`
	Failures    int       `json:"echecs"`
	LockedUntil time.Time `json:"verrouille_jusqua,omitzero"`
	Sessions    int       `json:"sessions"`
	Tokens      int       `json:"jetons"`
	Identity    string    `json:"identite_oidc,omitempty"` // the linked OpenID Connect identity
}
