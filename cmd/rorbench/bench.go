package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/api"
	"github.com/ror-recherche/ror/internal/wire"
	"github.com/ror-recherche/ror/search"
	"github.com/ror-recherche/ror/store"
)

// bench measures the service on a data dir (the national generated set for
// the targets) and prints one table: each case's p50 and p99 in
// process and over HTTP beside its target, the naive Bleve way of the same
// searches and the ratio, start, memory, a wrk load of the query mix and the
// delay before a bed change shows in searches during that load.
//
// The data dir is read in this process first (the Directory the server
// builds, measured without HTTP), then served by a child `ror serve` on
// loopback, whose start, memory and answers are measured from outside.
func bench(ctx context.Context, o options, out io.Writer) error {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	rep := &report{}
	rep.machine()

	db, err := store.Open(filepath.Join(o.data, "badger"), store.Options{Logger: quiet})
	if err != nil {
		return fmt.Errorf("banc d'essai: %w (le service doit être arrêté)", err)
	}
	offer, err := db.Offer().LoadOffer(ctx)
	if ror.IsNotFound(err) || err == nil && o.reimport {
		fmt.Fprintf(out, "import de %s…\n", o.sources)
		start := time.Now()
		offer, _, err = wire.Import(ctx, db, o.sources, o.data, nil, nil)
		rep.importTook = time.Since(start)
	}
	if err != nil {
		db.Close()
		return err
	}
	fmt.Fprintf(out, "%d EG, %d UO; construction de l'annuaire en mémoire…\n", len(offer.EGs), len(offer.UOs))
	svc, err := wire.Build(offer, o.data, db, wire.Routing{})
	if err != nil {
		db.Close()
		return err
	}
	d := svc.Directory
	cases := benchCases(offer)
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			db.Close()
			return err
		}
		defer f.Close()
		pprof.StartCPUProfile(f)
	}
	for _, c := range cases {
		if c.inProcess != nil {
			if err := c.measureInProcess(ctx, d, o.n); err != nil {
				db.Close()
				return fmt.Errorf("%s: %w", c.name, err)
			}
		}
	}
	if o.cpuprofile != "" {
		pprof.StopCPUProfile()
		if f, err := os.Create(o.cpuprofile + ".allocs"); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	if o.local {
		for _, c := range cases { // per query, to see which one makes the p99
			per := map[string][]time.Duration{}
			for i, d := range c.local {
				q := c.queries[i%len(c.queries)]
				per[q] = append(per[q], d)
			}
			for _, q := range c.queries {
				fmt.Fprintf(out, "  %-40.40s %-70.70s p50 %s p99 %s\n", c.name, q, ms(quantile(per[q], .5)), ms(quantile(per[q], .99)))
			}
		}
		rep.print(out, cases)
		return db.Close()
	}
	// A bed manager of one établissement for the update during the load.
	upd, err := newBedUpdate(ctx, db, offer)
	if err != nil {
		db.Close()
		return err
	}
	if o.naive {
		fmt.Fprintln(out, "index Bleve naïf des UO (construit une fois, réutilisé)…")
		if err := naiveBench(ctx, o, offer, d, cases, rep); err != nil {
			db.Close()
			return err
		}
	}
	svc.Index.Close()
	if err := db.Close(); err != nil {
		return err
	}
	d, offer = nil, nil
	runtime.GC()

	if err := serveBench(ctx, o, cases, upd, rep, out); err != nil {
		return err
	}
	rep.print(out, cases)
	return nil
}

// benchCase is one kind of request: its query strings (rotated over
// communes and words so that no single answer is cached anywhere), the
// target, and the durations measured.
type benchCase struct {
	name      string
	target    string        // the target, as printed
	p50Max    time.Duration // 0: none
	p99Max    time.Duration
	path      string   // HTTP route under /api/v1, or under / when it starts with /fhir
	pairOf    string   // the case this one must stay within 2× of (HTTP p50)
	queries   []string // query strings
	inProcess func(ctx context.Context, d *search.Directory, raw string) error
	naive     bool // also run the naive Bleve way
	cold      bool // each query once, never seen before: no cache helps

	local, http, naiveTimes []time.Duration
}

// benchCommunes are large communes of several regions, by INSEE code.
var benchCommunes = []string{"75110", "33063", "69381", "13201", "31555", "59350", "67482", "44109",
	"34172", "06088", "35238", "76540", "21231", "87085", "63113", "29019"}

