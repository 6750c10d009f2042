package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ror-recherche/ror"
)

// Professionals is the read side of the liberal professionals: a catalog
// and an index of its own, apart from the EJ → EG → UO offer, over which
// searches run lock-free. Changes are folded into a new snapshot (words,
// postings, the Locator over the places) swapped in at once: readers see
// the old one or the new one, never half of a change (pub).
type Professionals struct {
	pub    proPublisher
	snap   atomic.Pointer[proSnapshot]
	nom    *ror.Nomenclature
	places ror.Gazetteer
	router ror.Router
	locate func(points []ror.Point) ror.Locator // geo.NewTree: the one nearest-K walk
}

// ProParts are what Professionals run on. Nomenclature must hold TRE_G15
// and TRE_R38 (data.AddProfessionCodes) besides the ROR value sets.
type ProParts struct {
	Nomenclature *ror.Nomenclature
	Gazetteer    ror.Gazetteer
	Router       ror.Router
	Locate       func(points []ror.Point) ror.Locator
}

// The code systems of the professionals' own fields (data/professionnels).
const (
	vsProfession  ror.ValueSet = "TRE_G15"
	vsSavoirFaire ror.ValueSet = "TRE_R38"
	vsModalite    ror.ValueSet = "JDV_J226"
	vsCompetence  ror.ValueSet = "JDV_J33"
)

// proSnapshot is one immutable state of the professionals.
type proSnapshot struct {
	pros    []ror.Professional
	byRPPS  map[string]int
	entries []proEntry  // one per place of practice
	points  []ror.Point // by entry, the Locator's positions
	tree    ror.Locator
	group   []uint32 // by entry: its place-of-practice group (same SIRET, FINESS or place)
	groups  int
	vocab   []string   // folded words, sorted
	post    [][]uint32 // entries of each word, ascending
	sources map[string]int
	fcodes  [3][]string   // by facet (proFacets order): the codes of its values, by id
	fvals   [3][][]uint16 // by facet, by entry: the ids of the entry's values
	cache   matchCache    // the entries of the words searched lately, with their bitsets
	fcount  [3][]int      // by facet, by value id: how many professionals declare it
	fwords  [3][][]string // by facet, by value id: its label's folded words (suggestions)
}

type proEntry struct {
	pro   uint32
	place uint16
}

func (s *proSnapshot) place(e proEntry) *ror.PracticePlace { return &s.pros[e.pro].Lieux[e.place] }

// NewProfessionals returns the read side over list.
func NewProfessionals(p ProParts, list []ror.Professional) *Professionals {
	ps := &Professionals{nom: p.Nomenclature, places: p.Gazetteer, router: p.Router, locate: p.Locate}
	ps.snap.Store(ps.build(list))
	return ps
}

// Professional returns a copy of the professional of an RPPS number: as
// last written, even before the searches see the change.
func (ps *Professionals) Professional(rpps string) (ror.Professional, bool) {
	if p, ok := ps.pub.pendingOf(rpps); ok {
		return cloneProfessional(p), true
	}
	s := ps.snap.Load()
	i, ok := s.byRPPS[rpps]
	if !ok {
		return ror.Professional{}, false
	}
	return cloneProfessional(s.pros[i]), true
}

// All returns every professional (copies), by RPPS.
func (ps *Professionals) All() []ror.Professional {
	s := ps.snap.Load()
	out := make([]ror.Professional, len(s.pros))
	for i := range s.pros {
		out[i] = cloneProfessional(s.pros[i])
	}
	return out
}

// Len is the number of professionals and of places of practice.
func (ps *Professionals) Len() (pros, places int) {
	s := ps.snap.Load()
	return len(s.pros), len(s.entries)
}

func cloneProfessional(p ror.Professional) ror.Professional {
	p.Lieux = slices.Clone(p.Lieux)
	for i := range p.Lieux {
		l := &p.Lieux[i]
		l.Modes, l.Activites, l.Actes = slices.Clone(l.Modes), slices.Clone(l.Activites), slices.Clone(l.Actes)
		l.Equipements, l.Publics, l.Competences, l.Zone = slices.Clone(l.Equipements), slices.Clone(l.Publics), slices.Clone(l.Competences), slices.Clone(l.Zone)
	}
	return p
}

