package ror

import (
	"fmt"
	"math"
	"slices"
)

// results turns ranked groups into the rows of the list.
func (d *Directory) results(gs []group, from *Commune, m *Match) []EGResult {
	out := make([]EGResult, len(gs))
	for i, g := range gs {
		eg := &d.cat.EGs[g.eg]
		r := EGResult{
			FINESS:     eg.FINESS,
			Name:       eg.Name,
			Category:   d.coded(VSCategorieEG, eg.Category),
			Department: d.department(eg.Department),
			Commune:    d.communeRef(eg.Commune),
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
			minutes := int(math.Ceil(d.router.Duration(*from, g.distKm).Minutes()))
			r.DistanceKm, r.DurationMin = &km, &minutes
		}
		r.UOs = make([]UOResult, len(g.uos))
		for j, u := range g.uos {
			r.UOs[j] = d.uoResult(u, m)
			if from != nil && slices.Contains(d.cat.UOs[u].Zone, from.INSEE) {
				r.UOs[j].Intervient = from.ShortName()
			}
		}
		out[i] = r
	}
	return out
}

func (d *Directory) uoResult(ord uint32, m *Match) UOResult {
	u := &d.cat.UOs[ord]
	r := UOResult{
		ID:            u.ID,
		TypeUO:        d.coded(VSTypeUO, u.TypeUO),
		Name:          u.Name,
		Statut:        u.Statut,
		Disponibilite: Disponibilite(u.Capacite),
		Phone:         u.Phone,
		Patientele:    u.Patientele.Short(),
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

// Disponibilite is the availability column of the ROR screen.
func Disponibilite(c Capacite) string {
	if !c.Known {
		return "Saisie non activée"
	}
	if c.Disponibles <= 1 {
		return fmt.Sprintf("%d lit disponible", c.Disponibles)
	}
	return fmt.Sprintf("%d lits disponibles", c.Disponibles)
}

func (d *Directory) coded(vs ValueSet, key string) Coded {
	return Coded{Code: key, Label: d.nom.Label(vs, key)}
}

func (d *Directory) codedList(vs ValueSet, keys []string) []Coded {
	out := make([]Coded, len(keys))
	for i, k := range keys {
		out[i] = d.coded(vs, k)
	}
	return out
}

func (d *Directory) department(code string) Department {
	if dep, ok := d.places.Department(code); ok {
		return dep
	}
	return Department{Code: code, Name: code}
}

func (d *Directory) communeRef(insee string) CommuneRef {
	if c, ok := d.places.Commune(insee); ok {
		return CommuneRef{INSEE: insee, Name: c.ShortName(), Label: c.Label()}
	}
	return CommuneRef{INSEE: insee, Name: insee}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