func benchCases(offer *ror.Offer) []*benchCase {
	find := func(ctx context.Context, d *search.Directory, raw string) error {
		v, _ := url.ParseQuery(raw)
		q, err := api.ParseQuery(v)
		if err != nil {
			return err
		}
		_, err = d.Search(ctx, q)
		return err
	}
	suggest := func(ctx context.Context, d *search.Directory, raw string) error {
		v, _ := url.ParseQuery(raw)
		dans, err := ror.ParseDans(v.Get("dans"))
		if err != nil {
			return err
		}
		_, err = d.Suggest(ctx, v.Get("q"), dans)
		return err
	}
	nearby := func(ctx context.Context, d *search.Directory, raw string) error {
		v, _ := url.ParseQuery(raw)
		q, err := api.ParseNearQuery(v)
		if err != nil {
			return err
		}
		_, _, err = d.Nearby(ctx, q, time.Now())
		return err
	}
	dep := func(insee string) string {
		if strings.HasPrefix(insee, "97") {
			return insee[:3]
		}
		return insee[:2]
	}
	var sel, broad, facets, noCommune, sugg, prox, export, apiNear, fhirNear []string
	types := []string{"20", "121", "290", "262", "149"}
	words := []string{"centre", "medecine", "hospitalier", "clinique", "soins"}
	for i, insee := range benchCommunes {
		c := "insee:" + insee // a postal code may name several communes
		sel = append(sel, fmt.Sprintf("ou=%s&dans=types-uo&code=%s", c, types[i%len(types)]))
		broad = append(broad, fmt.Sprintf("ou=%s&dans=tout&q=%s", c, words[i%len(words)]))
		facets = append(facets, fmt.Sprintf("ou=%s&dans=tout&q=medecine&departement=%s&statut=actif&patientele=adulte", c, dep(insee)))
		prox = append(prox, fmt.Sprintf("ou=%s&besoin=%s", c, []string{"obesite-severe", "urgences", "reanimation", "maternite"}[i%4]))
		export = append(export, fmt.Sprintf("ou=%s&dans=tout&q=%s", c, words[i%len(words)]))
		// the same criteria both ways: a type d'UO within 20 km, first page with the EG
		apiNear = append(apiNear, fmt.Sprintf("ou=%s&dans=types-uo&code=%s&rayon=20", c, types[i%len(types)]))
		fhirNear = append(fhirNear, fmt.Sprintf("service-category=%s|%s&location.near-insee-code=%s|20|km&_count=15&_include=HealthcareService:organization",
			"https://mos.esante.gouv.fr/NOS/TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation", types[i%len(types)], insee))
	}
	for _, w := range []string{"maternite", "psychiatrie", "centre", "urgences", "reanimation", "clinique saint"} {
		noCommune = append(noCommune, "tri=pertinence&dans=tout&q="+url.QueryEscape(w))
	}
	for _, s := range []string{"obes", "urgen", "clinique saint", "psy", "cardio", "reanim", "centre hos", "urgense", "mater", "pediatr"} {
		sugg = append(sugg, "q="+url.QueryEscape(s))
	}
	// Cold: frequent words of the names, each searched once from a commune
	// and typed once as a prefix, none of them used above.
	words, prefixes := coldWords(offer, 300)
	var coldBroad, coldSugg []string
	for i, w := range words {
		coldBroad = append(coldBroad, fmt.Sprintf("ou=insee:%s&dans=tout&q=%s", benchCommunes[i%len(benchCommunes)], url.QueryEscape(w)))
	}
	for _, p := range prefixes {
		coldSugg = append(coldSugg, "q="+url.QueryEscape(p))
	}
	ms := time.Millisecond
	return []*benchCase{
		{name: "sélective (commune + type d'UO)", target: "p50 ≤ 2 ms, p99 ≤ 10 ms", p50Max: 2 * ms, p99Max: 10 * ms, path: "/search", queries: sel, inProcess: find},
		{name: "large (commune + Tout le ROR, mot courant)", target: "p99 ≤ 20 ms", p99Max: 20 * ms, path: "/search", queries: broad, inProcess: find, naive: true},
		{name: "facettes (3 filtres)", target: "p50 ≤ 2 ms, p99 ≤ 10 ms", p50Max: 2 * ms, p99Max: 10 * ms, path: "/search", queries: facets, inProcess: find, naive: true},
		{name: "sans commune (pertinence)", target: "p99 ≤ 20 ms", p99Max: 20 * ms, path: "/search", queries: noCommune, inProcess: find},
		{name: "large, mots jamais cherchés (à froid)", target: "p99 ≤ 20 ms", p99Max: 20 * ms, path: "/search", queries: coldBroad, inProcess: find, cold: true},
		{name: "suggestions", target: "p99 ≤ 2 ms", p99Max: 2 * ms, path: "/suggestions", queries: sugg, inProcess: suggest},
		{name: "suggestions jamais tapées (à froid)", target: "p99 ≤ 2 ms", p99Max: 2 * ms, path: "/suggestions", queries: coldSugg, inProcess: suggest, cold: true},
		{name: "proximité (SAMU)", target: "p99 ≤ 5 ms", p99Max: 5 * ms, path: "/proximite", queries: prox, inProcess: nearby},
		{name: "export xlsx (200 résultats)", path: "/search.xlsx", queries: export},
		{name: "GeoJSON (200 résultats)", path: "/search.geojson", queries: export},
		{name: "type d'UO à 20 km, /api/v1/search", path: "/search", queries: apiNear, inProcess: find},
		{name: "la même en FHIR (HealthcareService + EG)", target: "≤ 2× /api/v1/search (HTTP p50)", path: "/fhir/HealthcareService", queries: fhirNear, pairOf: "type d'UO à 20 km, /api/v1/search"},
	}
}

