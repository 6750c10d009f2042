package api

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// latencyBuckets are the upper bounds (seconds) of the request latency
// histograms: a search should land in the first three.
var latencyBuckets = []float64{0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

// metrics holds the Prometheus series of the service, written in the text
// exposition format by hand: a handful of histograms needs no client library.
type metrics struct {
	mu     sync.Mutex
	routes map[string]*histogram // "GET /api/v1/search 200" → latencies
	writes atomic.Int64
}

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

func newMetrics() *metrics { return &metrics{routes: map[string]*histogram{}} }

func (m *metrics) observe(key string, d time.Duration) {
	s := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, s)
	m.mu.Lock()
	h := m.routes[key]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.routes[key] = h
	}
	h.counts[i]++
	h.sum += s
	h.n++
	m.mu.Unlock()
}

// middleware times every request under its route template (never the raw
// path, so the series stay few).
func (m *metrics) middleware(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		} else {
			status = kinds[ror.ErrorKind(err)].status
		}
	}
	route := c.Route().Path
	if route == "/" && c.Path() != "/" {
		route = "other"
	}
	m.observe(fmt.Sprintf("%s\x00%s\x00%d", c.Method(), route, status), time.Since(start))
	return err
}

// write renders the series; gauges are read at scrape time.
func (m *metrics) write(b *strings.Builder, gauges map[string]float64) {
	b.WriteString("# HELP ror_http_request_duration_seconds Request latency by route and status.\n")
	b.WriteString("# TYPE ror_http_request_duration_seconds histogram\n")
	m.mu.Lock()
	keys := make([]string, 0, len(m.routes))
	for k := range m.routes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts := strings.SplitN(k, "\x00", 3)
		labels := fmt.Sprintf(`method="%s",route="%s",status="%s"`, parts[0], parts[1], parts[2])
		h := m.routes[k]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(b, "ror_http_request_duration_seconds_bucket{%s,le=\"%g\"} %d\n", labels, le, cum)
		}
		fmt.Fprintf(b, "ror_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", labels, h.n)
		fmt.Fprintf(b, "ror_http_request_duration_seconds_sum{%s} %g\n", labels, h.sum)
		fmt.Fprintf(b, "ror_http_request_duration_seconds_count{%s} %d\n", labels, h.n)
	}
	m.mu.Unlock()
	fmt.Fprintf(b, "# TYPE ror_writes_total counter\nror_writes_total %d\n", m.writes.Load())
	names := make([]string, 0, len(gauges))
	for n := range gauges {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		v := gauges[n]
		if math.IsNaN(v) {
			continue
		}
		fmt.Fprintf(b, "# TYPE %s gauge\n%s %g\n", n, n, v)
	}
}

// handleMetrics is GET /metrics: Prometheus text format.
func (s ops) handleMetrics(c *fiber.Ctx) error {
	var b strings.Builder
	g := map[string]float64{}
	if v, err := s.services(); err == nil {
		st := v.Stats.Stats()
		g["ror_index_eg"], g["ror_index_uo"] = float64(st.EGs), float64(st.UOs)
		g["ror_ready"] = 1
	} else {
		g["ror_ready"] = 0
	}
	s.metrics.write(&b, g)
	if s.cluster != nil {
		s.cluster.WriteMetrics(&b)
	}
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	return c.SendString(b.String())
}
