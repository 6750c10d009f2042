package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
)

// TestAdmissionQueuesSearchesInArrivalOrder holds the only search slot and
// checks that the searches waiting for it run first come, first served, and
// that one waiting past the limit gets a 503 problem with Retry-After.
func TestAdmissionQueuesSearchesInArrivalOrder(t *testing.T) {
	s := &Server{log: slog.New(slog.DiscardHandler)}
	a := newAdmission(1, 300*time.Millisecond)
	app := fiber.New(fiber.Config{ErrorHandler: s.errorHandler})
	release := make(chan struct{})
	var mu sync.Mutex
	var order []int
	app.Get("/lent", a.handler, func(c *fiber.Ctx) error { <-release; return c.SendString("ok") })
	app.Get("/n/:i", a.handler, func(c *fiber.Ctx) error {
		i, _ := strconv.Atoi(c.Params("i"))
		mu.Lock()
		order = append(order, i)
		mu.Unlock()
		return c.SendString("ok")
	})
	get := func(path string) (int, string, string) {
		resp, err := app.Test(httptest.NewRequest("GET", path, nil), -1)
		if err != nil {
			t.Error(err)
			return 0, "", ""
		}
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
	}
	held := make(chan struct{})
	go func() { defer close(held); get("/lent") }()
	waitFor(t, func() bool { return len(a.slots) == 1 })

	t.Run("a search waiting past the limit gets 503 with Retry-After", func(t *testing.T) {
		code, retry, body := get("/n/0")
		var p Problem
		json.Unmarshal([]byte(body), &p)
		if code != 503 || retry == "" || p.Status != 503 || p.Detail == "" {
			t.Errorf("got %d, Retry-After %q, %s; want a 503 problem with Retry-After", code, retry, body)
		}
	})

	t.Run("the waiting searches run in arrival order", func(t *testing.T) {
		a.wait = 10 * time.Second
		var wg sync.WaitGroup
		for i := 1; i <= 5; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); get("/n/" + strconv.Itoa(i)) }()
			time.Sleep(20 * time.Millisecond) // each queued before the next arrives
		}
		close(release)
		wg.Wait()
		<-held
		if len(order) != 5 || !slicesSorted(order) {
			t.Errorf("ran in order %v, want 1 2 3 4 5", order)
		}
	})
}

func slicesSorted(v []int) bool {
	for i := 1; i < len(v); i++ {
		if v[i] < v[i-1] {
			return false
		}
	}
	return true
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for start := time.Now(); !cond(); time.Sleep(time.Millisecond) {
		if time.Since(start) > 5*time.Second {
			t.Fatal("timed out")
		}
	}
}
