package geo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
)

// Model is the travel-time model: a trip is driven at local pace near
// each end and at trunk pace in between, slowed near a slow département's
// roads (mountains, winding coasts) and less so as the trip gets longer:
//
//	T(d) = T0 + d·(w·(p(o) + p(e))/2 + (1 − w)·q(d))·F(d),   w = min(1, 2·LocalKm/d)
//	p(x) = Pace0 · (ρ(x)/DensityRef)^DensityExp            (ρ clamped to [DensityMin, DensityMax])
//	q(d) = TrunkFar + (TrunkNear − TrunkFar)·e^(−d/TrunkKm)
//	F(d) = (f(o)·f(e))^(DepExp/2 · e^(−d/DepKm))
//
// d is the great-circle distance (km), paces are minutes per crow-fly km
// (the detour factor is inside them), ρ the population density around
// each end (inhabitants/km², see places.density) and f the département's
// local pace index (Departments, 1 when unknown): how much slower than the
// national median its short roads are once density is accounted for,
// measured on the communes-to-Paris OSRM times (fitDepartments in the fit).
// T is continuous, non-decreasing in d for given ends (checked by the fit
// and the tests) and increasing in both ends' density and index, so the
// fastest ends (lowest density, lowest index) bound a whole R-tree box from
// below (LowerBound).
//
// The coefficients are fitted by `go test ./geo -run TravelTimeFit -update`
// and committed in traveltime_model.json.
type Model struct {
	Fit         string             `json:"fit"` // what it was fitted on, and when
	T0          float64            `json:"t0_min"`
	LocalKm     float64            `json:"local_km"`
	Pace0       float64            `json:"pace0_min_per_km"`
	DensityRef  float64            `json:"density_ref"`
	DensityMin  float64            `json:"density_min"`
	DensityMax  float64            `json:"density_max"`
	DensityExp  float64            `json:"density_exp"`
	DepExp      float64            `json:"dep_exp"`
	DepKm       float64            `json:"dep_km"`
	TrunkNear   float64            `json:"trunk_near_min_per_km"`
	TrunkFar    float64            `json:"trunk_far_min_per_km"`
	TrunkKm     float64            `json:"trunk_km"`
	Departments map[string]float64 `json:"departments"` // local pace index per département
	Errors      []ErrorBand        `json:"errors,omitempty"`
}

// ErrorBand is the measured error of the model on one set of road times and
// one band of distance, as the fit wrote it: what the README quotes.
type ErrorBand struct {
	Set    string  `json:"set"`
	Band   string  `json:"band"`
	Pairs  int     `json:"pairs"`
	Median float64 `json:"median"` // absolute relative error
	P90    float64 `json:"p90"`
	Bias   float64 `json:"bias"` // median signed relative error: > 0 too slow
}

//go:embed traveltime_model.json
var modelJSON []byte

// FittedModel returns the committed coefficients.
func FittedModel() (*Model, error) {
	var m Model
	if err := json.Unmarshal(modelJSON, &m); err != nil {
		return nil, fmt.Errorf("geo: traveltime_model.json: %w", err)
	}
	return &m, nil
}

// End is what the model knows of one end of a trip.
type End struct {
	Density    float64 // inhabitants per km² around it
	Department string
}

// pace is the local pace at an end, minutes per crow-fly km.
func (m *Model) pace(e End) float64 {
	rho := math.Min(math.Max(e.Density, m.DensityMin), m.DensityMax)
	return m.Pace0 * math.Pow(rho/m.DensityRef, m.DensityExp)
}

// index is an end's département index.
func (m *Model) index(e End) float64 {
	if x, ok := m.Departments[e.Department]; ok {
		return x
	}
	return 1
}

// Fastest is the end every other one is slower than: the lowest density
// (or highest, were density to speed trips up) in the département of the
// lowest index.
func (m *Model) Fastest() End {
	e := End{Density: m.DensityMin}
	if m.DensityExp < 0 {
		e.Density = m.DensityMax
	}
	lo := 1.0
	for dep, f := range m.Departments {
		if f < lo || f == lo && dep < e.Department {
			lo, e.Department = f, dep
		}
	}
	return e
}

// Minutes is the estimated driving time between ends o and e, distKm apart
// as the crow flies.
func (m *Model) Minutes(distKm float64, o, e End) float64 {
	return m.minutes(distKm, m.pace(o), m.pace(e), m.index(o)*m.index(e))
}

func (m *Model) minutes(d, po, pe, ff float64) float64 {
	d = math.Max(d, 0)
	w := 1.0
	if d > 2*m.LocalKm {
		w = 2 * m.LocalKm / d
	}
	q := m.TrunkFar + (m.TrunkNear-m.TrunkFar)*math.Exp(-d/m.TrunkKm)
	f := math.Pow(ff, m.DepExp/2*math.Exp(-d/m.DepKm))
	return m.T0 + d*(w*(po+pe)/2+(1-w)*q)*f
}
