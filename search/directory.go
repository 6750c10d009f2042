package search

import (
	"cmp"
	"context"
	"slices"
	"sync"
	"time"

	"github.com/ror-recherche/ror"
)

// Directory is the read side: it owns the live offer under one lock and
// answers every read from it. The search resolves the commune, asks the
// index for candidates and facets, ranks them by distance or relevance,
// adds km and minutes, groups by établissement and pages by PageSize.
// Update is the only way the offer changes.
type Directory struct {
	mu  sync.RWMutex // guards o: readers search, Update changes
	wmu sync.Mutex   // serialises updates (Update) so store and catalog change in one order
	o   *offer
	r   renderer
}

// offer is the live offer and what ranks it: the catalog with the index's
// and the tree's view of it. Its methods run under Directory.mu.
type offer struct {
	cat      *ror.Catalog
	nom      *ror.Nomenclature
	index    ror.Index
	places   ror.Gazetteer
	tree     ror.Locator
	router   ror.Router
	nonGeo   []uint32    // EGs without a position, listed apart in distance order
	pts      []ror.Point // the Locator's positions by EG ordinal (shared, read only), dense for the ranking loops
	nets     placeNets   // by place: its road network, for sameNetworkFirst
	nameRank []uint32    // by EG ordinal: its place in name order, to sort by name without comparing strings
	slots    sync.Pool   // *[]int32 by EG ordinal, for groupAll
	markPool markPool
	unitBits bitsPool // areaUnits' union
	presets  map[string]ror.Preset
	besoins  []ror.Preset // the same in data/presets.json's order, for the page
	ejs      map[string]ror.EJ
	ejSince  map[string]time.Time // each EJ's date: its EGs' earliest dated update
}

// renderer turns ranked groups and records into the rows an answer shows,
// labels resolved; it reads the offer under Directory.mu.
type renderer struct{ o *offer }

// Parts are the adapters a Directory runs on.
type Parts struct {
	Catalog      *ror.Catalog
	Nomenclature *ror.Nomenclature
	Index        ror.Index
	Gazetteer    ror.Gazetteer
	Locator      ror.Locator
	Router       ror.Router
	EJs          []ror.EJ
	Presets      []ror.Preset // needs of the proximity lookup (besoin=)
}

// NewDirectory returns a Directory over p.
func NewDirectory(p Parts) *Directory {
	d := &offer{cat: p.Catalog, nom: p.Nomenclature, index: p.Index, places: p.Gazetteer, tree: p.Locator,
		router: p.Router, presets: map[string]ror.Preset{}}
	d.ejs = make(map[string]ror.EJ, len(p.EJs))
	for _, ej := range p.EJs {
		d.ejs[ej.FINESS] = ej
	}
	for _, pr := range p.Presets {
		d.presets[pr.ID] = pr
	}
	d.besoins = p.Presets
	d.ejSince = make(map[string]time.Time, len(p.EJs))
	d.pts = p.Locator.Positions()
	d.nets.extend(d.router, d.cat, d.pts)
	for i := range d.cat.EGs {
		eg := &d.cat.EGs[i]
		// An EJ is dated by the earliest dated record of its EGs; an
		// undated one (an Île-de-France record of about 2013) does not
		// make it undated.
		if t, ok := d.ejSince[eg.EJ]; !eg.UpdatedAt.IsZero() && (!ok || t.IsZero() || eg.UpdatedAt.Before(t)) {
			d.ejSince[eg.EJ] = eg.UpdatedAt
		}
		if !d.cat.EGs[i].Geolocated() {
			d.nonGeo = append(d.nonGeo, uint32(i))
		}
	}
	d.rankNames()
	return &Directory{o: d, r: renderer{d}}
}

// group is one établissement of a result list with its matching UOs.
type group struct {
	eg     uint32
	at     uint32 // the place measured to (placeSeen): 0 for the EG's address
	uos    []uint32
	distKm float64 // -1 without a commune or a position
	score  float64
}

// Search runs q and returns the page it asks for (and every result with
// q.All).
func (d *Directory) Search(ctx context.Context, q ror.Query) (*ror.Answer, error) {
	start := time.Now()
	if q.Page == 0 {
		q.Page = 1
	}
	var from *ror.Commune
	if q.Ou != "" {
		c, err := d.o.places.Resolve(q.Ou)
		if err != nil {
			return nil, err
		}
		if !c.Point.Valid() {
			return nil, ror.Errorf(ror.Invalid, "ou", "La commune « %s » n'a pas de position connue : choisir une commune voisine.", c.Label())
		}
		from = &c
	}
	tri := q.SortOrder()
	if tri == ror.TriDistance && from == nil {
		return nil, ror.Errorf(ror.Invalid, "tri", "Le tri par distance demande une commune (paramètre « ou »).")
	}
	ar := area{rayonKm: q.RayonKm, bbox: q.BBox}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if !ar.none() {
		q.Within = d.o.areaUnits(from, ar, tri == ror.TriDistance)
	}
	m, err := d.o.index.Match(ctx, &q)
	if err != nil {
		return nil, err
	}
	defer m.Release()

	var groups []group
	var truncated bool
	if tri == ror.TriDistance {
		groups, truncated = d.o.byDistance(from, m.Units, ar)
		groups = d.o.sameNetworkFirst(from, groups)
	} else {
		groups, truncated = d.o.byRelevance(from, m, ar)
	}
	res := &ror.Answer{Results: ror.Results{Tri: tri, Page: q.Page, PageSize: ror.PageSize, Facets: d.r.facets(m.Facets, &q)}, From: from}
	if tri == ror.TriDistance && !q.Explain {
		m = &ror.Match{Units: m.Units, Facets: m.Facets, NonGeolocated: m.NonGeolocated} // scores rank nothing here: don't pay for them
	}
	var ng []group
	if tri == ror.TriDistance && ar.none() {
		// Listed apart but counted in the 200: the cap is on what a user sees.
		if room := ror.MaxResults - len(groups); room == 0 && m.NonGeolocated != nil {
			truncated = truncated || m.NonGeolocated.Len() > 0 // no room: only whether there are any
		} else {
			ng = d.o.nonGeolocated(m)
			if len(ng) > room {
				ng, truncated = ng[:room], true
			}
			res.NonGeolocalisees = d.r.results(ng, nil, m)
		}
	}
	// Rendering a result costs microseconds per UO (labels, communes): the
	// page is rendered, the other 185 only for exports.
	res.Pages = (len(groups) + ror.PageSize - 1) / ror.PageSize
	lo, hi := min((q.Page-1)*ror.PageSize, len(groups)), min(q.Page*ror.PageSize, len(groups))
	if q.All {
		res.All = d.r.results(groups, from, m)
		res.Etablissements = res.All[lo:hi]
	} else {
		res.Etablissements = d.r.results(groups[lo:hi], from, m)
	}
	// The summary counts what the facets count: the non-geolocated too.
	res.Summary = d.r.summary(append(groups[:len(groups):len(groups)], ng...), truncated, from, time.Since(start))
	return res, nil
}

