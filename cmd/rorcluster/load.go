package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// acked are the writes the cluster acknowledged (2xx), to find afterwards
// on every node.
type acked struct {
	mu      sync.Mutex
	beds    []bedWrite
	reports []string // ids
	drafts  []string // ids
}

type bedWrite struct {
	UO  string
	Maj time.Time // the figure's time, the audit entry's date
}

// tally counts the answers by node and outcome; bad are those no scenario
// allows (a 5xx but a 503 with Retry-After, a 4xx the load never provokes,
// a write not read back on its own node).
type tally struct {
	mu       sync.Mutex
	answers  map[string]int // "n1 PUT lits 200"
	bad      []string
	unavail  map[string]int  // node → 503 with Retry-After
	conn     map[string]int  // node → no answer (killed, stopped, restarting)
	lat      []time.Duration // acknowledged writes, sent → answered
	ryw      atomic.Int64    // writes read back on their node
	writes   atomic.Int64
	failedRW atomic.Int64
	// calm: every node up and ready for a few seconds; a 503 to a request
	// that was wholly inside a calm stretch is no longer the node being
	// killed, it is a failure. A write waits up to -cluster-timeout (10 s)
	// for its quorum, so a request sent during a failure may be answered
	// after calm is back: calmSince tells the two apart.
	calm      atomic.Bool
	calmSince atomic.Int64 // unix nanoseconds when calm last became true
}

// setCalm marks the cluster calm (or not) from now on.
func (t *tally) setCalm(c bool) {
	if c {
		t.calmSince.Store(time.Now().UnixNano())
	}
	t.calm.Store(c)
}

// calmThrough: the cluster was calm from sent until now.
func (t *tally) calmThrough(sent time.Time) bool {
	return t.calm.Load() && t.calmSince.Load() <= sent.UnixNano()
}

func newTally() *tally {
	return &tally{answers: map[string]int{}, unavail: map[string]int{}, conn: map[string]int{}}
}

func (t *tally) badf(f string, a ...any) {
	t.mu.Lock()
	if len(t.bad) < 50 {
		t.bad = append(t.bad, fmt.Sprintf(f, a...))
	}
	t.mu.Unlock()
}

var client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

// do sends one request to n; ok is a 2xx, whose body is returned.
func (t *tally) do(ctx context.Context, n *node, kind, method, path, token, body string, want int) ([]byte, bool) {
	req, err := http.NewRequestWithContext(ctx, method, n.base+path, strings.NewReader(body))
	if err != nil {
		return nil, false
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	sent := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() == nil {
			t.mu.Lock()
			t.conn[n.name]++
			t.mu.Unlock()
		}
		return nil, false
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	t.mu.Lock()
	t.answers[fmt.Sprintf("%s %s %d", n.name, kind, resp.StatusCode)]++
	t.mu.Unlock()
	switch {
	case resp.StatusCode == want:
		if method != "GET" {
			t.mu.Lock()
			t.lat = append(t.lat, time.Since(sent))
			t.mu.Unlock()
		}
		return b, true
	case resp.StatusCode == 503 && resp.Header.Get("Retry-After") != "" && !t.calmThrough(sent):
		t.mu.Lock()
		t.unavail[n.name]++
		t.mu.Unlock()
	default:
		t.badf("%s %s %s → %d %s", n.name, method, path, resp.StatusCode, clip(string(b)))
	}
	return nil, false
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200] + "…"
	}
	return s
}

// targets are the units and EGs the load writes.
type targets struct {
	uos  []string
	egs  []string
	egOf map[string]string // UO → its EG
	ver  map[string]int    // EG → version, for the drafts' version_base
}

func findTargets(ctx context.Context, n *node) (*targets, error) {
	tg := &targets{ver: map[string]int{}, egOf: map[string]string{}}
	seen := map[string]bool{}
	for _, q := range []string{"urgences", "medecine", "chirurgie", "psychiatrie", "readaptation", "pediatrie", "maternite", "ehpad"} {
		resp, err := client.Get(n.base + "/api/v1/search?q=" + q + "&par_page=50")
		if err != nil {
			return nil, err
		}
		var r struct {
			Etablissements []struct {
				Finess string `json:"finess"`
				UO     []struct {
					ID string `json:"id"`
				} `json:"uo"`
			} `json:"etablissements"`
		}
		err = json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		for _, e := range r.Etablissements {
			if !seen[e.Finess] && len(tg.egs) < 12 {
				seen[e.Finess] = true
				tg.egs = append(tg.egs, e.Finess)
			}
			for _, u := range e.UO {
				if !seen[u.ID] && len(tg.uos) < 60 {
					seen[u.ID] = true
					tg.egOf[u.ID] = e.Finess
					tg.uos = append(tg.uos, u.ID)
				}
			}
		}
	}
	for _, eg := range tg.egs {
		resp, err := client.Get(n.base + "/api/v1/eg/" + eg)
		if err != nil {
			return nil, err
		}
		var f struct {
			Version int `json:"version"`
		}
		json.NewDecoder(resp.Body).Decode(&f)
		resp.Body.Close()
		tg.ver[eg] = f.Version
	}
	if len(tg.uos) < 12 || len(tg.egs) < 2 {
		return nil, fmt.Errorf("trop peu d'UO (%d) ou d'EG (%d) dans les recherches", len(tg.uos), len(tg.egs))
	}
	return tg, nil
}

