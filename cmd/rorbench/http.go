package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

// serveBench starts `ror serve` on the data dir as a child process and
// measures it from outside: time until ready, resident memory, each case
// one request at a time, then wrk with the query mix while a bed change is
// written and searched for.
func serveBench(ctx context.Context, o options, cases []*benchCase, upd *bedUpdate, rep *report, out io.Writer) error {
	exe := o.bin
	addr, err := loopbackAddr()
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "redémarrage du service sur %s…\n", addr)
	cmd := exec.CommandContext(ctx, exe, "serve", "-data", o.data, "-addr", addr,
		"-read-rate", "-1", "-write-rate", "-1", "-log-level", "warn")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}()
	base := "http://" + addr
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	for {
		if resp, err := client.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Since(start) > 5*time.Minute {
			return errors.New("banc d'essai: le service n'est pas prêt après 5 min")
		}
		time.Sleep(20 * time.Millisecond)
	}
	rep.ready = time.Since(start)
	rep.rssReady = rss(cmd.Process.Pid)

	for _, c := range cases {
		if c.path == "" {
			continue
		}
		n := o.n
		if strings.Contains(c.path, ".") { // exports: heavier, fewer
			n = max(n/10, 20)
		}
		get := func(q string) (time.Duration, error) {
			t := time.Now()
			prefix := "/api/v1"
			if strings.HasPrefix(c.path, "/fhir") {
				prefix = ""
			}
			resp, err := client.Get(base + prefix + c.path + "?" + q)
			if err != nil {
				return 0, err
			}
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return 0, fmt.Errorf("%s?%s: HTTP %d", c.path, q, resp.StatusCode)
			}
			return time.Since(t), err
		}
		if c.cold {
			n = len(c.queries)
		} else {
			for _, q := range c.queries { // warm-up
				if _, err := get(q); err != nil {
					return err
				}
			}
		}
		for i := range n {
			d, err := get(c.queries[i%len(c.queries)])
			if err != nil {
				return err
			}
			c.http = append(c.http, d)
		}
	}

	if o.load > 0 {
		if _, err := exec.LookPath("wrk"); err != nil {
			fmt.Fprintln(out, "wrk absent (apt-get install wrk): pas de charge HTTP")
		} else {
			fmt.Fprintf(out, "wrk %s pendant %s…\n", o.mix, o.load)
			bed := make(chan error, 1)
			go func() {
				time.Sleep(o.load / 3) // in the thick of the load
				d, err := upd.run(ctx, client, base)
				rep.bedDelay = d
				bed <- err
			}()
			rep.wrk, err = runWrk(ctx, o, base, o.conns, 0)
			if err != nil {
				return err
			}
			if o.think > 0 {
				fmt.Fprintf(out, "wrk à charge offerte (%d connexions, %s de réflexion) pendant %s…\n", 2*o.conns, o.think, o.load)
				if rep.wrkPaced, err = runWrk(ctx, o, base, 2*o.conns, o.think); err != nil {
					return err
				}
			}
			if err := <-bed; err != nil {
				rep.bedErr = err.Error()
			}
			rep.wrkSearchShare = searchShare(o.mix)
		}
	}
	rep.rssLoaded = rss(cmd.Process.Pid)
	return nil
}

func loopbackAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// rss is the resident memory of process pid in bytes (Linux), 0 if unknown.
func rss(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// wrkResult is what the table keeps of a wrk run.
type wrkResult struct {
	config           string
	requests, errors int
	rps              float64
	p50, p90, p99    time.Duration
}

var (
	wrkLatency  = regexp.MustCompile(`(?m)^\s+(50|90|99)%\s+([\d.]+)(us|ms|s)\s*$`)
	wrkRequests = regexp.MustCompile(`(\d+) requests in`)
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkErrors   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)|Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

// runWrk runs wrk with the mix against base and parses its summary: conns
// connections, each pausing a random think time of mean think between its
// requests (0: none, the load saturates the server).
func runWrk(ctx context.Context, o options, base string, conns int, think time.Duration) (wrkResult, error) {
	args := []string{"-t2", fmt.Sprintf("-c%d", conns), "-d" + strconv.Itoa(int(o.load.Seconds())) + "s",
		"--latency", "-s", o.mix, base}
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, "wrk", args...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("WRK_DELAY_MS=%g", float64(think.Microseconds())/1000))
	cmd.Stdout, cmd.Stderr = &buf, &buf
	if err := cmd.Run(); err != nil {
		return wrkResult{}, fmt.Errorf("wrk: %w: %s", err, buf.String())
	}
	r, err := parseWrk(buf.String())
	r.config = fmt.Sprintf("2 fils, %d connexions, %s", conns, o.load)
	if think > 0 {
		r.config += fmt.Sprintf(", %s de réflexion en moyenne", think)
	}
	return r, err
}

