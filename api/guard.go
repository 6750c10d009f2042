package api

import (
	"hash/maphash"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
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
// /healthz and /readyz are outside them: a prober polling a busy service
// must not be told it is down. The client is the socket's address, or with
// Config.TrustedProxies, the X-Forwarded-For of a trusted proxy (c.IP).
func (s *Server) rateLimit(c *fiber.Ctx) error {
	l := s.readLimit
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		if p := c.Path(); p == "/healthz" || p == "/readyz" {
			return c.Next()
		}
	default:
		l = s.writeLimit
	}
	if l != nil && !l.allow(s.clientKey(c), time.Now()) {
		c.Set(fiber.HeaderRetryAfter, "1")
		return fiber.ErrTooManyRequests
	}
	return c.Next()
}

// clientKey is the client of the rate limits: the socket's address, or,
// when it is one of Config.TrustedProxies, the last address of
// X-Forwarded-For — the one that proxy appended; the entries before it are
// the client's to forge.
func (s *Server) clientKey(c *fiber.Ctx) string {
	ip := c.Context().RemoteIP().String()
	if !s.trustProxies || !c.IsProxyTrusted() {
		return ip
	}
	xff := c.Get(fiber.HeaderXForwardedFor)
	if i := strings.LastIndexByte(xff, ','); i >= 0 {
		xff = xff[i+1:]
	}
	if a, err := netip.ParseAddr(strings.TrimSpace(xff)); err == nil {
		return a.String()
	}
	return ip
}

// allowReport takes a token of the client's budget of anonymous reports:
// Limited past it.
func (s *Server) allowReport(c *fiber.Ctx) error {
	if s.reportLimit != nil && !s.reportLimit.allow(s.clientKey(c), time.Now()) {
		c.Set(fiber.HeaderRetryAfter, "120")
		return ror.Errorf(ror.Limited, "", "Trop de signalements envoyés depuis cette adresse : réessayer plus tard.")
	}
	return nil
}

// noStore keeps answers to an authenticated request (history, reports
// with the reporters' addresses, drafts, backups) out of every cache: a
// bearer token, or a signed-in browser's session cookie.
func noStore(c *fiber.Ctx) error {
	err := c.Next()
	if c.Get(fiber.HeaderAuthorization) != "" || c.Cookies(sessionCookie) != "" {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return err
}

// securityHeaders sets the headers every response carries. The page is
// served from this origin only: no CDN, no inline script.
func securityHeaders(c *fiber.Ctx) error {
	setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders sets them; errorHandler calls it too, for the answers
// Fiber gives before any middleware runs (413, 431).
func setSecurityHeaders(c *fiber.Ctx) {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob: https:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
}