// Change runs plan with the current professional of rpps (ok false when
// there is none), commits what it returns and publishes it, one change at
// a time: the store is written first, the change published once the write
// is on disk (proPublisher).
func (ps *Professionals) Change(ctx context.Context, rpps string, plan func(cur ror.Professional, ok bool) (ror.Professional, func(context.Context) error, error)) (ror.Professional, error) {
	return ps.pub.change(ctx, ps, rpps, plan)
}

// Replace publishes a whole new list (an RPPS import already written).
func (ps *Professionals) Replace(list []ror.Professional) {
	ps.pub.replace(ps, list)
}

// proStop are the words a query drops: they say nothing of an offer.
var proStop = map[string]bool{"de": true, "du": true, "des": true, "la": true, "le": true, "les": true, "l": true, "d": true,
	"et": true, "en": true, "a": true, "au": true, "aux": true, "pour": true, "avec": true, "sans": true, "ou": true}

// proSynonyms are the words users type for a profession (TRE_G15) that
// its label lacks.
var proSynonyms = map[string]string{
	ror.ProfessionKine:      "kine kinesitherapeute kinesitherapie",
	ror.ProfessionSageFemme: "sage femme sages femmes maieuticien maieutique",
	ror.ProfessionMedecin:   "medecin docteur",
}

// build indexes list: every place of practice is an entry, filed under
// the words of its professional (profession, spécialité, name) and of its
// declared codes' labels.
func (ps *Professionals) build(list []ror.Professional) *proSnapshot {
	slices.SortFunc(list, func(a, b ror.Professional) int { return cmp.Compare(a.RPPS, b.RPPS) })
	s := &proSnapshot{pros: list, byRPPS: make(map[string]int, len(list)), sources: map[string]int{}}
	words := map[string][]uint32{}
	groupOf := map[string]uint32{}
	fid := [3]map[string]uint16{{}, {}, {}}
	folded := map[string][]string{} // labels repeat: each folded once
	fold := func(label string) []string {
		ws, ok := folded[label]
		if !ok {
			ws = strings.Fields(ror.Fold(label))
			folded[label] = ws
		}
		return ws
	}
	for i := range list {
		p := &list[i]
		s.byRPPS[p.RPPS] = i
		s.sources[p.Source]++
		proWords := append(slices.Clip(fold(ps.nom.Label(vsProfession, p.Profession)+" "+proSynonyms[p.Profession]+" "+ps.nom.Label(vsSavoirFaire, p.SavoirFaire))),
			strings.Fields(ror.Fold(p.Nom+" "+p.Prenom))...)
		for j := range p.Lieux {
			l := &p.Lieux[j]
			e := uint32(len(s.entries))
			s.entries = append(s.entries, proEntry{pro: uint32(i), place: uint16(j)})
			s.points = append(s.points, l.Point)
			key := "lieu:" + l.ID
			switch {
			case l.SIRET != "":
				key = "siret:" + l.SIRET
			case l.FINESS != "":
				key = "finess:" + l.FINESS
			}
			g, ok := groupOf[key]
			if !ok {
				g = uint32(len(groupOf))
				groupOf[key] = g
			}
			s.group = append(s.group, g)
			for f, vals := range [3][]string{{p.Profession}, l.Modes, l.Specificites()} {
				ids := make([]uint16, len(vals))
				for k, v := range vals {
					id, ok := fid[f][v]
					if !ok {
						id = uint16(len(s.fcodes[f]))
						fid[f][v] = id
						s.fcodes[f] = append(s.fcodes[f], v)
					}
					ids[k] = id
				}
				s.fvals[f] = append(s.fvals[f], ids)
			}
			seen := map[string]bool{}
			add := func(ws []string) {
				for _, w := range ws {
					if !seen[w] && !proStop[w] {
						seen[w] = true
						words[w] = append(words[w], e)
					}
				}
			}
			add(proWords)
			for _, c := range []struct {
				vs    ror.ValueSet
				codes []string
			}{{ror.VSTypeUO, []string{l.TypeOffre}}, {ror.VSActivite, l.Activites}, {ror.VSActe, l.Actes},
				{ror.VSEquipement, l.Equipements}, {ror.VSPublic, l.Publics}, {vsCompetence, l.Competences}, {vsModalite, l.Modes}} {
				for _, code := range c.codes {
					add(fold(ps.nom.Label(c.vs, code)))
				}
			}
			if l.Name != "" {
				add(strings.Fields(ror.Fold(l.Name)))
			}
		}
	}
	s.groups = len(groupOf)
	for fi, facet := range proFacets {
		// Distinct professionals: one declaring a code at two places counts once.
		s.fcount[fi] = make([]int, len(s.fcodes[fi]))
		last := make([]int, len(s.fcodes[fi]))
		for i := range last {
			last[i] = -1
		}
		for e, ids := range s.fvals[fi] {
			pro := int(s.entries[e].pro)
			for _, id := range ids {
				if last[id] != pro {
					last[id] = pro
					s.fcount[fi][id]++
				}
			}
		}
		s.fwords[fi] = make([][]string, len(s.fcodes[fi]))
		for id, code := range s.fcodes[fi] {
			label := facetLabel(ps.nom, facet, code)
			if facet == ror.ProFacetProfession {
				label += " " + proSynonyms[code]
			}
			s.fwords[fi][id] = fold(label)
		}
	}
	s.vocab = make([]string, 0, len(words))
	for w := range words {
		s.vocab = append(s.vocab, w)
	}
	sort.Strings(s.vocab)
	s.post = make([][]uint32, len(s.vocab))
	for i, w := range s.vocab {
		s.post[i] = words[w]
	}
	s.tree = ps.locate(s.points)
	return s
}

