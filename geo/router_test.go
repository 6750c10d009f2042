package geo_test

import (
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/internal/sources"
)

// evalPairs reads a travel-time evaluation file: origin, destination, minutes.
func evalPairs(t *testing.T, name, la1, lo1, la2, lo2, minutes string) (from, to []ror.Point, want []float64) {
	t.Helper()
	f, err := os.Open(filepath.Join(sources.Dir(t), "traveltime-eval", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	num := func(r []string, c string) float64 { x, _ := strconv.ParseFloat(r[col[c]], 64); return x }
	for _, r := range rows[1:] {
		if m := num(r, minutes); m > 0 {
			from = append(from, ror.Point{Lon: num(r, lo1), Lat: num(r, la1)})
			to = append(to, ror.Point{Lon: num(r, lo2), Lat: num(r, la2)})
			want = append(want, m)
		}
	}
	return
}

// nearestCommune gives the origin its commune, whose population the model uses.
func nearestCommune(p ror.Point) ror.Commune {
	best, bestD := ror.Commune{}, math.Inf(1)
	for _, c := range allCom {
		if c.Point.Valid() && math.Abs(c.Point.Lat-p.Lat) < 0.1 && math.Abs(c.Point.Lon-p.Lon) < 0.15 {
			if d := geo.DistanceKm(p, c.Point); d < bestD {
				best, bestD = c, d
			}
		}
	}
	best.Point = p
	return best
}

func TestTravelTimeAgainstRoutedTimes(t *testing.T) {
	gazetteer(t) // loads allCom
	router := geo.NewRouter()
	tests := []struct {
		name, file, la1, lo1, la2, lo2, min string
		maxMedian, maxP90                   float64
	}{
		// the fit set: OSRM times in Gironde
		{"Gironde OSRM (fit)", "gironde_osrm_metric_pairs.csv", "lat1", "lon1", "lat2", "lon2", "osrm_min", 0.08, 0.25},
		// held out: never used to fit
		{"Grand Est GraphHopper (held out)", "grand_est_hospitals_graphhopper_2014_pairs.csv", "origin_lat", "origin_lon", "dest_lat", "dest_lon", "duration_min", 0.18, 0.35},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to, want := evalPairs(t, tt.file, tt.la1, tt.lo1, tt.la2, tt.lo2, tt.min)
			errs := make([]float64, len(want))
			for i := range want {
				got := router.Duration(nearestCommune(from[i]), geo.DistanceKm(from[i], to[i])).Minutes()
				errs[i] = math.Abs(got-want[i]) / want[i]
			}
			sort.Float64s(errs)
			med, p90 := errs[len(errs)/2], errs[len(errs)*9/10]
			t.Logf("%d pairs: median error %.1f %%, p90 %.1f %%", len(errs), 100*med, 100*p90)
			if med > tt.maxMedian || p90 > tt.maxP90 {
				t.Errorf("got median %.3f p90 %.3f, want at most %.2f and %.2f", med, p90, tt.maxMedian, tt.maxP90)
			}
		})
	}
}

func TestDurationNeverZeroAndMonotonic(t *testing.T) {
	r := geo.NewRouter()
	paris := ror.Commune{Population: 2_100_000}
	if d := r.Duration(paris, 0); d < 3*time.Minute {
		t.Errorf("same commune: got %s, want at least 3 min", d)
	}
	prev := time.Duration(0)
	for km := 0.0; km < 500; km += 0.25 {
		d := r.Duration(paris, km)
		if d < prev {
			t.Fatalf("%.2f km: %s after %s", km, d, prev)
		}
		prev = d
	}
}

func ExampleRouter_Duration() {
	r := geo.NewRouter()
	village := ror.Commune{Name: "Saint-Sever", Population: 4800}
	fmt.Println(r.Duration(village, 25).Round(time.Minute))
	// Output: 27m0s
}
