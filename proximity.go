package ror

import (
	"context"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Requirement is one need of the proximity lookup: a UO qualifies when it
// carries any of the codes of the facet.
type Requirement struct {
	Facet Facet    `json:"facette"`
	AnyOf []string `json:"codes"`
}

// Preset is a named set of requirements for a common need, e.g.
// "obesite-severe" (data/presets.json).
type Preset struct {
	ID      string        `json:"id"`
	Label   string        `json:"label"`
	Require []Requirement `json:"exigences"`
}

// The proximity lookup's bounds.
const (
	NearDefaultLimit = 10
	NearMaxLimit     = 50
	StaleAfter       = 24 * time.Hour // a bed figure older than this is flagged
)

// NearQuery is a parsed /api/v1/proximite request.
type NearQuery struct {
	Ou         string // commune as typed, or "lat,lon"
	Point      *Point // set when Ou is "lat,lon"
	Require    []Requirement
	Besoin     string
	MinLits    int    // lits disponibles at least
	Patientele string // "", enfant or adulte
	Limit      int
}

// ParseNearQuery reads the parameters of the proximity lookup: every code
// parameter (equipement, acte, activite, type_uo, mode) is a requirement;
// repeated parameters are all required, a comma list is any of.
func ParseNearQuery(v url.Values) (NearQuery, error) {
	q := NearQuery{Ou: strings.TrimSpace(v.Get("ou")), Besoin: v.Get("besoin"), Limit: NearDefaultLimit}
	if q.Ou == "" {
		return q, Errorf(Invalid, "ou", "Indiquer une commune ou une position « lat,lon ».")
	}
	if p, ok, err := parseLatLon(q.Ou); err != nil {
		return q, err
	} else if ok {
		q.Point = &p
	}
	for _, f := range []Facet{FacetEquipement, FacetActe, FacetActivite, FacetTypeUO, FacetMode} {
		for _, raw := range v[string(f)] {
			codes, err := ParseCodes(string(f), []string{raw})
			if err != nil {
				return q, err
			}
			if len(codes) > 0 {
				q.Require = append(q.Require, Requirement{Facet: f, AnyOf: codes})
			}
		}
	}
	if s := v.Get("lits_disponibles"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1000 {
			return q, Errorf(Invalid, "lits_disponibles", "Le nombre de lits disponibles demandé doit être entre 0 et 1000.")
		}
		q.MinLits = n
	}
	switch p := v.Get("patientele"); p {
	case "", PatienteleEnfant, PatienteleAdulte:
		q.Patientele = p
	default:
		return q, Errorf(Invalid, "patientele", "La patientèle doit être « enfant » ou « adulte ».")
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > NearMaxLimit {
			return q, Errorf(Invalid, "limit", "Le nombre de résultats doit être entre 1 et %d.", NearMaxLimit)
		}
		q.Limit = n
	}
	if len(q.Require) == 0 && q.Besoin == "" {
		return q, Errorf(Invalid, "equipement", "Indiquer au moins un besoin : equipement, acte, activite, type_uo, mode ou besoin.")
	}
	return q, nil
}

// parseLatLon reads "48.876,2.361"; ok is false when s is not of that shape
// (then it is a commune).
func parseLatLon(s string) (Point, bool, error) {
	a, b, found := strings.Cut(s, ",")
	if !found {
		return Point{}, false, nil
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil {
		return Point{}, false, nil
	}
	p := Point{Lon: lon, Lat: lat}
	if !p.Valid() {
		return p, false, Errorf(Invalid, "ou", "La position « %s » n'est pas une latitude,longitude WGS84.", clip(s))
	}
	return p, true, nil
}

// NearResult is one unit of the proximity lookup.
type NearResult struct {
	EG          EGRef     `json:"etablissement"`
	UO          UOResult  `json:"uo"`
	DistanceKm  float64   `json:"distance_km"`
	DurationMin int       `json:"duree_min"`
	Lits        *Capacite `json:"capacite,omitempty"`
	AgeMin      *int      `json:"age_chiffre_min,omitempty"` // minutes since the bed figure
	Stale       bool      `json:"chiffre_ancien"`            // figure older than StaleAfter
}

// EGRef is what a regulator needs of an établissement.
type EGRef struct {
	FINESS  string     `json:"finess"`
	Name    string     `json:"nom"`
	Address string     `json:"adresse"`
	Commune CommuneRef `json:"commune"`
	Phone   string     `json:"telephone,omitempty"`
	Point   Point      `json:"position"`
}

// Nearby returns the units nearest by travel time that carry every required
// code, with their beds; limit at most.
func (d *Directory) Nearby(ctx context.Context, q NearQuery, now time.Time) ([]NearResult, *Commune, error) {
	from, err := d.origin(q)
	if err != nil {
		return nil, nil, err
	}
	reqs := q.Require
	if q.Besoin != "" {
		pr, ok := d.presets[q.Besoin]
		if !ok {
			return nil, nil, Errorf(Invalid, "besoin", "Le besoin « %s » n'existe pas.", clip(q.Besoin))
		}
		reqs = append(append([]Requirement{}, pr.Require...), reqs...)
	}
	cands, err := d.index.Require(ctx, reqs)
	if err != nil {
		return nil, nil, err
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	type hit struct {
		eg, uo uint32
		km     float64
	}
	var hits []hit
	if cands.Len() <= directScanMax {
		// Few candidates: measure each rather than walk the whole tree,
		// keeping the Limit nearest in order. Once they are found, most
		// candidates are told farther by their latitude alone, before
		// their unit is read.
		cands.Each(func(u uint32) bool {
			eg := d.cat.EGOf[u]
			pt := d.pts[eg]
			if !pt.Valid() {
				return true
			}
			var km float64
			if len(hits) == q.Limit {
				var near bool
				if km, near = d.tree.DistanceWithinKm(from.Point, pt, hits[len(hits)-1].km); !near || km >= hits[len(hits)-1].km {
					return true
				}
			} else {
				km = d.tree.DistanceKm(from.Point, pt)
			}
			if !d.qualifies(&d.cat.UOs[u], q) {
				return true
			}
			i := sort.Search(len(hits), func(i int) bool { return hits[i].km > km })
			if len(hits) < q.Limit {
				hits = append(hits, hit{})
			}
			copy(hits[i+1:], hits[i:len(hits)-1])
			hits[i] = hit{eg, u, km}
			return true
		})
	} else {
		d.tree.Nearest(from.Point, func(eg uint32, km float64) bool {
			for _, u := range d.matching(eg, cands) {
				if d.qualifies(&d.cat.UOs[u], q) {
					hits = append(hits, hit{eg, u, km})
				}
			}
			return len(hits) < q.Limit
		})
	}
	out := make([]NearResult, 0, min(len(hits), q.Limit))
	for _, h := range hits[:min(len(hits), q.Limit)] {
		out = append(out, d.nearResult(h.eg, h.uo, h.km, from, now))
	}
	// Durations are non-decreasing in distance (Router); the stable sort
	// only orders equal minutes by distance.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].DurationMin != out[j].DurationMin {
			return out[i].DurationMin < out[j].DurationMin
		}
		return out[i].DistanceKm < out[j].DistanceKm
	})
	return out, from, nil
}