// matchSet is a match: its entries ascending and as a bitset, both shared
// read-only by every search that asks the same words of one snapshot.
type matchSet struct {
	list []uint32
	bits []uint64
}

// matchCache keeps the matchSets of the words searched lately: « Tout le
// ROR » runs the professionals' search with every text search, and the
// common words (« medecine » holds the 100,000 généralistes) are the
// frequent ones. A snapshot is immutable, so an entry never goes stale.
type matchCache struct {
	mu sync.Mutex
	m  map[string]*matchSet
}

// matchCacheMax bounds the cache; when full it starts again (rare words
// are cheap to match, the common ones come back at once).
const matchCacheMax = 512

// matches is match(text) through the snapshot's cache.
func (s *proSnapshot) matches(text string) *matchSet {
	toks := proTokens(text)
	key := strings.Join(toks, " ")
	s.cache.mu.Lock()
	ms, ok := s.cache.m[key]
	s.cache.mu.Unlock()
	if ok {
		return ms
	}
	list := s.match(toks)
	ms = &matchSet{list: list, bits: make([]uint64, (len(s.entries)+63)/64)}
	for _, e := range list {
		ms.bits[e>>6] |= 1 << (e & 63)
	}
	s.cache.mu.Lock()
	if s.cache.m == nil || len(s.cache.m) >= matchCacheMax {
		s.cache.m = map[string]*matchSet{}
	}
	s.cache.m[key] = ms
	s.cache.mu.Unlock()
	return ms
}

// proTokens are the folded words of text a search looks for (stop words
// dropped).
func proTokens(text string) []string {
	var toks []string
	for _, w := range strings.Fields(ror.Fold(text)) {
		if !proStop[w] {
			toks = append(toks, w)
		}
	}
	return toks
}

