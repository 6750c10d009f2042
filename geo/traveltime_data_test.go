package geo_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/internal/sources"
)

// trip is one pair of places with a road time from a routing engine.
type trip struct {
	from, to  ror.Point
	km        float64 // great circle
	o, e      geo.End
	minutes   float64 // the engine's
	fromINSEE string  // communes-to-Paris set only
	fromDep   string
	network   bool // both ends on one road network
}

// tripSet is a file of road times, fitted on or held out.
type tripSet struct {
	name    string
	heldOut bool
	trips   []trip
}

var (
	setsOnce sync.Once
	sets     []tripSet
	paris    []trip // the communes-to-Paris set, Corse included (for the département index)
	router   geo.Router
)

// parisPoint is the destination of the communes-to-Paris set: the centroid
// of the LAU FR_75056 in the file itself.
var parisPoint = ror.Point{Lon: 2.34271592145243, Lat: 48.8565828421261}

// tripSets reads the four evaluation files of traveltime-eval once, with
// the model's view of each end (density around it, its département).
func tripSets(tb testing.TB) []tripSet {
	tb.Helper()
	gazetteer(tb) // allCom
	dir := filepath.Join(sources.Dir(tb), "traveltime-eval")
	setsOnce.Do(func() {
		router = geo.NewRouterFor(allCom)
		read := func(name string) []map[string]string {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				tb.Fatal(err)
			}
			defer f.Close()
			rows, err := csv.NewReader(f).ReadAll()
			if err != nil {
				tb.Fatal(err)
			}
			out := make([]map[string]string, 0, len(rows)-1)
			for _, r := range rows[1:] {
				m := map[string]string{}
				for i, h := range rows[0] {
					m[h] = r[i]
				}
				out = append(out, m)
			}
			return out
		}
		num := func(s string) float64 { x, _ := strconv.ParseFloat(s, 64); return x }
		mk := func(from, to ror.Point, minutes float64) trip {
			t := trip{from: from, to: to, km: geo.DistanceKm(from, to), minutes: minutes,
				o: router.EndAt(from), e: router.EndAt(to)}
			t.network = router.NetworkAt(from) == router.NetworkAt(to)
			return t
		}
		var girOSRM, girMetric, grandEst, toParis []trip
		for _, r := range read("gironde_osrm_metric_pairs.csv") {
			a := ror.Point{Lon: num(r["lon1"]), Lat: num(r["lat1"])}
			b := ror.Point{Lon: num(r["lon2"]), Lat: num(r["lat2"])}
			if m := num(r["osrm_min"]); m > 0 {
				girOSRM = append(girOSRM, mk(a, b, m))
			}
			if m := num(r["metric_hc_min"]); m > 0 {
				girMetric = append(girMetric, mk(a, b, m))
			}
		}
		for _, r := range read("grand_est_hospitals_graphhopper_2014_pairs.csv") {
			a := ror.Point{Lon: num(r["origin_lon"]), Lat: num(r["origin_lat"])}
			b := ror.Point{Lon: num(r["dest_lon"]), Lat: num(r["dest_lat"])}
			if m := num(r["duration_min"]); m > 0 {
				grandEst = append(grandEst, mk(a, b, m))
			}
		}
		for _, r := range read("france_communes_to_paris_osrm_2021.csv") {
			a := ror.Point{Lon: num(r["lon"]), Lat: num(r["lat"])}
			if m := num(r["duration"]) / 60; m > 0 {
				t := mk(a, parisPoint, m)
				t.fromINSEE = strings.TrimPrefix(r["id"], "FR_")
				t.fromDep = t.o.Department
				paris = append(paris, t)
				if t.network {
					toParis = append(toParis, t) // Corse's times cross the sea by ferry
				}
			}
		}
		sets = []tripSet{
			{name: "Gironde OSRM", trips: girOSRM},
			{name: "France → Paris OSRM", trips: toParis},
			{name: "Gironde Metric", heldOut: true, trips: girMetric},
			{name: "Grand Est GraphHopper", heldOut: true, trips: grandEst},
		}
	})
	return sets
}

// bands are the distance bands of the error table, in crow-fly km.
var bands = []struct {
	name   string
	lo, hi float64
}{{"< 5 km", 0, 5}, {"5–20 km", 5, 20}, {"20–50 km", 20, 50}, {"> 50 km", 50, math.Inf(1)}, {"< 20 km", 0, 20}, {"all", 0, math.Inf(1)}}

// errorBands measures minutes (the model's, per trip) against the set's road
// times: median and p90 of the absolute relative error, and the bias (the
// median signed relative error: above 0 the model is too slow).
func errorBands(s tripSet, minutes func(trip) float64) []geo.ErrorBand {
	var out []geo.ErrorBand
	for _, b := range bands {
		var abs, signed []float64
		for _, t := range s.trips {
			if t.km >= b.lo && t.km < b.hi {
				e := (minutes(t) - t.minutes) / t.minutes
				abs, signed = append(abs, math.Abs(e)), append(signed, e)
			}
		}
		if len(abs) == 0 {
			continue
		}
		out = append(out, geo.ErrorBand{Set: s.name, Band: b.name, Pairs: len(abs),
			Median: quantile(abs, 0.5), P90: quantile(abs, 0.9), Bias: quantile(signed, 0.5)})
	}
	return out
}

func quantile(xs []float64, q float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return s[int(q*float64(len(s)-1)+0.5)]
}

// table writes error bands as the README's table.
func table(es []geo.ErrorBand, heldOut map[string]bool) string {
	var b strings.Builder
	b.WriteString("| set | band | pairs | median | p90 | bias |\n| --- | --- | ---: | ---: | ---: | ---: |\n")
	for _, e := range es {
		name := e.Set + " (fit)"
		if heldOut[e.Set] {
			name = e.Set + " (held out)"
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %.1f %% | %.1f %% | %+.1f %% |\n", name, e.Band, e.Pairs, 100*e.Median, 100*e.P90, 100*e.Bias)
	}
	return b.String()
}
