package geo

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ror-recherche/ror"
)

// MethodOSRM names a routing engine's times in answers (duree_methode).
const MethodOSRM = "osrm"

// osrmCacheMax bounds the cached (origin, destination) times; past it the
// cache starts again empty.
const osrmCacheMax = 200_000

// OSRM times trips with an OSRM server's /table service (one request for
// an origin and all its destinations), caches each (origin, destination),
// and falls back to the model when the server is slow, down or finds no
// route. It keeps the model's road networks: across the sea there is no
// driving time, whatever the server says. It implements ror.Router and
// ror.TripTable.
type OSRM struct {
	base   string // e.g. http://osrm:5000, without the service path
	client *http.Client
	model  Router

	mu    sync.Mutex
	cache map[[4]float64]time.Duration
}

// NewOSRM returns a client of the OSRM server at base (scheme, host, port
// and an optional prefix), each request at most timeout, with model as the
// fallback.
func NewOSRM(base string, timeout time.Duration, model Router) (*OSRM, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("geo: router URL %q: want http(s)://host[:port]", base)
	}
	return &OSRM{base: strings.TrimRight(base, "/"), client: &http.Client{Timeout: timeout}, model: model,
		cache: map[[4]float64]time.Duration{}}, nil
}

// Duration is the model's: a distance alone names no place to route to.
func (o *OSRM) Duration(from ror.Commune, distKm float64) time.Duration {
	return o.model.Duration(from, distKm)
}

// Reachable is the model's road networks.
func (o *OSRM) Reachable(from ror.Commune, to ror.Point, toINSEE string) bool {
	return o.model.Reachable(from, to, toINSEE)
}

// Network is the model's road networks.
func (o *OSRM) Network(insee string, p ror.Point) string { return o.model.Network(insee, p) }

// LowerBound is the model's: the proximity lookup picks its candidates by
// the model, then times them with the server.
func (o *OSRM) LowerBound(from ror.Commune, minKm float64) time.Duration {
	return o.model.LowerBound(from, minKm)
}

// Trip is the cached time of a destination, else the model's, without a
// request: walks that try many candidates one by one (the proximity
// lookup's) stay on the model, and Trips times what they keep.
func (o *OSRM) Trip(from ror.Commune, to ror.Point, toINSEE string, distKm float64) ror.Trip {
	t := o.model.Trip(from, to, toINSEE, distKm)
	if !t.Reachable {
		return t
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if d, ok := o.cache[cacheKey(from.Point, to)]; ok {
		return ror.Trip{Duration: d, Reachable: true, Method: MethodOSRM}
	}
	return t
}

// Trips times every destination from from: the cached ones from the cache,
// the others in one /table request (one per 99 destinations); the model
// for any the server does not answer in time.
func (o *OSRM) Trips(from ror.Commune, to []ror.Place) []ror.Trip {
	out := make([]ror.Trip, len(to))
	for i, p := range to {
		out[i] = o.model.Trip(from, p.Point, p.INSEE, p.DistanceKm)
	}
	var ask []int
	o.mu.Lock()
	for i, p := range to {
		if !out[i].Reachable || !p.Point.Valid() || !from.Point.Valid() {
			continue
		}
		if d, ok := o.cache[cacheKey(from.Point, p.Point)]; ok {
			out[i] = ror.Trip{Duration: d, Reachable: true, Method: MethodOSRM}
		} else {
			ask = append(ask, i)
		}
	}
	o.mu.Unlock()
	if len(ask) == 0 {
		return out
	}
	for len(ask) > 0 {
		n := min(len(ask), osrmTableMax-1)
		o.ask(from, to, ask[:n], out)
		ask = ask[n:]
	}
	return out
}

// osrmTableMax is the most coordinates of one table request: osrm-routed's
// default --max-table-size.
const osrmTableMax = 100

// ask times to[i] for i in ask in one request, into out.
func (o *OSRM) ask(from ror.Commune, to []ror.Place, ask []int, out []ror.Trip) {
	pts := make([]ror.Point, len(ask))
	for j, i := range ask {
		pts[j] = to[i].Point
	}
	secs, err := o.table(context.Background(), from.Point, pts)
	if err != nil {
		return // the model's, said so by their method
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.cache)+len(ask) > osrmCacheMax {
		o.cache = map[[4]float64]time.Duration{}
	}
	for j, i := range ask {
		if secs[j] == nil {
			continue // no route found: the model's
		}
		d := max(time.Duration(*secs[j]*float64(time.Second)), time.Minute)
		o.cache[cacheKey(from.Point, to[i].Point)] = d
		out[i] = ror.Trip{Duration: d, Reachable: true, Method: MethodOSRM}
	}
}

// cacheKey is an (origin, destination) rounded to about a metre.
func cacheKey(a, b ror.Point) [4]float64 {
	r := func(x float64) float64 { return math.Round(x*1e5) / 1e5 }
	return [4]float64{r(a.Lon), r(a.Lat), r(b.Lon), r(b.Lat)}
}

// osrmTable is the answer of OSRM's table service
// (https://project-osrm.org/docs/v5.24.0/api/#table-service): code "Ok",
// durations[source][destination] in seconds, null when no route.
type osrmTable struct {
	Code      string       `json:"code"`
	Message   string       `json:"message"`
	Durations [][]*float64 `json:"durations"`
}

// table asks the durations from one source to the destinations:
// GET {base}/table/v1/driving/{lon,lat;…}?sources=0&annotations=duration.
func (o *OSRM) table(ctx context.Context, from ror.Point, to []ror.Point) ([]*float64, error) {
	var b strings.Builder
	b.WriteString(o.base + "/table/v1/driving/")
	coord := func(p ror.Point) {
		b.WriteString(strconv.FormatFloat(p.Lon, 'f', 6, 64) + "," + strconv.FormatFloat(p.Lat, 'f', 6, 64))
	}
	coord(from)
	for _, p := range to {
		b.WriteByte(';')
		coord(p)
	}
	b.WriteString("?sources=0&annotations=duration")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := o.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("geo: osrm table: %w", err)
	}
	defer resp.Body.Close()
	var t osrmTable
	if err := json.NewDecoder(resp.Body).Decode(&t); err != nil {
		return nil, fmt.Errorf("geo: osrm table: %s: %w", resp.Status, err)
	}
	if t.Code != "Ok" || len(t.Durations) != 1 || len(t.Durations[0]) != len(to)+1 {
		return nil, fmt.Errorf("geo: osrm table: %s %s %s", resp.Status, t.Code, t.Message)
	}
	return t.Durations[0][1:], nil
}