// match returns the entries whose words hold every one of toks by prefix
// (ascending); no token is every entry.
func (s *proSnapshot) match(toks []string) []uint32 {
	if len(toks) == 0 {
		all := make([]uint32, len(s.entries))
		for i := range all {
			all[i] = uint32(i)
		}
		return all
	}
	// One bitset per word (the union of the postings of the words it
	// prefixes), ANDed: linear in the postings, no sort.
	words := (len(s.entries) + 63) / 64
	var acc, cur []uint64
	for k, t := range toks {
		lo := sort.SearchStrings(s.vocab, t)
		hi := lo
		for hi < len(s.vocab) && strings.HasPrefix(s.vocab[hi], t) {
			hi++
		}
		if hi == lo {
			return nil
		}
		if k == 0 && len(toks) == 1 && hi == lo+1 {
			return s.post[lo] // one word of one posting list: shared, read only
		}
		if cur == nil {
			cur = make([]uint64, words)
		} else {
			clear(cur)
		}
		for i := lo; i < hi; i++ {
			for _, e := range s.post[i] {
				cur[e>>6] |= 1 << (e & 63)
			}
		}
		if k == 0 {
			acc, cur = cur, nil
			continue
		}
		any := false
		for i := range acc {
			acc[i] &= cur[i]
			any = any || acc[i] != 0
		}
		if !any {
			return nil
		}
	}
	var out []uint32
	for i, w := range acc {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			out = append(out, uint32(i*64+b))
			w &= w - 1
		}
	}
	return out
}

var proFacets = []string{ror.ProFacetProfession, ror.ProFacetMode, ror.ProFacetSpecificite}

func filterOf(f ror.ProFilters, facet string) []string {
	switch facet {
	case ror.ProFacetProfession:
		return f.Profession
	case ror.ProFacetMode:
		return f.Mode
	}
	return f.Specificite
}

// prepared is a query resolved against one snapshot: its origin, its
// matches and the candidates that pass its filters.
type prepared struct {
	s       *proSnapshot
	from    *ror.Commune
	matched []uint32
	bits    []uint64 // cands as a bitset when cands is a cached match's list
	cands   []uint32
	keep    func(e uint32, except string) bool
}

