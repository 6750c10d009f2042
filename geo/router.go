package geo

import (
	"math"
	"time"

	"github.com/ror-recherche/ror"
)

// Router estimates free-flow driving time from straight-line distance. It
// implements ror.Router.
//
// Model: minutes = 60·d / v(d), at least MinDuration, with an effective
// crow-fly speed that grows with distance (short trips wind through streets,
// long ones use main roads) and drops for short trips from urban origins:
//
//	v(d) = (VFar − (VFar − VNear)·e^(−d/D0)) · (1 − Urban·u(pop)·e^(−d/30))
//	u(pop) = min(1, log10(pop)/5.5)   (0 in a hamlet, 1 from ~300,000 inhabitants)
//
// Fit (grid search, 2026-11-22) on the 2,500 Gironde pairs of
// traveltime-eval/gironde_osrm_metric_pairs.csv (OSRM minutes): absolute
// relative error median 6.1 %, p90 20.9 %. Held out, never fitted, the 552
// Grand Est hospital pairs (GraphHopper 2014): median 13.6 %, p90 26.1 %.
// The model is non-decreasing in d for one origin, as ror.Router requires.
type Router struct {
	VNear, VFar, D0, Urban float64
	MinDuration            time.Duration
}

// NewRouter returns the fitted model.
func NewRouter() Router {
	return Router{VNear: 48, VFar: 62, D0: 6, Urban: 0.3, MinDuration: 3 * time.Minute}
}

// Duration estimates the driving time from commune from to a place distKm
// away as the crow flies; never under MinDuration, so a result in the same
// commune is never 0 minutes.
func (r Router) Duration(from ror.Commune, distKm float64) time.Duration {
	d := math.Max(distKm, 0)
	u := 0.0
	if from.Population > 1 {
		u = math.Min(1, math.Log10(float64(from.Population))/5.5)
	}
	v := (r.VFar - (r.VFar-r.VNear)*math.Exp(-d/r.D0)) * (1 - r.Urban*u*math.Exp(-d/30))
	minutes := 60 * d / v
	return max(time.Duration(minutes*float64(time.Minute)), r.MinDuration)
}
