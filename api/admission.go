package api

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// admission lets at most as many searches run as there are cores, the
// others waiting their turn in arrival order. A search is pure CPU: more of
// them at once only share the cores, and the Go scheduler does not share
// them fairly (the goroutine readied last runs first), so under load some
// searches waited 100 ms while most took 1. Measured with wrk, 32
// connections on 2 cores: p99 132 → 52 ms at the same throughput.
type admission struct {
	slots chan struct{}
	wait  time.Duration // longest wait before 503
}

func newAdmission(n int, wait time.Duration) *admission {
	return &admission{slots: make(chan struct{}, n), wait: wait}
}

// handler runs c's next handlers once a slot is free: blocked senders of a
// channel are served first come, first served. A request still waiting
// after a.wait gets 503 with Retry-After.
func (a *admission) handler(c *fiber.Ctx) error {
	select {
	case a.slots <- struct{}{}:
	default:
		t := time.NewTimer(a.wait)
		select {
		case a.slots <- struct{}{}:
			t.Stop()
		case <-t.C:
			return ror.Errorf(ror.Unavailable, "", "Le service est très sollicité : réessayer dans un instant.")
		}
	}
	defer func() { <-a.slots }()
	return c.Next()
}
