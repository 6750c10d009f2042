package search

import (
	"math"
	"slices"

	"github.com/ror-recherche/ror"
)

// results turns ranked groups into the rows of the list.
func (rn renderer) results(gs []group, from *ror.Commune, m *ror.Match) []ror.EGResult {
	out := make([]ror.EGResult, len(gs))
	trips := rn.trips(gs, from)
	for i, g := range gs {
		eg := &rn.o.cat.EGs[g.eg]
		r := ror.EGResult{
			FINESS:     eg.FINESS,
			Name:       eg.Name,
			Category:   rn.coded(ror.VSCategorieEG, eg.Category),
			Department: rn.department(eg.Department),
			Commune:    rn.communeRef(eg.Commune),
			Address:    eg.Address,
			PostalCode: eg.PostalCode,
			Phone:      eg.Phone,
			Score:      round2(g.score),
			NbUO:       len(g.uos),
		}
		if eg.Geolocated() {
			p := eg.Point
			r.Point = &p
		}
		if from != nil && g.distKm >= 0 {
			km := math.Round(g.distKm*10) / 10
			r.DistanceKm = &km
			r.DurationMin, r.Estimated, r.Method, r.NoRoad = tripFields(trips[i])
			if g.at != 0 {
				r.Lieu = withDistance(rn.lieuRef(placeOfGroup(&g)), g.distKm)
			}
		}
		r.UOs = make([]ror.UOResult, len(g.uos))
		for j, u := range g.uos {
			r.UOs[j] = rn.uoResult(u, m)
			if from != nil && slices.Contains(rn.o.cat.UOs[u].Zone, from.INSEE) {
				r.UOs[j].Intervient = from.ShortName()
			}
			if from != nil {
				if place, km, ok := rn.o.unitPlace(from.Point, u); ok {
					r.UOs[j].Lieu = withDistance(rn.lieuRef(place), km)
				}
			}
		}
		out[i] = r
	}
	return out
}

func (rn renderer) uoResult(ord uint32, m *ror.Match) ror.UOResult {
	u := &rn.o.cat.UOs[ord]
	r := ror.UOResult{
		ID:         u.ID,
		TypeUO:     rn.coded(ror.VSTypeUO, u.TypeUO),
		Name:       u.Name,
		Statut:     u.Statut,
		Phone:      u.Phone,
		Patientele: u.Patientele.Short(),
		Provenance: u.Provenance,
		// The label is one of three constants: no allocation per row.
		ProvenanceLib: u.Provenance.Label(),
	}
	if u.Capacite.Known {
		n := u.Capacite.Disponibles
		r.LitsDispo = &n
	}
	if m != nil && m.Score != nil {
		r.Score = round2(m.Score(ord))
	}
	if m != nil && m.Explain != nil {
		r.Explain = m.Explain(ord)
	}
	return r
}

func (rn renderer) coded(vs ror.ValueSet, key string) ror.Coded {
	return ror.Coded{Code: key, Label: rn.o.nom.Label(vs, key)}
}

func (rn renderer) codedList(vs ror.ValueSet, keys []string) []ror.Coded {
	out := make([]ror.Coded, len(keys))
	for i, k := range keys {
		out[i] = rn.coded(vs, k)
	}
	return out
}

func (rn renderer) department(code string) ror.Department {
	if dep, ok := rn.o.places.Department(code); ok {
		return dep
	}
	return ror.Department{Code: code, Name: code}
}

func (rn renderer) communeRef(insee string) ror.CommuneRef {
	if c, ok := rn.o.places.Commune(insee); ok {
		return ror.CommuneRef{INSEE: insee, Name: c.ShortName(), Label: c.Label()}
	}
	return ror.CommuneRef{INSEE: insee, Name: insee}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// tripFields are a Trip as the results show it: minutes rounded up, said
// estimated with their method, or none across the sea.
func tripFields(t ror.Trip) (minutes *int, estimated bool, method string, noRoad bool) {
	if !t.Reachable {
		return nil, false, "", true
	}
	m := int(math.Ceil(t.Duration.Minutes()))
	return &m, true, t.Method, false
}

// trips times the groups with a distance from from (the others get the
// zero Trip): in one request when the router is a TripTable.
func (rn renderer) trips(gs []group, from *ror.Commune) []ror.Trip {
	out := make([]ror.Trip, len(gs))
	if from == nil {
		return out
	}
	var idx []int
	var places []ror.Place
	for i, g := range gs {
		if g.distKm >= 0 {
			place := placeOfGroup(&g)
			idx, places = append(idx, i), append(places, ror.Place{Point: rn.o.pts[place], INSEE: rn.o.cat.PlaceCommune(place), DistanceKm: g.distKm})
		}
	}
	if tt, ok := rn.o.router.(ror.TripTable); ok && len(places) > 0 {
		for j, t := range tt.Trips(*from, places) {
			out[idx[j]] = t
		}
		return out
	}
	for j, p := range places {
		out[idx[j]] = rn.o.router.Trip(*from, p.Point, p.INSEE, p.DistanceKm)
	}
	return out
}
