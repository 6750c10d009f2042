package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// feedLines is the size of one bulk feed of the load.
const feedLines = 20

// tally is what one worker measured; merged into the report at the end.
type tally struct {
	reads, writes []time.Duration
	kinds         map[string]int // writes by kind
	errors        map[string]int // "PUT /api/v1/uo/…/capacitaire → 500"
	samples       []string       // the first error answers, for the report
}

func newTally() *tally { return &tally{kinds: map[string]int{}, errors: map[string]int{}} }

// timed sends one request, records its latency, and an error when the
// status is not the expected one.
func (t *tally) timed(ctx context.Context, p *plan, write bool, kind, method, path, token, body string, want int) ([]byte, bool) {
	start := time.Now()
	b, err := p.do(ctx, method, path, token, body, want)
	d := time.Since(start)
	if ctx.Err() != nil {
		return nil, false // the run ended during the request: not the service's fault
	}
	if write {
		t.writes = append(t.writes, d)
		t.kinds[kind]++
	} else {
		t.reads = append(t.reads, d)
	}
	if err != nil {
		key := method + " " + route(path)
		t.errors[key]++
		if len(t.samples) < 5 {
			t.samples = append(t.samples, err.Error())
		}
		return b, false
	}
	return b, true
}

// route is a path without its query and ids, to group errors.
func route(path string) string {
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	for i, s := range parts {
		if i > 3 && s != "" && s != "capacitaire" && s != "soumettre" && s != "valider" && s != "rejeter" && s != "cloture" {
			parts[i] = "…"
		}
	}
	return strings.Join(parts, "/")
}

// drive runs the readers, the writers and the memory sampler for
// o.duration and returns the report.
func drive(ctx context.Context, srv *server, p *plan, o options) *report {
	rep := &report{duration: o.duration, readers: o.readers, writers: o.writers, curve: o.curve}
	if rss, err := srv.rssKiB(); err == nil {
		rep.rssStart = rss
	}
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	tallies := make([]*tally, o.readers+o.writers)
	for i := range tallies {
		tallies[i] = newTally()
	}
	for i := range o.readers {
		wg.Go(func() { reader(ctx, p, tallies[i], uint64(i)) })
	}
	drafters := max(1, o.writers/3)
	for i := range o.writers {
		t := tallies[o.readers+i]
		switch i % 3 {
		case 0:
			wg.Go(func() { bedWriter(ctx, p, t, uint64(100+i)) })
		case 1:
			wg.Go(func() { feedWriter(ctx, p, t, uint64(100+i)) })
		case 2:
			var mine []string
			for j, eg := range srv.draftEGs {
				if j%drafters == i/3 {
					mine = append(mine, eg)
				}
			}
			wg.Go(func() { draftWriter(ctx, p, t, mine) })
		}
	}
	wg.Go(func() {
		tick := time.NewTicker(o.sampleEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-tick.C:
				if rss, err := srv.rssKiB(); err == nil {
					rep.rss = append(rep.rss, rssSample{at: now.Sub(start), kib: rss})
				}
			}
		}
	})
	wg.Wait()
	rep.elapsed = time.Since(start)
	for _, t := range tallies {
		rep.merge(t)
	}
	return rep
}

func reader(ctx context.Context, p *plan, t *tally, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 1))
	for ctx.Err() == nil {
		t.timed(ctx, p, false, "", "GET", p.pick(r), "", "", 200)
	}
}

// beds returns valid random figures: disponibles ≤ installés − fermés.
func beds(r *rand.Rand) (installes, fermes, dispo int) {
	installes = 10 + r.IntN(50)
	fermes = r.IntN(3)
	return installes, fermes, r.IntN(installes - fermes + 1)
}

// pause is each writer's pause between two writes (-write-pause): bed
// managers and référents write far less often than coordinators read.
func pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// bedWriter is a gestionnaire de lits updating one unit at a time.
func bedWriter(ctx context.Context, p *plan, t *tally, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 2))
	for ctx.Err() == nil {
		uo := p.bedUOs[r.IntN(len(p.bedUOs))]
		i, f, d := beds(r)
		body := fmt.Sprintf(`{"lits_installes":%d,"lits_fermes":%d,"lits_disponibles":%d}`, i, f, d)
		t.timed(ctx, p, true, "lits (PUT)", "PUT", "/api/v1/uo/"+uo+"/capacitaire", p.srv.lits, body, 200)
		pause(ctx, p.writePause)
	}
}

