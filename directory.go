package ror

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// directScanMax is the size of a match set under which ranking by distance
// computes every candidate's distance instead of walking the R-tree: a
// selective criterion would otherwise visit most of the tree before finding
// 200 établissements.
const directScanMax = 20000

// Directory is the search use case: it resolves the commune, asks the index
// for candidates and facets, ranks them by distance or relevance, adds km
// and minutes, groups by établissement and pages by PageSize.
type Directory struct {
	mu        sync.RWMutex // guards the catalog: readers search, writers update
	wmu       sync.Mutex   // serialises writes so store and catalog change in one order
	store     Store
	cat       *Catalog
	nom       *Nomenclature
	index     Index
	places    Gazetteer
	tree      Locator
	router    Router
	nonGeo    []uint32  // EGs without a position, listed apart in distance order
	pts       []Point   // by EG ordinal: its position (invalid when none), dense for the ranking loops
	nameRank  []uint32  // by EG ordinal: its place in name order, to sort by name without comparing strings
	slots     sync.Pool // []int32 by EG ordinal, for groupAll
	markPool  sync.Pool // *marks
	presets   map[string]Preset
	ejs       map[string]EJ
	ejSince   map[string]time.Time // when each EJ was imported: its EGs' earliest update
	anomalies Anomalies
	drafts    Drafts
}

// Parts are the adapters a Directory runs on.
type Parts struct {
	Catalog      *Catalog
	Nomenclature *Nomenclature
	Index        Index
	Gazetteer    Gazetteer
	Locator      Locator
	Router       Router
	EJs          []EJ
	Store        Store     // nil: read-only
	Presets      []Preset  // needs of the proximity lookup (besoin=)
	Anomalies    Anomalies // nil: reports refused
	Drafts       Drafts    // nil: no offer editing
}

// NewDirectory returns a Directory over p.
func NewDirectory(p Parts) *Directory {
	d := &Directory{cat: p.Catalog, nom: p.Nomenclature, index: p.Index, places: p.Gazetteer, tree: p.Locator,
		router: p.Router, store: p.Store, presets: map[string]Preset{}, anomalies: p.Anomalies, drafts: p.Drafts}
	d.ejs = make(map[string]EJ, len(p.EJs))
	for _, ej := range p.EJs {
		d.ejs[ej.FINESS] = ej
	}
	for _, pr := range p.Presets {
		d.presets[pr.ID] = pr
	}
	d.ejSince = make(map[string]time.Time, len(p.EJs))
	d.pts = make([]Point, len(d.cat.EGs))
	for i := range d.cat.EGs {
		eg := &d.cat.EGs[i]
		d.pts[i] = eg.Point
		if t, ok := d.ejSince[eg.EJ]; !ok || eg.UpdatedAt.Before(t) {
			d.ejSince[eg.EJ] = eg.UpdatedAt
		}
		if !d.cat.EGs[i].Geolocated() {
			d.nonGeo = append(d.nonGeo, uint32(i))
		}
	}
	d.rankNames()
	return d
}

// group is one établissement of a result list with its matching UOs.
type group struct {
	eg     uint32
	run    int32 // nearestOf's: where its UOs are noted
	uos    []uint32
	distKm float64 // -1 without a commune or a position
	score  float64
}

// Search runs q and returns the page it asks for.
func (d *Directory) Search(ctx context.Context, q Query) (*Results, error) {
	start := time.Now()
	if q.Page == 0 {
		q.Page = 1
	}
	var from *Commune
	if q.Ou != "" {
		c, err := d.places.Resolve(q.Ou)
		if err != nil {
			return nil, err
		}
		if !c.Point.Valid() {
			return nil, Errorf(Invalid, "ou", "La commune « %s » n'a pas de position connue : choisir une commune voisine.", c.Label())
		}
		from = &c
	}
	tri := q.SortOrder()
	if tri == TriDistance && from == nil {
		return nil, Errorf(Invalid, "tri", "Le tri par distance demande une commune (paramètre « ou »).")
	}
	m, err := d.index.Match(ctx, &q)
	if err != nil {
		return nil, err
	}

	d.mu.RLock()
	defer d.mu.RUnlock()
	var groups []group
	var truncated bool
	var origin Point
	if from != nil {
		origin = from.Point
	}
	ar := area{rayonKm: q.RayonKm, bbox: q.BBox}
	if tri == TriDistance {
		zone := d.zoneGroups(from, m.Units)
		groups, truncated = d.byDistance(origin, m.Units, ar, zone)
	} else {
		groups, truncated = d.byRelevance(from, m, ar)
	}
	res := &Results{Tri: tri, Page: q.Page, PageSize: PageSize, Facets: d.facets(m.Facets, &q), From: from, Query: q}
	if tri == TriDistance && !q.Explain {
		m = &Match{Units: m.Units, Facets: m.Facets, NonGeolocated: m.NonGeolocated} // scores rank nothing here: don't pay for them
	}
	var ng []group
	if tri == TriDistance && ar.none() {
		// Listed apart but counted in the 200: the cap is on what a user sees.
		if room := MaxResults - len(groups); room == 0 && m.NonGeolocated != nil {
			truncated = truncated || m.NonGeolocated.Len() > 0 // no room: only whether there are any
		} else {
			ng = d.nonGeolocated(m)
			if len(ng) > room {
				ng, truncated = ng[:room], true
			}
			res.NonGeolocalisees = d.results(ng, nil, m)
		}
	}
	// Rendering a result costs microseconds per UO (labels, communes): the
	// page is rendered, the other 185 only for exports.
	res.Pages = (len(groups) + PageSize - 1) / PageSize
	lo, hi := min((q.Page-1)*PageSize, len(groups)), min(q.Page*PageSize, len(groups))
	if q.All {
		res.All = d.results(groups, from, m)
		res.Etablissements = res.All[lo:hi]
	} else {
		res.Etablissements = d.results(groups[lo:hi], from, m)
	}
	// The summary counts what the facets count: the non-geolocated too.
	res.Summary = d.summary(append(groups[:len(groups):len(groups)], ng...), truncated, from, time.Since(start))
	return res, nil
}