func (ps *Professionals) prepare(q ror.ProQuery) (*prepared, error) {
	var from *ror.Commune
	if q.Ou != "" {
		c, err := ps.places.Resolve(q.Ou)
		if err != nil {
			return nil, err
		}
		if !c.Point.Valid() {
			return nil, ror.Errorf(ror.Invalid, "ou", "La commune « %s » n'a pas de position connue : choisir une commune voisine.", c.Label())
		}
		from = &c
	} else if q.Near != nil {
		if !q.Near.Valid() {
			return nil, ror.Errorf(ror.Invalid, "near", "La position doit être une latitude et une longitude WGS84.")
		}
		from = &ror.Commune{Point: *q.Near} // a position, no commune: no zone list to look in
	}
	for _, f := range proFacets {
		for _, code := range filterOf(q.Filters, f) {
			if !ps.knownFacetValue(f, code) {
				return nil, ror.Errorf(ror.Invalid, f, "Le code « %s » n'existe pas pour ce filtre.", ror.Clip(code))
			}
		}
	}
	p := &prepared{s: ps.snap.Load(), from: from}
	s := p.s
	ms := s.matches(q.Text)
	p.matched, p.bits = ms.list, ms.bits
	// The radius and the map's view restrict the matches themselves, so
	// that the facets count what the list shows.
	if (from != nil && q.MaxKm > 0) || q.BBox != nil {
		p.matched, p.bits = s.within(ms, from, q.MaxKm, q.BBox), nil
	}
	filtered := len(q.Filters.Profession)+len(q.Filters.Mode)+len(q.Filters.Specificite) > 0
	// The filters as value ids of the snapshot's facets: a code no entry
	// holds matches nothing.
	var want [3][]bool
	for fi, f := range proFacets {
		codes := filterOf(q.Filters, f)
		if len(codes) == 0 {
			continue
		}
		want[fi] = make([]bool, len(s.fcodes[fi]))
		for id, c := range s.fcodes[fi] {
			want[fi][id] = slices.Contains(codes, c)
		}
	}
	p.keep = func(e uint32, except string) bool {
		if !filtered {
			return true
		}
		for fi, f := range proFacets {
			if f == except || want[fi] == nil {
				continue
			}
			ok := false
			for _, id := range s.fvals[fi][e] {
				if want[fi][id] {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
		}
		return true
	}
	if !filtered {
		p.cands = p.matched // p.bits stays theirs
		return p, nil
	}
	p.bits = nil // the filters narrow the match: rank makes its own
	for _, e := range p.matched {
		if p.keep(e, "") {
			p.cands = append(p.cands, e)
		}
	}
	return p, nil
}

// within keeps the entries of ms placed inside the radius around from
// (maxKm > 0: found by walking the tree up to it, not by measuring every
// match: « medecine » holds 100,000) and inside box, ascending.
func (s *proSnapshot) within(ms *matchSet, from *ror.Commune, maxKm float64, box *ror.BBox) []uint32 {
	inBox := func(e uint32) bool { return box == nil || box.Contains(s.points[e]) }
	var kept []uint32
	if from == nil || maxKm <= 0 {
		for _, e := range ms.list {
			if s.points[e].Valid() && inBox(e) {
				kept = append(kept, e)
			}
		}
		return kept
	}
	s.tree.Nearest(ror.Nearest{Rank: s.tree.ByDistance(from.Point), Len: len(ms.list), Max: maxKm,
		Each: func(yield func(uint32) bool) {
			for _, e := range ms.list {
				if !yield(e) {
					return
				}
			}
		},
		Has: func(e uint32) bool { return ms.bits[e>>6]&(1<<(e&63)) != 0 }},
		func(e uint32, _ float64) bool {
			if inBox(e) {
				kept = append(kept, e)
			}
			return true
		})
	slices.Sort(kept)
	return kept
}

// rank calls visit with the candidates nearest first from p.from (within
// maxKm when > 0; those without a position last, unless a radius is
// asked), or by name without an origin, until visit returns false.
func (p *prepared) rank(maxKm float64, visit func(e uint32, dist float64) bool) {
	s := p.s
	if p.from == nil {
		order := slices.Clone(p.cands)
		slices.SortStableFunc(order, func(a, b uint32) int {
			pa, pb := &s.pros[s.entries[a].pro], &s.pros[s.entries[b].pro]
			return cmp.Or(cmp.Compare(pa.Nom, pb.Nom), cmp.Compare(pa.Prenom, pb.Prenom), cmp.Compare(a, b))
		})
		for _, e := range order {
			if !visit(e, -1) {
				return
			}
		}
		return
	}
	if len(p.cands) == 0 {
		return
	}
	cand := p.bits
	if cand == nil {
		cand = make([]uint64, (len(s.entries)+63)/64) // a bitset: 29 kB for the national 235,000 places
		for _, e := range p.cands {
			cand[e>>6] |= 1 << (e & 63)
		}
	}
	stopped := false
	s.tree.Nearest(ror.Nearest{Rank: s.tree.ByDistance(p.from.Point), Len: len(p.cands),
		Each: func(yield func(uint32) bool) {
			for _, e := range p.cands {
				if !yield(e) {
					return
				}
			}
		},
		Has: func(e uint32) bool { return cand[e>>6]&(1<<(e&63)) != 0 }, Max: maxKm},
		func(e uint32, km float64) bool {
			if !visit(e, km) {
				stopped = true
				return false
			}
			return true
		})
	if stopped || maxKm > 0 {
		return
	}
	for _, e := range p.cands {
		if !s.points[e].Valid() && !visit(e, -1) {
			return
		}
	}
}

// Search answers a professional search: the places of practice that match,
// nearest first from the commune (by name without one), MaxResults at most,
// grouped by place, PageSize a page, with the facets.
func (ps *Professionals) Search(ctx context.Context, q ror.ProQuery) (*ror.ProAnswer, error) {
	if q.Page == 0 {
		q.Page = 1
	}
	p, err := ps.prepare(q)
	if err != nil {
		return nil, err
	}
	s, from := p.s, p.from
	ans := &ror.ProAnswer{Page: q.Page, Source: s.sourceText(), From: from, Facets: []ror.ProFacet{}}
	if !q.NoFacets {
		ans.Facets = ps.facets(s, p.matched, q.Filters, p.keep)
	}
	if from != nil && from.INSEE != "" {
		ans.Origin = &ror.CommuneRef{INSEE: from.INSEE, Name: from.Name, Label: from.Label()}
	}
	// Group the ranked entries by place, in rank order, until a group past
	// MaxResults would start: the walk stops there.
	type grp struct {
		first uint32
		dist  float64
		es    []uint32
	}
	var groups []grp
	at := map[uint32]int{}
	pros := 0
	p.rank(q.MaxKm, func(e uint32, dist float64) bool {
		g := s.group[e]
		i, ok := at[g]
		if !ok {
			if len(groups) == ror.MaxResults {
				return false
			}
			i = len(groups)
			at[g] = i
			groups = append(groups, grp{first: e, dist: dist})
		}
		groups[i].es = append(groups[i].es, e)
		pros++
		return true
	})
	ans.Total, ans.Pros = len(groups), pros
	ans.Pages = (len(groups) + ror.PageSize - 1) / ror.PageSize
	lo, hi := (q.Page-1)*ror.PageSize, q.Page*ror.PageSize
	if q.All {
		lo, hi = 0, len(groups)
	}
	lo, hi = min(lo, len(groups)), min(hi, len(groups))
	rows := make([]ror.PlaceResult, 0, hi-lo)
	for _, g := range groups[lo:hi] {
		rows = append(rows, ps.placeResult(s, g.first, g.dist, g.es, from))
	}
	if q.All {
		ans.All = rows
		end := min(q.Page*ror.PageSize, len(rows))
		ans.Lieux = rows[min((q.Page-1)*ror.PageSize, end):end]
	} else {
		ans.Lieux = rows
	}
	return ans, nil
}

// proSuggestTitle heads the professionals' suggestions by facet; the
// modes (cabinet, domicile…) are few and sit in the refine panel.
var proSuggestTitle = map[string]string{ror.ProFacetProfession: "Professions", ror.ProFacetSpecificite: "Spécificités des professionnels"}

// Suggest completes what is typed in « Rechercher dans » Professionnels:
// the professions and spécificités the directory's professionals declare
// whose label holds every word typed by prefix, the most declared first,
// limit per category. Code is "profession:70" or "specificite:J17:419", the
// refine panel's parameter and value.
func (ps *Professionals) Suggest(ctx context.Context, text string, limit int) []ror.Suggestion {
	toks := proTokens(text)
	if len(toks) == 0 {
		return nil
	}
	s := ps.snap.Load()
	type hit struct {
		fi, id int
	}
	var hits []hit
	for fi, facet := range proFacets {
		if proSuggestTitle[facet] == "" {
			continue
		}
	values:
		for id, ws := range s.fwords[fi] {
			for _, t := range toks {
				if !slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, t) }) {
					continue values
				}
			}
			hits = append(hits, hit{fi, id})
		}
	}
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.fi, b.fi), cmp.Compare(s.fcount[b.fi][b.id], s.fcount[a.fi][a.id]), cmp.Compare(s.fcodes[a.fi][a.id], s.fcodes[b.fi][b.id]))
	})
	var out []ror.Suggestion
	per := map[int]int{}
	for _, h := range hits {
		if per[h.fi]++; per[h.fi] > limit {
			continue
		}
		facet, code := proFacets[h.fi], s.fcodes[h.fi][h.id]
		out = append(out, ror.Suggestion{Dans: ror.DansProfessionnels, Title: proSuggestTitle[facet], Code: facet + ":" + code,
			Label: facetLabel(ps.nom, facet, code), Detail: fmt.Sprintf("%d professionnel(s)", s.fcount[h.fi][h.id])})
	}
	return out
}