// facets returns the refine panel of an answer from the index's counts
// (shared: copied where changed): the values shown of each facet, with the
// départements named.
func (rn renderer) facets(all []ror.FacetCounts, q *ror.Query) []ror.FacetCounts {
	out := make([]ror.FacetCounts, len(all))
	for i, fc := range all {
		fc.Distinct = len(fc.Values)
		if !slices.Contains(q.FullFacets, fc.Facet) {
			fc.Values = shown(fc.Values, ror.FacetValuesShown, q.Filters[fc.Facet])
		}
		if fc.Facet == ror.FacetDepartement { // the index knows codes, the gazetteer names
			vals := slices.Clone(fc.Values)
			for j := range vals {
				vals[j].Label = vals[j].Code + " – " + rn.department(vals[j].Code).Name
			}
			fc.Values = vals
		}
		out[i] = fc
	}
	return out
}

// groupAll groups the candidate UOs by établissement, in EG order.
func (o *offer) groupAll(units ror.Candidates, geolocatedOnly bool) []group {
	// slot is by EG ordinal: 1 + the EG's place in gs, 0 when not yet seen
	// (a map costs 3 times more at 100,000 UOs); pooled, and cleared of
	// what this call set before it goes back.
	sp, _ := o.slots.Get().(*[]int32)
	if sp == nil || len(*sp) < len(o.cat.EGs) {
		s := make([]int32, len(o.cat.EGs))
		sp = &s
	}
	slot := *sp
	var gs []group
	units.Each(func(u uint32) bool {
		eg := o.cat.EGOf[u]
		if geolocatedOnly && !o.pts[eg].Valid() {
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
	o.slots.Put(sp)
	return gs
}

// nonGeolocated returns the établissements without a position that have a
// candidate UO, by name: from the index's share of them when it gives one,
// from the candidates when they are fewer than the UOs of those
// établissements, else from the établissements.
func (o *offer) nonGeolocated(m *ror.Match) []group {
	var gs []group
	units := m.Units
	if m.NonGeolocated != nil {
		units = m.NonGeolocated
	}
	if m.NonGeolocated != nil || units.Len() < 4*len(o.nonGeo) {
		gs = o.groupAll(units, false)
		kept := gs[:0]
		for _, g := range gs {
			if !o.pts[g.eg].Valid() {
				kept = append(kept, g)
			}
		}
		gs = kept
	} else {
		var arena unitArena
		for _, eg := range o.nonGeo {
			if uos := arena.matching(o, eg, units); len(uos) > 0 {
				gs = append(gs, group{eg: eg, uos: uos, distKm: -1})
			}
		}
	}
	slices.SortFunc(gs, func(a, b group) int { return cmp.Compare(o.nameRank[a.eg], o.nameRank[b.eg]) })
	return gs
}

// unitArena hands out the matching units of many établissements from one
// growing array (a group's slice keeps the array it was cut from).
type unitArena []uint32

// matching appends the candidate UOs of eg (the units it delivers, in
// ordinal order) and returns them: nil when none.
func (a *unitArena) matching(o *offer, eg uint32, units ror.Candidates) []uint32 {
	start := len(*a)
	for _, u := range o.cat.UOsOf[eg] {
		if units.Contains(u) {
			*a = append(*a, u)
		}
	}
	if len(*a) == start {
		return nil
	}
	return (*a)[start:len(*a):len(*a)]
}

func (rn renderer) summary(all []group, truncated bool, from *ror.Commune, took time.Duration) ror.Summary {
	s := ror.Summary{Etablissements: len(all), Truncated: truncated, TookMs: float64(took.Microseconds()) / 1000}
	for i := range all {
		s.UO += len(all[i].uos)
	}
	if from != nil {
		s.Origin = &ror.CommuneRef{INSEE: from.INSEE, Name: from.Name, Label: from.Label()}
	}
	return s
}

// shown returns the values a search answers with: the first n (they are by
// count) and the selected ones after them; values is shared, never written.
func shown(values []ror.FacetValue, n int, selected []string) []ror.FacetValue {
	if len(values) <= n {
		return values
	}
	out := values[:n:n]
	for _, v := range values[n:] {
		for _, s := range selected {
			if v.Code == s {
				out = append(out, v)
				break
			}
		}
	}
	return out
}