func (d *Directory) origin(q NearQuery) (*Commune, error) {
	if q.Point != nil {
		return &Commune{Name: "position", Point: *q.Point}, nil
	}
	c, err := d.places.Resolve(q.Ou)
	if err != nil {
		return nil, err
	}
	if !c.Point.Valid() {
		return nil, Errorf(Invalid, "ou", "La commune « %s » n'a pas de position connue.", c.Label())
	}
	return &c, nil
}

// qualifies applies the per-unit conditions the bitmaps do not hold: beds
// available now, patientèle, open.
func (d *Directory) qualifies(u *UO, q NearQuery) bool {
	if u.Statut == StatutFerme {
		return false
	}
	if q.MinLits > 0 && (!u.Capacite.Known || u.Capacite.Disponibles < q.MinLits) {
		return false
	}
	switch q.Patientele {
	case PatienteleEnfant:
		return u.Patientele.Enfant
	case PatienteleAdulte:
		return u.Patientele.Adulte
	}
	return true
}

func (d *Directory) nearResult(egOrd, u uint32, km float64, from *Commune, now time.Time) NearResult {
	eg := &d.cat.EGs[egOrd]
	uo := &d.cat.UOs[u]
	r := NearResult{
		EG:          EGRef{FINESS: eg.FINESS, Name: eg.Name, Address: eg.Address, Commune: d.communeRef(eg.Commune), Phone: eg.Phone, Point: eg.Point},
		UO:          d.uoResult(u, nil),
		DistanceKm:  round2(km),
		DurationMin: int(d.router.Duration(*from, km).Minutes() + 0.999),
	}
	if uo.Capacite.Known {
		c := uo.Capacite
		r.Lits = &c
		age := int(now.Sub(c.UpdatedAt).Minutes())
		r.AgeMin = &age
		r.Stale = now.Sub(c.UpdatedAt) > StaleAfter
	}
	return r
}