// Roles answers FHIR's PractitionerRole search: one role per professional
// and place, ranked as Search ranks them, the total of every match and the
// roles [offset, offset+count).
func (ps *Professionals) Roles(ctx context.Context, q ror.ProQuery, offset, count int) (int, []ror.ProRole, error) {
	p, err := ps.prepare(q)
	if err != nil {
		return 0, nil, err
	}
	s := p.s
	total := len(p.cands) // already within the radius (prepare)
	var out []ror.ProRole
	n := 0
	p.rank(q.MaxKm, func(e uint32, dist float64) bool {
		if n >= offset {
			en := s.entries[e]
			r := ror.ProRole{Professional: cloneProfessional(s.pros[en.pro]), Place: int(en.place)}
			if dist >= 0 {
				d := math.Round(dist*1000) / 1000
				r.DistanceKm = &d
			}
			out = append(out, r)
		}
		n++
		return len(out) < count
	})
	return total, out, nil
}

func (ps *Professionals) knownFacetValue(facet, code string) bool {
	switch facet {
	case ror.ProFacetProfession:
		return ps.nom.Has(vsProfession, code)
	case ror.ProFacetMode:
		return ps.nom.Has(vsModalite, code)
	}
	vs, c, ok := strings.Cut(code, ":")
	return ok && (vs == "J17" && ps.nom.Has(ror.VSActivite, c) || vs == "J16" && ps.nom.Has(ror.VSActe, c))
}

