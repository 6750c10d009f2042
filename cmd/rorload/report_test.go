package main

import (
	"strings"
	"testing"
	"time"
)

func TestVerdict(t *testing.T) {
	// flat at 300 MiB, then the last third at the given level
	run := func(last int64, errs int) error {
		r := &report{duration: 60 * time.Second}
		for s := range 60 {
			kib := int64(300 << 10)
			if s >= 40 {
				kib = last << 10
			}
			r.rss = append(r.rss, rssSample{at: time.Duration(s) * time.Second, kib: kib})
		}
		r.merge(&tally{errors: map[string]int{"GET /api/v1/search": errs}})
		return r.verdict(0.10)
	}
	cases := []struct {
		last    int64
		errs    int
		failure string // "" when the run passes
		why     string
	}{
		{300, 0, "", "flat memory, no error: passes"},
		{329, 0, "", "under 10 % growth: passes"},
		{331, 0, "mémoire résidente a crû de 10.3 %", "over 10 %: fails"},
		{300, 1, "1 réponse(s) en erreur", "one error answer fails"},
	}
	for _, c := range cases {
		err := run(c.last, c.errs)
		if (err == nil) != (c.failure == "") || err != nil && !strings.Contains(err.Error(), c.failure) {
			t.Errorf("%s: got %v, want %q", c.why, err, c.failure)
		}
	}
}

func TestRouteGroupsIDs(t *testing.T) {
	for path, want := range map[string]string{
		"/api/v1/search?ou=75110":                "/api/v1/search",
		"/api/v1/uo/010000024-REA/capacitaire":   "/api/v1/uo/…/capacitaire",
		"/api/v1/brouillons/0123abcd/valider":    "/api/v1/brouillons/…/valider",
		"/api/v1/anomalies/0123abcd/cloture?x=1": "/api/v1/anomalies/…/cloture",
	} {
		if got := route(path); got != want {
			t.Errorf("route(%q): got %q, want %q", path, got, want)
		}
	}
}
