// Package store is the record of truth: Badger on disk. It imports ror and
// Badger only.
//
// Key layout (keys.go): a whole import lives under one generation prefix;
// flipping the "current" key in one transaction publishes it atomically,
// and the previous generation is deleted afterwards (or at the next Open, if
// a crash came first).
package store