// facets counts each facet over the matches that pass the other facets'
// filters, so that a user can widen a facet again.
func (ps *Professionals) facets(s *proSnapshot, matched []uint32, f ror.ProFilters, keep func(uint32, string) bool) []ror.ProFacet {
	out := make([]ror.ProFacet, 0, len(proFacets))
	for fi, facet := range proFacets {
		cnt := make([]int, len(s.fcodes[fi]))
		vals := s.fvals[fi]
		for _, e := range matched {
			if keep(e, facet) {
				for _, id := range vals[e] {
					cnt[id]++
				}
			}
		}
		pf := ror.ProFacet{Facet: facet, Title: proFacetTitle[facet], Values: []ror.FacetValue{}}
		for id, c := range cnt {
			if c > 0 {
				code := s.fcodes[fi][id]
				pf.Values = append(pf.Values, ror.FacetValue{Code: code, Label: facetLabel(ps.nom, facet, code), Count: c, On: slices.Contains(filterOf(f, facet), code)})
			}
		}
		slices.SortFunc(pf.Values, func(a, b ror.FacetValue) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Label, b.Label))
		})
		out = append(out, pf)
	}
	return out
}

var proFacetTitle = map[string]string{ror.ProFacetProfession: "Profession", ror.ProFacetMode: "Mode d'exercice", ror.ProFacetSpecificite: "Spécificité"}

// facetLabel is the label of a facet's value code.
func facetLabel(nom *ror.Nomenclature, facet, code string) string {
	switch facet {
	case ror.ProFacetProfession:
		return nom.Label(vsProfession, code)
	case ror.ProFacetMode:
		return nom.Label(vsModalite, code)
	}
	vs, c, _ := strings.Cut(code, ":")
	if vs == "J17" {
		return nom.Label(ror.VSActivite, c)
	}
	return nom.Label(ror.VSActe, c)
}

func (ps *Professionals) coded(vs ror.ValueSet, code string) ror.Coded {
	return ror.Coded{Code: code, Label: ps.nom.Label(vs, code)}
}

func (ps *Professionals) codedList(vs ror.ValueSet, codes []string) []ror.Coded {
	out := make([]ror.Coded, 0, len(codes))
	for _, c := range codes {
		out = append(out, ps.coded(vs, c))
	}
	return out
}

// placeResult renders one place of practice with its matching
// professionals (es), km and minutes from from.
func (ps *Professionals) placeResult(s *proSnapshot, first uint32, dist float64, es []uint32, from *ror.Commune) ror.PlaceResult {
	l := s.place(s.entries[first])
	r := ror.PlaceResult{Key: l.ID, Name: l.Name, Kind: l.Kind, Address: l.Address, PostalCode: l.PostalCode,
		Commune: ps.communeRef(l.Commune), Phone: l.Phone, Placement: l.Placement}
	if l.SIRET != "" {
		r.Key = "siret:" + l.SIRET
	} else if l.FINESS != "" {
		r.Key = "finess:" + l.FINESS
	}
	if l.Point.Valid() {
		pt := l.Point
		r.Point = &pt
	}
	if from != nil && dist >= 0 {
		km := math.Round(dist*100) / 100
		r.DistanceKm = &km
		if from.INSEE != "" { // a commune: the router's ends are communes
			r.DurationMin, _, r.Method, r.NoRoad = tripFields(ps.router.Trip(*from, l.Point, l.Commune, dist))
		}
	}
	for _, e := range es {
		en := s.entries[e]
		p, pl := &s.pros[en.pro], s.place(en)
		pr := ror.ProResult{RPPS: p.RPPS, PlaceID: pl.ID, Name: p.DisplayName(), Profession: ps.coded(vsProfession, p.Profession),
			TypeOffre: ps.coded(ror.VSTypeUO, pl.TypeOffre), Modes: ps.codedList(vsModalite, pl.Modes), Source: p.Source}
		if p.SavoirFaire != "" {
			sf := ps.coded(vsSavoirFaire, p.SavoirFaire)
			pr.SavoirFaire = &sf
		}
		pr.Specificites = append(ps.codedList(ror.VSActivite, pl.Activites), ps.codedList(ror.VSActe, pl.Actes)...)
		if pl.HomeVisits() {
			pr.ZoneKm = pl.ZoneKm
		}
		if from != nil && pl.Point.Valid() {
			pr.Domicile = pl.Serves(*from, ps.distance(from.Point, pl.Point))
		}
		r.Domicile = r.Domicile || pr.Domicile
		r.Pros = append(r.Pros, pr)
	}
	return r
}

