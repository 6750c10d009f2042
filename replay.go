package ror

import (
	"context"
	"crypto/rand"
	mrand "math/rand/v2"
	"time"
)

// replayKey carries the clock and the entropy of a write being applied from
// the replicated log (package replica): every node that applies the same
// message must compute the same record, so the identifiers, tokens, salts
// and dates a write makes come from the message, not from the node.
type replayKey struct{}

type replay struct {
	at  time.Time
	rng *mrand.ChaCha8 // one command applies on one goroutine
}

// WithReplay returns ctx for applying a logged write made at at, whose
// random bytes derive from seed.
func WithReplay(ctx context.Context, at time.Time, seed [32]byte) context.Context {
	return context.WithValue(ctx, replayKey{}, &replay{at: at, rng: mrand.NewChaCha8(seed)})
}

// Now is the time of the write: the logged one when replaying, the
// machine's otherwise.
func Now(ctx context.Context) time.Time {
	if r, ok := ctx.Value(replayKey{}).(*replay); ok {
		return r.at
	}
	return time.Now()
}

// Random fills b: from the logged seed when replaying (the same bytes on
// every node), from crypto/rand otherwise.
func Random(ctx context.Context, b []byte) {
	if r, ok := ctx.Value(replayKey{}).(*replay); ok {
		_, _ = r.rng.Read(b)
		return
	}
	_, _ = rand.Read(b) // never fails (crypto/rand, Go 1.24)
}
