package geo_test

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

// The targets on every held-out set.
const (
	targetMedian      = 0.10
	targetP90         = 0.25
	targetBias        = 0.05
	targetShortMedian = 0.15 // trips under 20 km
)

// TestTravelTimeAgainstRoadTimes prints, for every fit and held-out set,
// the error by band of distance and the bias, says which of the issue's
// targets the held-out sets meet, and checks that the committed error
// table (traveltime_model.json, quoted by the README) is the one measured.
func TestTravelTimeAgainstRoadTimes(t *testing.T) {
	ss := tripSets(t)
	m := router.Model()
	held := map[string]bool{}
	var measured []geo.ErrorBand
	for _, s := range ss {
		held[s.name] = s.heldOut
		measured = append(measured, errorBands(s, func(tr trip) float64 {
			return router.Trip(ror.Commune{Point: tr.from}, tr.to, "", tr.km).Duration.Minutes()
		})...)
	}
	t.Logf("\n%s", table(measured, held))
	for _, e := range measured {
		if !held[e.Set] {
			continue
		}
		switch e.Band {
		case "all":
			t.Logf("%s: median %.1f %% (target ≤ %.0f %%: %s), p90 %.1f %% (≤ %.0f %%: %s), bias %+.1f %% (± %.0f %%: %s)", e.Set,
				100*e.Median, 100*targetMedian, met(e.Median <= targetMedian), 100*e.P90, 100*targetP90, met(e.P90 <= targetP90),
				100*e.Bias, 100*targetBias, met(math.Abs(e.Bias) <= targetBias))
		case "< 20 km":
			t.Logf("%s: trips under 20 km median %.1f %% (target ≤ %.0f %%: %s)", e.Set, 100*e.Median, 100*targetShortMedian, met(e.Median <= targetShortMedian))
		}
	}
	t.Run("the committed error table is the one measured", func(t *testing.T) {
		committed := map[[2]string]geo.ErrorBand{}
		for _, e := range m.Errors {
			committed[[2]string{e.Set, e.Band}] = e
		}
		for _, e := range measured {
			c, ok := committed[[2]string{e.Set, e.Band}]
			// Trip rounds up to MinDuration: a little off the raw model
			if !ok || c.Pairs != e.Pairs || math.Abs(c.Median-e.Median) > 0.01 || math.Abs(c.Bias-e.Bias) > 0.01 {
				t.Errorf("%s %s: got median %.3f bias %+.3f over %d pairs, traveltime_model.json says %.3f %+.3f over %d (rerun the fit with -update)",
					e.Set, e.Band, e.Median, e.Bias, e.Pairs, c.Median, c.Bias, c.Pairs)
			}
		}
	})
}

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

// rorIF are the examples of the ROR-IF screen (seed 004, "Tri par
// distance" from Paris 10, « Distance en km », « Durée en minutes »), from
// Paris 10's centroid to the établissement's commune's: the seed gives no
// address, and ROR-IF's distances are 0.9 to 1.6 km longer than those
// centroids' (road km, or rounded up).
var rorIFExamples = []struct {
	commune    string
	rorKm, min float64
}{
	{"75119", 3, 3},   // ACT CORDIA PARIS, Paris 19
	{"75114", 7, 8},   // ACT SAMU SOCIAL DE PARIS, Paris 14
	{"94043", 9, 13},  // ACT FMDC VAL DE MARNE, Le Kremlin-Bicêtre
	{"93062", 13, 14}, // ACT AURORE 93, Le Raincy
}

type rorIFTrip struct {
	from, to ror.Commune
	km       float64
	o, e     geo.End
	minutes  float64
	rorKm    float64
}

func rorIFTrips(tb testing.TB) []rorIFTrip {
	tripSets(tb)
	g := gazetteer(tb)
	from, err := g.Resolve("75010")
	if err != nil {
		tb.Fatal(err)
	}
	var out []rorIFTrip
	for _, x := range rorIFExamples {
		to, _ := g.Commune(x.commune)
		out = append(out, rorIFTrip{from: from, to: to, km: geo.DistanceKm(from.Point, to.Point), o: router.EndOf(from), e: router.EndOf(to), minutes: x.min, rorKm: x.rorKm})
	}
	return out
}

// TestTravelTimeROR_IF checks the ROR-IF examples of seed 004: within 2
// minutes of its « Durée en minutes », as the list shows them (rounded up).
func TestTravelTimeROR_IF(t *testing.T) {
	for _, r := range rorIFTrips(t) {
		tr := router.Trip(r.from, r.to.Point, r.to.INSEE, r.km)
		got := math.Ceil(tr.Duration.Minutes())
		atROR := math.Ceil(router.Trip(r.from, r.to.Point, r.to.INSEE, r.rorKm).Duration.Minutes())
		t.Logf("Paris 10 → %s: %.0f min at %.1f km (ROR-IF: %.0f min at %.0f km; at ROR-IF's km the model says %.0f)", r.to.ShortName(), got, r.km, r.minutes, r.rorKm, atROR)
		if !tr.Reachable || math.Abs(got-r.minutes) > 2 {
			t.Errorf("Paris 10 → %s: got %.0f min, want %.0f ± 2 (ROR-IF)", r.to.ShortName(), got, r.minutes)
		}
	}
}

// TestTravelTimeBoundAndOrder checks what the nearest-by-time walk relies
// on, over random pairs of real communes: the time never decreases with
// distance for given ends, never goes under LowerBound, nor under
// MinDurationAt.
func TestTravelTimeBoundAndOrder(t *testing.T) {
	tripSets(t)
	rng := rand.New(rand.NewPCG(4, 18))
	for range 3000 {
		a, b := allCom[rng.IntN(len(allCom))], allCom[rng.IntN(len(allCom))]
		if !a.Point.Valid() || !b.Point.Valid() {
			continue
		}
		km := geo.DistanceKm(a.Point, b.Point)
		tr := router.Trip(a, b.Point, b.INSEE, km)
		if !tr.Reachable {
			continue
		}
		if lb := router.LowerBound(a, km); lb > tr.Duration {
			t.Fatalf("%s → %s (%.1f km): got %s under the lower bound %s", a.Name, b.Name, km, tr.Duration, lb)
		}
		if lb := router.MinDurationAt(km); lb > tr.Duration {
			t.Fatalf("%s → %s (%.1f km): got %s under MinDurationAt %s", a.Name, b.Name, km, tr.Duration, lb)
		}
		prev := time.Duration(0)
		for f := 0.0; f <= 2; f += 0.05 {
			d := router.Trip(a, b.Point, b.INSEE, f*km).Duration
			if d < prev {
				t.Fatalf("%s → %s: %s at %.2f km after %s closer", a.Name, b.Name, d, f*km, prev)
			}
			prev = d
		}
	}
	paris, _ := gazetteer(t).Commune("75110")
	if d := router.Trip(paris, paris.Point, paris.INSEE, 0).Duration; d < 3*time.Minute {
		t.Errorf("same commune: got %s, want at least 3 min", d)
	}
}