func (ps *Professionals) distance(a, b ror.Point) float64 {
	return ps.snap.Load().tree.DistanceKm(a, b)
}

func (ps *Professionals) communeRef(insee string) ror.CommuneRef {
	if c, ok := ps.places.Commune(insee); ok {
		return ror.CommuneRef{INSEE: c.INSEE, Name: c.Name, Label: c.Label()}
	}
	return ror.CommuneRef{INSEE: insee, Name: insee}
}

// sourceText says where the professionals listed come from, from the data
// itself: the page states no more than that.
func (s *proSnapshot) sourceText() string {
	if len(s.pros) == 0 {
		return "Aucun professionnel : aucune extraction RPPS n'est chargée et aucun professionnel n'a décrit son offre."
	}
	var parts []string
	keys := make([]string, 0, len(s.sources))
	for k := range s.sources {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	rpps := false
	for _, k := range keys {
		n := s.sources[k]
		switch {
		case k == ror.SourceDeclared:
			parts = append(parts, fmt.Sprintf("%d décrit(s) par eux-mêmes", n))
		case strings.HasPrefix(k, "RPPS "):
			rpps = true
			parts = append(parts, fmt.Sprintf("%d de l'Annuaire Santé (%s)", n, strings.TrimPrefix(k, "RPPS ")))
		default:
			parts = append(parts, fmt.Sprintf("%d de « %s »", n, k))
		}
	}
	text := "Professionnels : " + strings.Join(parts, ", ") + "."
	if !rpps {
		text += " Aucune extraction RPPS n'est chargée : la liste ne compte que ceux-là."
	}
	return text
}

// Fiche returns a professional with labels resolved.
func (ps *Professionals) Fiche(ctx context.Context, rpps string) (*ror.ProFiche, error) {
	p, ok := ps.Professional(rpps)
	if !ok {
		return nil, ror.Errorf(ror.NotFound, "rpps", "Aucun professionnel de numéro RPPS « %s ».", ror.Clip(rpps))
	}
	f := &ror.ProFiche{Professional: p, ProfessionLabel: ps.nom.Label(vsProfession, p.Profession), Name: p.DisplayName()}
	if p.SavoirFaire != "" {
		f.SavoirFaireLabel = ps.nom.Label(vsSavoirFaire, p.SavoirFaire)
	}
	for _, l := range p.Lieux {
		f.Places = append(f.Places, ror.PlaceFiche{ID: l.ID, Commune: ps.communeRef(l.Commune), TypeOffre: ps.coded(ror.VSTypeUO, l.TypeOffre),
			Modes: ps.codedList(vsModalite, l.Modes), Activites: ps.codedList(ror.VSActivite, l.Activites), Actes: ps.codedList(ror.VSActe, l.Actes),
			Equipements: ps.codedList(ror.VSEquipement, l.Equipements), Publics: ps.codedList(ror.VSPublic, l.Publics),
			Competences: ps.codedList(vsCompetence, l.Competences)})
	}
	return f, nil
}

// Nomenclature is the nomenclature the professionals are coded in.
func (ps *Professionals) Nomenclature() *ror.Nomenclature { return ps.nom }

// Gazetteer resolves communes for the write side.
func (ps *Professionals) Gazetteer() ror.Gazetteer { return ps.places }
