// Package store is the record of truth: Badger on disk. It imports ror and
// Badger only.
//
// DB opens the files, checks the schema, backs up and restores; each
// concern has a store of its own that DB hands out, the one owner of its
// keys: Offer (imports, edits, audit trail, files), Accounts (accounts,
// tokens, passwords, OpenID Connect identities), Sessions, Drafts and
// Anomalies.
//
// Key layout (keys.go): a whole import lives under one generation prefix;
// flipping the "current" key in one transaction publishes it atomically,
// and the previous generation is deleted afterwards (or at the next Open, if
// a crash came first). Edits (beds, drafts, EG contacts) change records of
// the current generation in place, with their audit entries, in one
// transaction synced before they return. UOs and EGs are stored in a
// compact binary form (codec.go) so that a restart loads 500,000 UOs in
// under a second.
package store