// measureInProcess runs the case n times against d after a warm-up round
// (a cold case: each query once, without warm-up).
func (c *benchCase) measureInProcess(ctx context.Context, d *search.Directory, n int) error {
	if c.cold {
		for _, q := range c.queries {
			start := time.Now()
			if err := c.inProcess(ctx, d, q); err != nil {
				return err
			}
			c.local = append(c.local, time.Since(start))
		}
		return nil
	}
	for _, q := range c.queries {
		if err := c.inProcess(ctx, d, q); err != nil {
			return err
		}
	}
	c.local = make([]time.Duration, 0, n)
	for i := range n {
		start := time.Now()
		if err := c.inProcess(ctx, d, c.queries[i%len(c.queries)]); err != nil {
			return err
		}
		c.local = append(c.local, time.Since(start))
	}
	return nil
}

// coldWords returns up to n frequent words of the names of établissements
// (4 letters or more, not used by the warm cases) and up to n distinct
// prefixes of names as a user types them.
func coldWords(offer *ror.Offer, n int) (words, prefixes []string) {
	used := map[string]bool{"centre": true, "medecine": true, "hospitalier": true, "clinique": true, "soins": true,
		"maternite": true, "psychiatrie": true, "urgences": true, "reanimation": true, "saint": true}
	freq := map[string]int{}
	for i := range offer.EGs {
		for _, w := range strings.Fields(ror.Fold(offer.EGs[i].Name)) {
			if len(w) >= 4 && strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") == "" {
				freq[w]++
			}
		}
	}
	for w := range freq {
		if !used[w] {
			words = append(words, w)
		}
	}
	slices.SortFunc(words, func(a, b string) int {
		if freq[a] != freq[b] {
			return freq[b] - freq[a]
		}
		return strings.Compare(a, b)
	})
	words = words[:min(n, len(words))]
	// Prefixes as a user types a name: its first word whole, then the first
	// two letters of the next ("clinique sa"), from names not used above.
	seen := map[string]bool{"clinique sa": true, "centre ho": true} // typed by the warm cases
	for i := 0; i < len(offer.EGs) && len(prefixes) < n; i += max(len(offer.EGs)/(20*n), 1) {
		f := strings.Fields(ror.Fold(offer.EGs[i].Name))
		if len(f) < 2 || len(f[1]) < 2 {
			continue
		}
		if p := f[0] + " " + f[1][:2]; !seen[p] {
			seen[p] = true
			prefixes = append(prefixes, p)
		}
	}
	return words, prefixes
}

// quantile returns the q-quantile of ds (nearest rank), 0 when empty.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// report gathers what is not per case.
type report struct {
	cpu, goVersion      string
	cores               int
	importTook          time.Duration // 0: not run
	naiveBuild          time.Duration
	naiveBuilt          bool
	ready               time.Duration
	rssReady, rssLoaded int64     // bytes
	wrk, wrkPaced       wrkResult // saturating, and at an offered load
	wrkSearchShare      float64
	bedDelay            time.Duration
	bedErr              string
}

func (r *report) machine() {
	r.goVersion, r.cores = runtime.Version(), runtime.NumCPU()
	r.cpu = "?"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				r.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
}

func ms(d time.Duration) string {
	if d == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000)
}

// verdict says whether the measured p50 and p99 meet a case's target.
func (c *benchCase) verdict(p50, p99 time.Duration) string {
	if c.p50Max == 0 && c.p99Max == 0 {
		return ""
	}
	if c.p50Max > 0 && p50 > c.p50Max || c.p99Max > 0 && p99 > c.p99Max {
		return "manqué"
	}
	return "atteint"
}

