package main

import (
	"testing"
	"time"
)

func TestWrkSummaryIsRead(t *testing.T) {
	out := `Running 30s test @ http://127.0.0.1:8097
  2 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     9.61ms   12.01ms 236.77ms   89.11%
  Latency Distribution
     50%    5.12ms
     75%   11.20ms
     90%   22.00ms
     99%  812.00us
  98765 requests in 30.00s, 1.23GB read
  Non-2xx or 3xx responses: 3
Requests/sec:   3292.17
Transfer/sec:     42.01MB
`
	r, err := parseWrk(out)
	if err != nil {
		t.Fatal(err)
	}
	want := wrkResult{requests: 98765, errors: 3, rps: 3292.17, p50: 5120 * time.Microsecond, p90: 22 * time.Millisecond, p99: 812 * time.Microsecond}
	r.config = ""
	if r != want {
		t.Errorf("got %+v, want %+v", r, want)
	}
}

func TestQuantileIsNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, time.Duration(i))
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50}, {0.99, 99}, {1, 100}, {0, 1}} {
		if got := quantile(ds, c.q); got != c.want {
			t.Errorf("quantile(%g): got %d, want %d", c.q, got, c.want)
		}
	}
}

func TestSearchShareOfTheMix(t *testing.T) {
	if got := searchShare("../../api/testdata/load-mix.lua"); got != 5.0/8 {
		t.Errorf("got %g, want 5/8", got)
	}
}
