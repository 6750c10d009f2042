package api

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// limiter is a token bucket per client IP: rate tokens a second, burst at
// most. Sharded so that concurrent clients rarely share a lock.
type limiter struct {
	rate, burst float64
	seed        maphash.Seed
	shards      [16]limiterShard
}

type limiterShard struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate, burst float64) *limiter {
	l := &limiter{rate: rate, burst: burst, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = map[string]*bucket{}
	}
	return l
}

// allow takes a token for key at now.
func (l *limiter) allow(key string, now time.Time) bool {
	sh := &l.shards[maphash.String(l.seed, key)%uint64(len(l.shards))]
	sh.mu.Lock()
	defer sh.mu.Unlock()
	b := sh.buckets[key]
	if b == nil {
		if len(sh.buckets) > 100_000 { // bound memory under a flood of addresses
			clear(sh.buckets)
		}
		b = &bucket{tokens: l.burst, last: now}
		sh.buckets[key] = b
	}
	b.tokens = min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// rateLimit answers 429 past the client's budget: reads and writes have
// separate buckets, writes the stricter.
func (s *Server) rateLimit(c *fiber.Ctx) error {
	l := s.readLimit
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
	default:
		l = s.writeLimit
	}
	if l != nil && !l.allow(c.IP(), time.Now()) {
		c.Set(fiber.HeaderRetryAfter, "1")
		return fiber.ErrTooManyRequests
	}
	return c.Next()
}

// securityHeaders sets the headers every response carries. The page is
// served from this origin only: no CDN, no inline script.
func securityHeaders(c *fiber.Ctx) error {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
	return c.Next()
}
