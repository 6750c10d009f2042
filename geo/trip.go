package geo

import (
	"math"
	"time"

	"github.com/ror-recherche/ror"
)

// MethodModel names the embedded model's estimates in answers
// (duree_methode).
const MethodModel = "modele"

// end is the model's view of a place at p in commune insee ("" when
// unknown): the commune's density and département when it is known, else
// those around p.
func (r Router) end(p ror.Point, insee string) End {
	if r.places != nil {
		if i, ok := r.places.byINSEE[insee]; ok {
			c := &r.places.communes[i]
			return End{Density: r.places.rho[i], Department: c.Department}
		}
	}
	return r.EndAt(p)
}

// EndOf is the model's view of a commune: its density and département.
func (r Router) EndOf(c ror.Commune) End {
	if c.INSEE == "" {
		return r.endOf(c)
	}
	return r.end(c.Point, c.INSEE)
}

// network is the road network of a place at p in commune insee ("" when
// unknown).
func (r Router) network(p ror.Point, insee string) Network {
	if r.nets == nil {
		return Mainland
	}
	if insee == "" {
		return r.NetworkAt(p)
	}
	return r.nets.of(insee, "")
}

// Network implements ror.Router: the id of the place's road network.
func (r Router) Network(insee string, p ror.Point) string { return r.network(p, insee).ID }

// Reachable reports whether a road joins commune from to the place at to
// in commune toINSEE ("" when unknown): both on one road network.
func (r Router) Reachable(from ror.Commune, to ror.Point, toINSEE string) bool {
	return r.NetworkOf(from) == r.network(to, toINSEE)
}

// Trip estimates the driving time from commune from to the place at to in
// commune toINSEE ("" when unknown), distKm away as the crow flies, with
// both ends' density and département; never under MinDuration. Across road
// networks it is not Reachable and has no duration.
func (r Router) Trip(from ror.Commune, to ror.Point, toINSEE string, distKm float64) ror.Trip {
	if !r.Reachable(from, to, toINSEE) {
		return ror.Trip{Method: MethodModel}
	}
	if r.model == nil {
		return ror.Trip{Duration: r.legacy(from, distKm), Reachable: true, Method: MethodModel}
	}
	o, e := r.end(from.Point, from.INSEE), r.end(to, toINSEE)
	return ror.Trip{Duration: r.clamp(r.model.Minutes(distKm, o, e)), Reachable: true, Method: MethodModel}
}

// LowerBound is at most the Trip duration from commune from to any place
// at least minKm away as the crow flies: the model with the fastest
// destination (Model.Fastest), the model being non-decreasing in distance.
// A nearest-by-time walk over an R-tree stops once the bound of the
// nearest box left (at its lower-bound distance) exceeds the worst time
// kept.
func (r Router) LowerBound(from ror.Commune, minKm float64) time.Duration {
	if r.model == nil {
		return r.legacy(from, minKm)
	}
	o := r.end(from.Point, from.INSEE)
	return r.clamp(r.model.Minutes(minKm, o, r.fastest))
}

// MinDurationAt is at most the Trip duration between any two places at
// least minKm apart: LowerBound with the fastest origin too, for a bound
// that does not depend on the query.
func (r Router) MinDurationAt(minKm float64) time.Duration {
	if r.model == nil {
		return r.legacy(ror.Commune{}, minKm)
	}
	f := r.fastest
	return r.clamp(r.model.Minutes(math.Max(minKm, 0), f, f))
}
