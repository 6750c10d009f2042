package ror

import (
	"cmp"
	"context"
	"fmt"
	"math"
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

// area is the part of the map a query keeps: a radius around its commune
// and a box.
type area struct {
	rayonKm float64
	bbox    *BBox
}

func (a area) none() bool { return a.rayonKm == 0 && a.bbox == nil }

// keeps reports whether an EG at p, distKm from the commune, is inside.
func (a area) keeps(p Point, distKm float64) bool {
	if a.rayonKm > 0 && distKm > a.rayonKm {
		return false
	}
	return a.bbox == nil || a.bbox.Contains(p)
}

// byDistance returns the MaxResults nearest établissements having a
// candidate UO, nearest first, after the établissements whose mobile UOs
// serve the commune (zone, at 0 km). Such an établissement's other units
// keep their own row at their real distance: a mobile team that comes to
// the patient says nothing of how far its base's other units are.
func (d *Directory) byDistance(p Point, units Candidates, ar area, zone []group) ([]group, bool) {
	inZone := make(map[uint32]bool, len(zone))
	zoneEG := make(map[uint32]bool, len(zone))
	for _, g := range zone {
		zoneEG[g.eg] = true
		for _, u := range g.uos {
			inZone[u] = true
		}
	}
	// rest drops the UOs already listed through the zone.
	rest := func(uos []uint32) []uint32 {
		if len(inZone) == 0 {
			return uos
		}
		out := uos[:0]
		for _, u := range uos {
			if !inZone[u] {
				out = append(out, u)
			}
		}
		return out
	}
	gs := zone
	if len(gs) > MaxResults {
		return gs[:MaxResults], true
	}
	if units.Len() <= directScanMax {
		near, truncated := d.nearestOf(p, units, ar, MaxResults-len(gs), func(eg uint32) bool {
			return !zoneEG[eg] || len(rest(d.matching(eg, units))) > 0
		})
		for i := range near {
			near[i].uos = rest(near[i].uos)
		}
		return append(gs, near...), truncated
	}
	truncated := false
	d.tree.Nearest(p, func(eg uint32, km float64) bool {
		if ar.rayonKm > 0 && km > ar.rayonKm {
			return false
		}
		if ar.bbox != nil && !ar.bbox.Contains(d.pts[eg]) {
			return true
		}
		uos := rest(d.matching(eg, units))
		if len(uos) == 0 {
			return true
		}
		if len(gs) == MaxResults {
			truncated = true
			return false
		}
		gs = append(gs, group{eg: eg, uos: uos, distKm: km})
		return true
	})
	return gs, truncated
}

// nearestOf returns the n nearest établissements of p having a candidate
// UO (and that keep tells to keep), nearest first, with those UOs, and
// whether there were more. Every candidate's EG is measured once and the n
// nearest are kept in a bounded heap. A UO's ordinal follows its EG's (the
// catalog is in FINESS order), so an EG's candidates come in one run: the
// run is noted, not copied, and only the UOs of the n kept are gathered.
func (d *Directory) nearestOf(p Point, units Candidates, ar area, n int, keep func(eg uint32) bool) ([]group, bool) {
	type run struct{ lo, hi int } // in seen
	mk := d.marks()
	seen := make([]uint32, 0, units.Len())
	var runs []run     // by place in the heap's groups: score holds the index in runs
	var split []uint32 // EGs whose candidates came in more than one run (UOs created at run time)
	best := newTop(n, func(a, b *group) int {
		if a.distKm != b.distKm {
			return cmp.Compare(a.distKm, b.distKm)
		}
		return cmp.Compare(a.eg, b.eg)
	})
	cur, started, open := uint32(0), false, false // the EG of the current run; open: kept so far
	cut := false                                  // an EG of the area with a candidate was left out
	units.Each(func(u uint32) bool {
		eg := d.cat.EGOf[u]
		if started && eg == cur {
			if open {
				seen = append(seen, u)
				runs[len(runs)-1].hi = len(seen)
			}
			return true
		}
		cur, started, open = eg, true, false
		if mk.seen(eg) {
			split = append(split, eg)
			return true
		}
		pt := d.pts[eg]
		if !pt.Valid() {
			return true
		}
		var km float64
		if best.full() && cut {
			// Only nearer ones matter now: most EGs are told farther than
			// the worst kept without trigonometry.
			var near bool
			if km, near = d.tree.DistanceWithinKm(p, pt, best.worst().distKm); !near {
				return true
			}
		} else {
			km = d.tree.DistanceKm(p, pt)
		}
		if !ar.keeps(pt, km) || !keep(eg) {
			return true
		}
		if best.full() && (km > best.worst().distKm || km == best.worst().distKm && eg > best.worst().eg) {
			cut = true // would be dropped: the list is cut
			return true
		}
		seen = append(seen, u)
		runs = append(runs, run{len(seen) - 1, len(seen)})
		best.add(group{eg: eg, distKm: km, score: float64(len(runs) - 1)})
		open = true
		return true
	})
	d.putMarks(mk)
	gs, dropped := best.sorted()
	more := dropped || cut
	for i := range gs {
		if slices.Contains(split, gs[i].eg) {
			gs[i].uos = d.matching(gs[i].eg, units)
		} else {
			r := runs[int(gs[i].score)]
			gs[i].uos = slices.Clone(seen[r.lo:r.hi])
		}
		gs[i].score = 0
	}
	return gs, more
}

// zoneGroups returns the établissements whose mobile candidate UOs have
// from in their zone d'intervention, at 0 km.
func (d *Directory) zoneGroups(from *Commune, units Candidates) []group {
	if from == nil {
		return nil
	}
	slot := map[uint32]int{}
	var gs []group
	for _, u := range d.cat.ZoneOf[from.INSEE] {
		if !units.Contains(u) {
			continue
		}
		eg := d.cat.EGOf[u]
		i, ok := slot[eg]
		if !ok {
			i = len(gs)
			slot[eg] = i
			gs = append(gs, group{eg: eg, distKm: 0})
		}
		gs[i].uos = append(gs[i].uos, u)
	}
	// All at 0 km: the nearest bases first, as a regulator would call them
	// (each base measured once, not at each comparison).
	base := make([]float64, len(gs))
	for i, g := range gs {
		base[i] = math.Inf(1)
		if pt := d.pts[g.eg]; pt.Valid() {
			base[i] = d.tree.DistanceKm(from.Point, pt)
		}
	}
	idx := make([]int, len(gs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(base[a], base[b]) })
	out := make([]group, len(gs))
	for i, j := range idx {
		out[i] = gs[j]
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