// writer w writes, round robin over the nodes that are up, bed figures of
// its own units (each differs from the last, so each is a change), a
// report now and then and a draft now and then; a bed write acknowledged
// is read back at once on the node that took it.
func writer(ctx context.Context, w, nw int, nodes []*node, up func(*node) bool, tg *targets, token string, t *tally, a *acked) {
	r := rand.New(rand.NewPCG(uint64(w), 7))
	var mine []string
	for i, u := range tg.uos {
		if i%nw == w { // disjoint: two writers never send the same figure
			mine = append(mine, u)
		}
	}
	if len(mine) == 0 {
		mine = tg.uos[:1]
	}
	count := map[string]int{}
	for i := 0; ctx.Err() == nil; i++ {
		n := nodes[(w+i)%len(nodes)]
		if !up(n) {
			pause(ctx, 20*time.Millisecond)
			continue
		}
		switch k := r.IntN(10); {
		case k < 7:
			uo := mine[r.IntN(len(mine))]
			count[uo]++
			body := fmt.Sprintf(`{"lits_installes":200,"lits_fermes":0,"lits_disponibles":%d}`, count[uo]%201)
			t.writes.Add(1)
			b, ok := t.do(ctx, n, "PUT lits", "PUT", "/api/v1/uo/"+uo+"/capacitaire", token, body, 200)
			if !ok {
				continue
			}
			var v struct {
				Capacite struct {
					Maj time.Time `json:"maj"`
				} `json:"capacite"`
			}
			if err := json.Unmarshal(b, &v); err != nil || v.Capacite.Maj.IsZero() {
				t.badf("%s PUT %s: réponse sans capacite.maj: %s", n.name, uo, clip(string(b)))
				continue
			}
			a.mu.Lock()
			a.beds = append(a.beds, bedWrite{uo, v.Capacite.Maj})
			a.mu.Unlock()
			// read-your-writes: the node that acknowledged it shows it
			if rb, ok := t.do(ctx, n, "GET fiche", "GET", "/api/v1/eg/"+tg.egOf[uo], "", "", 200); ok {
				var rv struct {
					UO []struct {
						ID       string `json:"id"`
						Capacite struct {
							Maj time.Time `json:"maj"`
						} `json:"capacite"`
					} `json:"uo"`
				}
				json.Unmarshal(rb, &rv)
				var got time.Time
				for _, u := range rv.UO {
					if u.ID == uo {
						got = u.Capacite.Maj
					}
				}
				if got.Before(v.Capacite.Maj) {
					t.failedRW.Add(1)
					t.badf("%s: l'écriture acquittée de %s (%s) n'est pas relue sur ce nœud (%s)", n.name, uo, v.Capacite.Maj, got)
				} else {
					t.ryw.Add(1)
				}
			}
		case k < 9:
			eg := tg.egs[r.IntN(len(tg.egs))]
			body := fmt.Sprintf(`{"finess":%q,"champ":"telephone","description":"Numéro à vérifier (charge %d-%d)","email":"charge@example.org"}`, eg, w, i)
			t.writes.Add(1)
			b, ok := t.do(ctx, n, "POST signalement", "POST", "/api/v1/anomalies", "", body, 201)
			if !ok {
				continue
			}
			var v struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(b, &v) == nil && v.ID != "" {
				a.mu.Lock()
				a.reports = append(a.reports, v.ID)
				a.mu.Unlock()
			}
		default:
			eg := tg.egs[r.IntN(len(tg.egs))]
			body := fmt.Sprintf(`{"finess_eg":%q,"operations":[{"op":"modifier_eg","eg":{"telephone":"04%08d","horaires":"24h/24"},"version_base":%d}]}`, eg, i, tg.ver[eg])
			t.writes.Add(1)
			b, ok := t.do(ctx, n, "POST brouillon", "POST", "/api/v1/brouillons", token, body, 201)
			if !ok {
				continue
			}
			var v struct {
				ID string `json:"id"`
			}
			if json.Unmarshal(b, &v) == nil && v.ID != "" {
				a.mu.Lock()
				a.drafts = append(a.drafts, v.ID)
				a.mu.Unlock()
			}
		}
		pause(ctx, 30*time.Millisecond)
	}
}

// reader is a coordinator searching and opening units on any node up.
func reader(ctx context.Context, w int, nodes []*node, up func(*node) bool, tg *targets, t *tally) {
	r := rand.New(rand.NewPCG(uint64(w), 9))
	qs := []string{"urgences", "medecine", "psychiatrie", "chirurgie"}
	for i := 0; ctx.Err() == nil; i++ {
		n := nodes[r.IntN(len(nodes))]
		if !up(n) {
			pause(ctx, 20*time.Millisecond)
			continue
		}
		if i%2 == 0 {
			t.do(ctx, n, "GET recherche", "GET", "/api/v1/search?q="+qs[r.IntN(len(qs))], "", "", 200)
		} else {
			t.do(ctx, n, "GET fiche", "GET", "/api/v1/eg/"+tg.egs[r.IntN(len(tg.egs))], "", "", 200)
		}
		pause(ctx, 10*time.Millisecond)
	}
}

func pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

func (t *tally) print(w io.Writer) {
	t.mu.Lock()
	defer t.mu.Unlock()
	keys := make([]string, 0, len(t.answers))
	for k := range t.answers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %-28s %d\n", k, t.answers[k])
	}
	if len(t.lat) > 0 {
		sort.Slice(t.lat, func(i, j int) bool { return t.lat[i] < t.lat[j] })
		q := func(p float64) time.Duration { return t.lat[int(p*float64(len(t.lat)-1))].Round(10 * time.Microsecond) }
		fmt.Fprintf(w, "  écritures acquittées, envoi → réponse (quorum puis application locale) : p50 %s, p99 %s, max %s\n", q(0.5), q(0.99), q(1))
	}
	fmt.Fprintf(w, "  503 avec Retry-After par nœud: %v ; sans réponse (tué, arrêté, relancé): %v\n", t.unavail, t.conn)
}

var errBad = errors.New("réponses inattendues")
