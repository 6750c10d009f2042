package geo

import (
	"math"
	"time"

	"github.com/ror-recherche/ror"
)

// Router estimates free-flow driving time. It implements ror.Router.
//
// Built by NewRouter or NewRouterFor, it uses the fitted Model (see
// model.go and the README's error table) and knows the road networks
// (networks.json): across networks there is no driving time. A Router
// literal without a model keeps the 2026-11-22 distance-only formula:
//
//	minutes = 60·d / v(d), at least MinDuration
//	v(d) = (VFar − (VFar − VNear)·e^(−d/D0)) · (1 − Urban·u(pop)·e^(−d/30))
//	u(pop) = min(1, log10(pop)/5.5)
type Router struct {
	VNear, VFar, D0, Urban float64
	MinDuration            time.Duration

	model   *Model
	fastest End       // model.Fastest(), for the lower bounds
	places  *places   // nil: no commune data, every end at the reference density
	nets    *networks // nil: one network
}

// NewRouter returns the fitted model without commune data: every end is
// taken at the model's reference density and on the mainland unless its
// Commune says otherwise. NewRouterFor is the one to serve with.
func NewRouter() Router {
	r := Router{VNear: 48, VFar: 62, D0: 6, Urban: 0.3, MinDuration: 3 * time.Minute}
	m, err := FittedModel()
	if err != nil {
		panic(err) // the embedded file is checked by the tests
	}
	n, err := loadNetworks()
	if err != nil {
		panic(err)
	}
	r.model, r.nets, r.fastest = m, n, m.Fastest()
	return r
}

// NewRouterFor returns the fitted model with the communes (COG, with their
// population and centroid) that give each end its density, département and
// road network.
func NewRouterFor(communes []ror.Commune) Router {
	r := NewRouter()
	r.places = newPlaces(communes)
	return r
}

// WithModel returns r using m: the fit tries coefficients with it.
func (r Router) WithModel(m *Model) Router {
	r.model, r.fastest = m, m.Fastest()
	return r
}

// Model returns the coefficients r uses; nil for a Router literal.
func (r Router) Model() *Model { return r.model }

// EndAt is the model's view of a place at p: the density around it and the
// département of the nearest commune.
func (r Router) EndAt(p ror.Point) End {
	if r.places == nil || !p.Valid() {
		return End{Density: r.refDensity()}
	}
	e := End{Density: r.places.density(p)}
	if c, ok := r.places.nearest(p); ok {
		e.Department = c.Department
	}
	return e
}

func (r Router) refDensity() float64 {
	if r.model == nil {
		return 0
	}
	return r.model.DensityRef
}

// endOf is the model's view of a commune's centroid.
func (r Router) endOf(c ror.Commune) End {
	e := r.EndAt(c.Point)
	if c.Department != "" {
		e.Department = c.Department
	}
	return e
}

// NetworkAt is the road network of the commune nearest p (the mainland
// when r has no commune data).
func (r Router) NetworkAt(p ror.Point) Network {
	if r.places == nil || r.nets == nil {
		return Mainland
	}
	c, ok := r.places.nearest(p)
	if !ok {
		return Mainland
	}
	return r.nets.of(c.INSEE, c.Department)
}

// NetworkOf is the road network of a commune: its own (an island without a
// bridge), else its département's (Corse, each DROM), else the mainland. A
// commune without an INSEE code (a position typed as "lat,lon") is on the
// network of the commune nearest its point.
func (r Router) NetworkOf(c ror.Commune) Network {
	if r.nets == nil {
		return Mainland
	}
	if c.INSEE == "" {
		return r.NetworkAt(c.Point)
	}
	return r.nets.of(c.INSEE, c.Department)
}

// Duration estimates the driving time from commune from to a place distKm
// away as the crow flies, its other end unknown (taken like the origin);
// never under MinDuration, so a result in the same commune is never 0
// minutes. Trip is the estimate to a known place.
func (r Router) Duration(from ror.Commune, distKm float64) time.Duration {
	if r.model == nil {
		return r.legacy(from, distKm)
	}
	o := r.endOf(from)
	return r.clamp(r.model.Minutes(distKm, o, o))
}

func (r Router) clamp(minutes float64) time.Duration {
	return max(time.Duration(minutes*float64(time.Minute)), r.MinDuration)
}

// legacy is the distance-only formula of a Router literal.
func (r Router) legacy(from ror.Commune, distKm float64) time.Duration {
	d := math.Max(distKm, 0)
	u := 0.0
	if from.Population > 1 {
		u = math.Min(1, math.Log10(float64(from.Population))/5.5)
	}
	v := (r.VFar - (r.VFar-r.VNear)*math.Exp(-d/r.D0)) * (1 - r.Urban*u*math.Exp(-d/30))
	return r.clamp(60 * d / v)
}
