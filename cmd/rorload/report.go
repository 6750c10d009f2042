package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
)

// report is the outcome of a run.
type report struct {
	duration, elapsed time.Duration
	readers, writers  int
	curve             bool // print the RSS every 5 samples
	reads, writes     []time.Duration
	kinds, errors     map[string]int
	samples, failures []string
	rssStart          int64 // KiB, when the load starts
	rss               []rssSample
	growth            float64 // median RSS of the last third / second third − 1
}

type rssSample struct {
	at  time.Duration // since the load started
	kib int64
}

func (r *report) merge(t *tally) {
	if r.kinds == nil {
		r.kinds, r.errors = map[string]int{}, map[string]int{}
	}
	r.reads = append(r.reads, t.reads...)
	r.writes = append(r.writes, t.writes...)
	for k, n := range t.kinds {
		r.kinds[k] += n
	}
	for k, n := range t.errors {
		r.errors[k] += n
	}
	r.samples = append(r.samples, t.samples...)
}

func (r *report) fail(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// thirds returns the median RSS of the second and of the last third of the
// run: the first third is warm-up (caches, Badger's memtable, the pools).
func (r *report) thirds() (second, last int64) {
	third := r.duration / 3
	var a, b []int64
	for _, s := range r.rss {
		switch {
		case s.at >= third && s.at < 2*third:
			a = append(a, s.kib)
		case s.at >= 2*third:
			b = append(b, s.kib)
		}
	}
	return median(a), median(b)
}

// verdict fails the run on any error answer and on memory growth beyond
// maxGrowth.
func (r *report) verdict(maxGrowth float64) error {
	if n := sum(r.errors); n > 0 {
		r.fail("%d réponse(s) en erreur", n)
	}
	second, last := r.thirds()
	if second == 0 || last == 0 {
		r.fail("pas assez de mesures de la mémoire")
	} else if r.growth = float64(last)/float64(second) - 1; r.growth > maxGrowth {
		r.fail("la mémoire résidente a crû de %.1f %% après la mise en route (tolérance %.0f %%)", 100*r.growth, 100*maxGrowth)
	}
	if len(r.failures) > 0 {
		return errors.New(strings.Join(r.failures, " ; "))
	}
	return nil
}

func (r *report) print(w io.Writer) {
	secs := r.elapsed.Seconds()
	fmt.Fprintf(w, "charge mixte : %s, %d lecteurs, %d écrivains, limites de débit coupées\n", r.duration, r.readers, r.writers)
	fmt.Fprintf(w, "lectures  : %d (%.0f/s), p50 %s, p90 %s, p99 %s\n", len(r.reads), float64(len(r.reads))/secs,
		pct(r.reads, 50), pct(r.reads, 90), pct(r.reads, 99))
	fmt.Fprintf(w, "écritures : %d (%.1f/s), p50 %s, p90 %s, p99 %s\n", len(r.writes), float64(len(r.writes))/secs,
		pct(r.writes, 50), pct(r.writes, 90), pct(r.writes, 99))
	kinds := make([]string, 0, len(r.kinds))
	for k, n := range r.kinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "            %s\n", strings.Join(kinds, ", "))
	fmt.Fprintf(w, "erreurs   : %d\n", sum(r.errors))
	for k, n := range r.errors {
		fmt.Fprintf(w, "            %s : %d\n", k, n)
	}
	for _, s := range r.samples {
		fmt.Fprintf(w, "            %s\n", s)
	}
	second, last := r.thirds()
	var end, peak int64
	for _, s := range r.rss {
		end, peak = s.kib, max(peak, s.kib)
	}
	fmt.Fprintf(w, "mémoire   : RSS au départ %s, médiane du 2e tiers %s, du dernier tiers %s (%+.1f %%), fin %s, pic %s\n",
		mib(r.rssStart), mib(second), mib(last), 100*r.growth, mib(end), mib(peak))
	if r.curve {
		var pts []string
		for i, s := range r.rss {
			if i%5 == 4 {
				pts = append(pts, fmt.Sprintf("%.0fs %d", s.at.Seconds(), s.kib/1024))
			}
		}
		fmt.Fprintf(w, "            RSS (MiB) : %s\n", strings.Join(pts, ", "))
	}
	if len(r.failures) == 0 {
		fmt.Fprintln(w, "verdict   : OK")
	} else {
		fmt.Fprintln(w, "verdict   : ÉCHEC —", strings.Join(r.failures, " ; "))
	}
}

func pct(d []time.Duration, p int) string {
	if len(d) == 0 {
		return "-"
	}
	s := slices.Clone(d)
	slices.Sort(s)
	v := s[min(len(s)-1, len(s)*p/100)]
	return fmt.Sprintf("%.1f ms", float64(v)/float64(time.Millisecond))
}

func median(v []int64) int64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func mib(kib int64) string { return fmt.Sprintf("%d MiB", kib/1024) }
