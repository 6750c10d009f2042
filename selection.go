package ror

import (
	"context"
	"sort"
	"strings"
)

// Selection is a structured search over UOs for machine clients (the FHIR
// API): every set field must hold (AND); lists inside a field are OR.
type Selection struct {
	Require        []Requirement // coded criteria, as the bitmaps hold them
	Near           *Near         // within a radius of a point
	Communes       []string      // INSEE codes of the EG's commune
	PostalPrefixes []string      // prefixes of the EG's postal code ("75", "75010")
	Zone           []string      // INSEE codes in the UO's zone d'intervention
	EGs            []string      // FINESS of the EG
	EJs            []string      // FINESS of the EJ
	CategoriesEG   []string      // FINESS categories of the EG (JDV_J55)
	Name           string        // words all found in the UO's or the EG's name
	AgeLow         *int          // UO takes patients of at least this age…
	AgeHigh        *int          // …and of at most this one
	Offset, Limit  int           // paging; Limit 0 = MaxResults
}

// Near is a circle on the map.
type Near struct {
	Point    Point
	RadiusKm float64
}

// Selected is one UO of a Selection with its EG and EJ.
type Selected struct {
	UO         UO
	EG         EG
	DistanceKm float64 // -1 without Near
}

// Select returns the UOs satisfying s, nearest first with Near, else by EG
// FINESS then UO id, and how many there are in all.
func (d *Directory) Select(ctx context.Context, s Selection) ([]Selected, int, error) {
	var cands Candidates
	if len(s.Require) > 0 {
		c, err := d.index.Require(ctx, s.Require)
		if err != nil {
			return nil, 0, err
		}
		cands = c
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	f := d.selectionFilter(s)
	var hits []Selected
	consider := func(u uint32) {
		eg := &d.cat.EGs[d.cat.EGOf[u]]
		dist := -1.0
		if s.Near != nil {
			if !eg.Geolocated() {
				return
			}
			dist = d.tree.DistanceKm(s.Near.Point, eg.Point)
			if dist > s.Near.RadiusKm {
				return
			}
		}
		if f(&d.cat.UOs[u], eg) {
			hits = append(hits, Selected{UO: d.cat.UOs[u], EG: *eg, DistanceKm: dist})
		}
	}
	if cands != nil {
		cands.Each(func(u uint32) bool { consider(u); return true })
	} else {
		for u := range d.cat.UOs {
			consider(uint32(u))
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if s.Near != nil && hits[i].DistanceKm != hits[j].DistanceKm {
			return hits[i].DistanceKm < hits[j].DistanceKm
		}
		return hits[i].UO.ID < hits[j].UO.ID
	})
	total := len(hits)
	limit := s.Limit
	if limit <= 0 || limit > MaxResults {
		limit = MaxResults
	}
	lo := min(s.Offset, len(hits))
	return hits[lo:min(lo+limit, len(hits))], total, nil
}

// selectionFilter compiles the non-coded fields of s into one predicate.
func (d *Directory) selectionFilter(s Selection) func(*UO, *EG) bool {
	set := func(list []string) map[string]bool {
		if len(list) == 0 {
			return nil
		}
		m := make(map[string]bool, len(list))
		for _, x := range list {
			m[x] = true
		}
		return m
	}
	communes, egs, ejs, cats, zone := set(s.Communes), set(s.EGs), set(s.EJs), set(s.CategoriesEG), set(s.Zone)
	words := strings.Fields(Fold(s.Name))
	return func(u *UO, eg *EG) bool {
		if communes != nil && !communes[eg.Commune] || egs != nil && !egs[eg.FINESS] ||
			ejs != nil && !ejs[eg.EJ] || cats != nil && !cats[eg.Category] {
			return false
		}
		if len(s.PostalPrefixes) > 0 && !hasAnyPrefix(eg.PostalCode, s.PostalPrefixes) && !hasAnyPrefix(eg.Commune, s.PostalPrefixes) {
			return false
		}
		if zone != nil && !anyIn(u.Zone, zone) {
			return false
		}
		if s.AgeLow != nil && u.Patientele.AgeMax > 0 && u.Patientele.AgeMax < *s.AgeLow {
			return false
		}
		if s.AgeHigh != nil && u.Patientele.AgeMin > *s.AgeHigh {
			return false
		}
		if len(words) > 0 {
			name := Fold(u.Name + " " + eg.Name)
			for _, w := range words {
				if !strings.Contains(name, w) {
					return false
				}
			}
		}
		return true
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

func anyIn(list []string, set map[string]bool) bool {
	for _, x := range list {
		if set[x] {
			return true
		}
	}
	return false
}

// Nomenclature returns the national value sets the directory codes with.
func (d *Directory) Nomenclature() *Nomenclature { return d.nom }

// Gazetteer returns the communes and départements of the directory.
func (d *Directory) Gazetteer() Gazetteer { return d.places }