// parseWrk reads the summary wrk --latency prints.
func parseWrk(s string) (wrkResult, error) {
	var r wrkResult
	if m := wrkRequests.FindStringSubmatch(s); m != nil {
		r.requests, _ = strconv.Atoi(m[1])
	}
	if m := wrkRPS.FindStringSubmatch(s); m != nil {
		r.rps, _ = strconv.ParseFloat(m[1], 64)
	}
	for _, m := range wrkLatency.FindAllStringSubmatch(s, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
		d := time.Duration(v * float64(unit))
		switch m[1] {
		case "50":
			r.p50 = d
		case "90":
			r.p90 = d
		case "99":
			r.p99 = d
		}
	}
	for _, m := range wrkErrors.FindAllStringSubmatch(s, -1) {
		for _, n := range m[1:] {
			k, _ := strconv.Atoi(n)
			r.errors += k
		}
	}
	if r.requests == 0 {
		return r, fmt.Errorf("wrk: résumé illisible: %s", s)
	}
	return r, nil
}

// searchShare is the share of searches among the kinds of request of a wrk
// mix: the lines of its kinds table that open with {search = true, or
// {paths = for the others.
func searchShare(mix string) float64 {
	f, err := os.Open(mix)
	if err != nil {
		return 0
	}
	defer f.Close()
	var all, searches int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "{search = true"):
			searches++
			all++
		case strings.HasPrefix(line, "{paths ="):
			all++
		}
	}
	if all == 0 {
		return 0
	}
	return float64(searches) / float64(all)
}

// bedUpdate is a bed change made during the load by a named bed manager of
// one établissement, and the search that must show it.
type bedUpdate struct {
	token, uo, search string
	dispo             int
	body              string
}

// newBedUpdate picks a geolocated UO whose beds are known — on the real
// base, where no figure is known until a bed manager enters one, a UO with
// installed beds (SAE) — and creates, in the store, a bed manager scoped to
// its établissement for two hours.
func newBedUpdate(ctx context.Context, db *store.DB, offer *ror.Offer) (*bedUpdate, error) {
	egs := make(map[string]*ror.EG, len(offer.EGs))
	for i := range offer.EGs {
		egs[offer.EGs[i].FINESS] = &offer.EGs[i]
	}
	for _, known := range []bool{true, false} {
		for i := range offer.UOs {
			u := &offer.UOs[i]
			eg := egs[u.EG]
			if u.Capacite.Known != known || u.Capacite.Installes < 2 || eg == nil || !eg.Geolocated() || eg.Commune == "" {
				continue
			}
			acct := ror.Account{Name: fmt.Sprintf("banc d'essai %d", time.Now().UnixNano()), Role: ror.RoleGestionnaire,
				Scope: []string{eg.FINESS}, Expires: time.Now().Add(2 * time.Hour).UTC()}
			tok, err := db.Accounts().CreateAccount(ctx, acct)
			if err != nil {
				return nil, err
			}
			c := u.Capacite
			dispo := 1 // a first figure: the search showed « Saisie non activée »
			if known {
				dispo = (c.Disponibles + 1) % (c.Installes + 1) // differs from now, within the open beds
			}
			body := fmt.Sprintf(`{"lits_installes":%d,"lits_disponibles":%d}`, c.Installes, dispo)
			return &bedUpdate{token: tok, uo: u.ID, dispo: dispo, body: body,
				search: fmt.Sprintf("/api/v1/search?ou=%s&dans=noms&code=%s", eg.Commune, eg.FINESS)}, nil
		}
	}
	return nil, errors.New("banc d'essai: aucune UO avec des lits installés")
}

// run writes the change and searches until the search shows it; it returns
// the delay from sending the write to the first search showing it.
func (b *bedUpdate) run(ctx context.Context, client *http.Client, base string) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, base+"/api/v1/uo/"+b.uo+"/capacitaire", strings.NewReader(b.body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	req.Header.Set("Content-Type", "application/json")
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("PUT capacitaire: HTTP %d %s", resp.StatusCode, msg)
	}
	for time.Since(start) < 10*time.Second {
		if ok, err := b.shown(client, base); err != nil {
			return 0, err
		} else if ok {
			return time.Since(start), nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0, errors.New("non visible après 10 s")
}

func (b *bedUpdate) shown(client *http.Client, base string) (bool, error) {
	resp, err := client.Get(base + b.search)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	var res struct {
		Etablissements []struct {
			UO []struct {
				ID    string `json:"id"`
				Dispo *int   `json:"lits_disponibles"`
			} `json:"uo"`
		} `json:"etablissements"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		return false, err
	}
	for _, eg := range res.Etablissements {
		for _, u := range eg.UO {
			if u.ID == b.uo && u.Dispo != nil && *u.Dispo == b.dispo {
				return true, nil
			}
		}
	}
	return false, nil
}