// facets returns the refine panel of an answer from the index's counts
// (shared: copied where changed): the values shown of each facet, with the
// départements named.
func (d *Directory) facets(all []FacetCounts, q *Query) []FacetCounts {
	out := make([]FacetCounts, len(all))
	for i, fc := range all {
		fc.Distinct = len(fc.Values)
		if !slices.Contains(q.FullFacets, fc.Facet) {
			fc.Values = shown(fc.Values, FacetValuesShown, q.Filters[fc.Facet])
		}
		if fc.Facet == FacetDepartement { // the index knows codes, the gazetteer names
			vals := slices.Clone(fc.Values)
			for j := range vals {
				vals[j].Label = vals[j].Code + " – " + d.department(vals[j].Code).Name
			}
			fc.Values = vals
		}
		out[i] = fc
	}
	return out
}

// groupAll groups the candidate UOs by établissement, in EG order.
func (d *Directory) groupAll(units Candidates, geolocatedOnly bool) []group {
	// slot is by EG ordinal: 1 + the EG's place in gs, 0 when not yet seen
	// (a map costs 3 times more at 100,000 UOs); pooled, and cleared of
	// what this call set before it goes back.
	slot, _ := d.slots.Get().([]int32)
	if len(slot) < len(d.cat.EGs) {
		slot = make([]int32, len(d.cat.EGs))
	}
	var gs []group
	units.Each(func(u uint32) bool {
		eg := d.cat.EGOf[u]
		if geolocatedOnly && !d.pts[eg].Valid() {
			return true
		}
		i := slot[eg] - 1
		if i < 0 {
			i = int32(len(gs))
			slot[eg] = i + 1
			gs = append(gs, group{eg: eg, distKm: -1})
		}
		gs[i].uos = append(gs[i].uos, u)
		return true
	})
	for _, g := range gs {
		slot[g.eg] = 0
	}
	d.slots.Put(slot)
	return gs
}

// nonGeolocated returns the établissements without a position that have a
// candidate UO, by name: from the index's share of them when it gives one,
// from the candidates when they are fewer than the UOs of those
// établissements, else from the établissements.
func (d *Directory) nonGeolocated(m *Match) []group {
	var gs []group
	units := m.Units
	if m.NonGeolocated != nil {
		units = m.NonGeolocated
	}
	if m.NonGeolocated != nil || units.Len() < 4*len(d.nonGeo) {
		gs = d.groupAll(units, false)
		kept := gs[:0]
		for _, g := range gs {
			if !d.pts[g.eg].Valid() {
				kept = append(kept, g)
			}
		}
		gs = kept
	} else {
		for _, eg := range d.nonGeo {
			if uos := d.matching(eg, units); len(uos) > 0 {
				gs = append(gs, group{eg: eg, uos: uos, distKm: -1})
			}
		}
	}
	slices.SortFunc(gs, func(a, b group) int { return cmp.Compare(d.nameRank[a.eg], d.nameRank[b.eg]) })
	return gs
}

// matching returns the UOs of eg that are candidates.
func (d *Directory) matching(eg uint32, units Candidates) []uint32 {
	var out []uint32
	for _, u := range d.cat.UOsOf[eg] {
		if units.Contains(u) {
			out = append(out, u)
		}
	}
	return out
}

func (d *Directory) summary(all []group, truncated bool, from *Commune, took time.Duration) Summary {
	s := Summary{Etablissements: len(all), Truncated: truncated, TookMs: float64(took.Microseconds()) / 1000}
	for i := range all {
		s.UO += len(all[i].uos)
	}
	s.Text = fmt.Sprintf("%d établissement(s), %d UO en %d ms.", s.Etablissements, s.UO, took.Milliseconds())
	if from != nil {
		s.Origin = &CommuneRef{INSEE: from.INSEE, Name: from.Name, Label: from.Label()}
		s.Text += " Distances calculées à partir de " + from.ShortName()
	}
	return s
}