// feedWriter is a bed-management system sending feeds of feedLines units.
func feedWriter(ctx context.Context, p *plan, t *tally, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 3))
	for ctx.Err() == nil {
		var lines []string
		for _, k := range r.Perm(len(p.bedUOs))[:feedLines] {
			i, f, d := beds(r)
			lines = append(lines, fmt.Sprintf(`{"uo":%q,"lits_installes":%d,"lits_fermes":%d,"lits_disponibles":%d}`, p.bedUOs[k], i, f, d))
		}
		t.timed(ctx, p, true, "flux de lits (POST)", "POST", "/api/v1/capacitaire", p.srv.lits, "["+strings.Join(lines, ",")+"]", 200)
		pause(ctx, p.writePause)
	}
}

// draftWriter is a référent keeping the contacts of its EGs true: a
// dossier opened, submitted and validated (one in five rejected), and from
// time to time a report about the EG, closed by the référent.
func draftWriter(ctx context.Context, p *plan, t *tally, egs []string) {
	versions := map[string]int{}
	for _, eg := range egs {
		versions[eg] = 1 // a fresh import
	}
	for n := 0; ctx.Err() == nil; n++ {
		eg := egs[n%len(egs)]
		ops := fmt.Sprintf(`{"finess_eg":%q,"operations":[{"op":"modifier_eg","eg":{"telephone":"04%08d","horaires":"24h/24"},"version_base":%d}]}`, eg, n, versions[eg])
		b, ok := t.timed(ctx, p, true, "brouillons ouverts et soumis", "POST", "/api/v1/brouillons", p.srv.ref, ops, 201)
		var dr struct{ ID string }
		if json.Unmarshal(b, &dr); !ok || dr.ID == "" {
			pause(ctx, p.writePause)
			continue
		}
		path := "/api/v1/brouillons/" + dr.ID
		if _, ok := t.timed(ctx, p, true, "brouillons ouverts et soumis", "POST", path+"/soumettre", p.srv.ref, `{"version":1}`, 200); !ok {
			continue
		}
		if n%5 == 4 {
			t.timed(ctx, p, true, "brouillons rejetés", "POST", path+"/rejeter", p.srv.admin, `{"motif":"Horaires à préciser"}`, 200)
		} else if _, ok := t.timed(ctx, p, true, "brouillons publiés", "POST", path+"/valider", p.srv.admin, `{}`, 200); ok {
			versions[eg]++ // this writer alone edits eg
		}
		if n%3 == 0 {
			b, ok := t.timed(ctx, p, true, "signalements", "POST", "/api/v1/anomalies", "",
				`{"finess":"`+eg+`","champ":"telephone","description":"Le standard ne répond pas","email":"charge@example.org"}`, 201)
			var a struct{ ID string }
			if json.Unmarshal(b, &a); ok && a.ID != "" {
				t.timed(ctx, p, true, "signalements", "POST", "/api/v1/anomalies/"+a.ID+"/cloture", p.srv.ref, `{"resolution":"Numéro vérifié"}`, 200)
			}
		}
		pause(ctx, p.writePause)
	}
}

// draft opens a dossier changing eg's phone from version base and submits
// it; it returns its id.
func (p *plan) draft(ctx context.Context, eg string, base int) (string, error) {
	ops := fmt.Sprintf(`{"finess_eg":%q,"operations":[{"op":"modifier_eg","eg":{"telephone":"0400000000","horaires":"24h/24"},"version_base":%d}]}`, eg, base)
	b, err := p.do(ctx, "POST", "/api/v1/brouillons", p.srv.ref, ops, 201)
	if err != nil {
		return "", err
	}
	var dr struct{ ID string }
	json.Unmarshal(b, &dr)
	_, err = p.do(ctx, "POST", "/api/v1/brouillons/"+dr.ID+"/soumettre", p.srv.ref, `{"version":1}`, 200)
	return dr.ID, err
}