func (r *report) print(out io.Writer, cases []*benchCase) {
	fmt.Fprintf(out, "\nMachine: %d cœurs, %s, %s\n\n", r.cores, r.cpu, r.goVersion)
	fmt.Fprintln(out, "| cas | en processus p50 / p99 (ms) | HTTP p50 / p99 (ms) | Bleve naïf p50 / p99 (ms) | rapport naïf/nous (p50) | cible | |")
	fmt.Fprintln(out, "|---|---|---|---|---|---|---|")
	for _, c := range cases {
		if c.path == "" {
			fmt.Fprintf(out, "| %s | — | — | | | | à mesurer quand la route existe |\n", c.name)
			continue
		}
		lp50, lp99 := quantile(c.local, .5), quantile(c.local, .99)
		hp50, hp99 := quantile(c.http, .5), quantile(c.http, .99)
		naive, ratio := "", ""
		if len(c.naiveTimes) > 0 {
			np50 := quantile(c.naiveTimes, .5)
			naive = ms(np50) + " / " + ms(quantile(c.naiveTimes, .99))
			ratio = fmt.Sprintf("%.0f×", float64(np50)/float64(max(lp50, 1)))
		}
		v := c.verdict(lp50, lp99)
		if v != "" && len(c.local) == 0 {
			v = c.verdict(hp50, hp99)
		}
		for _, o := range cases {
			if c.pairOf != "" && o.name == c.pairOf && len(c.http) > 0 && len(o.http) > 0 {
				r := float64(hp50) / float64(max(quantile(o.http, .5), 1))
				ratio = fmt.Sprintf("%.2f× l'API", r)
				v = map[bool]string{true: "atteint", false: "manqué"}[r <= 2]
			}
		}
		fmt.Fprintf(out, "| %s | %s / %s | %s / %s | %s | %s | %s | %s |\n", c.name, ms(lp50), ms(lp99), ms(hp50), ms(hp99), naive, ratio, c.target, v)
	}
	fmt.Fprintln(out)
	fmt.Fprintln(out, "| mesure | valeur | cible | |")
	fmt.Fprintln(out, "|---|---|---|---|")
	ok := func(b bool) string {
		if b {
			return "atteint"
		}
		return "manqué"
	}
	if r.importTook > 0 {
		fmt.Fprintf(out, "| import du jeu national | %.1f s | ≤ 3 min | %s |\n", r.importTook.Seconds(), ok(r.importTook <= 3*time.Minute))
	} else {
		fmt.Fprintln(out, "| import du jeu national | non relancé (-import) | ≤ 3 min | |")
	}
	fmt.Fprintf(out, "| redémarrage jusqu'à prêt (/readyz) | %.1f s | ≤ 10 s | %s |\n", r.ready.Seconds(), ok(r.ready <= 10*time.Second))
	fmt.Fprintf(out, "| mémoire résidente prêt / après la charge | %.2f / %.2f Gio | ≤ 2 Gio | %s |\n", gib(r.rssReady), gib(r.rssLoaded), ok(max(r.rssReady, r.rssLoaded) <= 2<<30))
	if w := r.wrk; w.requests > 0 {
		searches := w.rps * r.wrkSearchShare
		fmt.Fprintf(out, "| wrk saturant: %s (mélange de %s) | %.0f req/s dont %.0f recherches/s; p50 %s, p90 %s, p99 %s ms; %d erreurs | débit ≥ 3000 recherches/s | %s |\n",
			w.config, "api/testdata/load-mix.lua", w.rps, searches, ms(w.p50), ms(w.p90), ms(w.p99), w.errors, ok(searches >= 3000 && w.errors == 0))
	}
	if w := r.wrkPaced; w.requests > 0 {
		searches := w.rps * r.wrkSearchShare
		fmt.Fprintf(out, "| wrk à charge offerte: %s | %.0f req/s dont %.0f recherches/s; p50 %s, p90 %s, p99 %s ms; %d erreurs | ≥ 3000 recherches/s, p99 ≤ 25 ms | %s |\n",
			w.config, w.rps, searches, ms(w.p50), ms(w.p90), ms(w.p99), w.errors, ok(searches >= 3000 && w.p99 <= 25*time.Millisecond && w.errors == 0))
	}
	if r.bedErr != "" {
		fmt.Fprintf(out, "| lits modifiés → visibles en recherche, sous charge | %s | ≤ 1 s | manqué |\n", r.bedErr)
	} else if r.bedDelay > 0 {
		fmt.Fprintf(out, "| lits modifiés → visibles en recherche, sous charge | %s ms | ≤ 1 s | %s |\n", ms(r.bedDelay), ok(r.bedDelay <= time.Second))
	}
	if r.naiveBuilt {
		fmt.Fprintf(out, "| construction de l'index Bleve naïf | %.0f s | | |\n", r.naiveBuild.Seconds())
	}
}

func gib(b int64) float64 { return float64(b) / (1 << 30) }
