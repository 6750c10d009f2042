package fhir

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// search answers GET /fhir/{typ}?… (and POST /fhir/{typ}/_search): a
// searchset Bundle of one page of the matches, with the exact total and the
// resources they include. Every match can be read: the first page takes a
// snapshot of the whole result (the ids, in order) when it has more than
// one page, and the paging links read that snapshot (_snapshot, _offset),
// so that each match is read exactly once however the directory changes
// meanwhile.
func (h *Handler) search(typ string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := h.dir()
		if err != nil {
			return err
		}
		v := queryValues(c)
		if c.Method() == fiber.MethodPost {
			form, err := url.ParseQuery(string(c.Body()))
			if err != nil {
				return invalid("", "le corps de POST _search n'est pas application/x-www-form-urlencoded")
			}
			for k, vals := range form {
				v[k] = append(v[k], vals...)
			}
		}
		cp := &compiler{tokens: tokensOf(d.Nomenclature()), gaz: d.Gazetteer()}
		p, err := parsePlan(typ, v, cp, lenient(c))
		if err != nil {
			return err
		}
		bs := &bundler{b: newBuilder(d), base: base(c), seen: map[string]bool{}}
		snap := h.snapshots.get(p.snapshot)
		switch {
		case p.snapshot != "" && (snap == nil || snap.resource != typ):
			return &fhirError{status: http.StatusGone, code: "expired", param: "_snapshot",
				msg: "Cette page de résultats a expiré (instantané « " + p.snapshot + " » inconnu) : relancer la recherche depuis la première page."}
		case snap == nil:
			refs, err := matchRefs(c, d, p)
			if err != nil {
				return err
			}
			snap = &snapshot{resource: typ, refs: refs}
			if !p.summary && len(refs) > p.count {
				h.snapshots.put(snap)
			}
		}
		bs.total = len(snap.refs)
		if !p.summary {
			bs.page(d, p, snap.refs[min(p.offset, len(snap.refs)):min(p.offset+p.count, len(snap.refs))])
		}
		return write(c, fiber.StatusOK, bs.bundle(c, v, p, snap.id))
	}
}

// ref is one match of a result: a resource and, for offres, the distance.
type ref struct {
	typ  byte // 'H' HealthcareService, 'L' Location of a UO at its EG, 'P' Location of a declared lieu, 'G' EG Organization, 'J' EJ Organization
	id   string
	act  int
	mode int
	dist float64
}

// matchRefs runs the search and returns every match, in order.
func matchRefs(c *fiber.Ctx, d Records, p *plan) ([]ref, error) {
	if p.resource == "Organization" {
		return organizationRefs(d, p), nil
	}
	// Each place of a unit is asked on its own (Places): a Location is a
	// place, and a HealthcareService matches when one of its places does.
	q := ror.OfferQuery{Require: p.requirements(), Near: p.near, All: true, Places: true}
	location := p.resource == "Location"
	q.Match = func(u *ror.UO, eg *ror.EG, at *ror.Lieu, act int) bool {
		if location { // one Location per place: the UO's first offre stands for it
			return act <= 0 && p.matches(&offer{uo: u, eg: eg, at: at, act: act, mode: noMode})
		}
		for _, m := range modeVariants(u) {
			if p.matches(&offer{uo: u, eg: eg, at: at, act: act, mode: m}) {
				return true
			}
		}
		return false
	}
	switch p.sort {
	case "_lastUpdated":
		q.Order = func(a, b *ror.UO) int {
			return lastOf(a.UpdatedAt, a.Capacite.UpdatedAt).Compare(lastOf(b.UpdatedAt, b.Capacite.UpdatedAt))
		}
	case "-_lastUpdated":
		q.Order = func(a, b *ror.UO) int {
			return lastOf(b.UpdatedAt, b.Capacite.UpdatedAt).Compare(lastOf(a.UpdatedAt, a.Capacite.UpdatedAt))
		}
	}
	hits, _, err := d.Offers(c.UserContext(), q)
	if err != nil {
		return nil, err
	}
	refs := make([]ref, 0, len(hits))
	type offre struct {
		uo        string
		act, mode int
	}
	var lieux map[string]bool // a lieu shared by several matching units: once
	var offres map[offre]bool // an offre of a unit of several places: at its first (nearest)
	for i := range hits {
		h := &hits[i]
		if location {
			switch {
			case h.At == nil:
				refs = append(refs, ref{typ: 'L', id: h.UO.ID, act: h.Activite, mode: noMode, dist: h.DistanceKm})
			case !lieux[h.At.ID]:
				if lieux == nil {
					lieux = map[string]bool{}
				}
				lieux[h.At.ID] = true
				refs = append(refs, ref{typ: 'P', id: h.At.ID, act: h.Activite, mode: noMode, dist: h.DistanceKm})
			}
			continue
		}
		for _, m := range modeVariants(&h.UO) { // one offre per mode (careMode 1..1)
			k := offre{h.UO.ID, h.Activite, m}
			several := len(h.UO.Lieux) > 0 // a unit of one place is met once
			if several && offres[k] || !p.matches(&offer{uo: &h.UO, eg: &h.EG, at: h.At, act: h.Activite, mode: m}) {
				continue
			}
			if several {
				if offres == nil {
					offres = map[offre]bool{}
				}
				offres[k] = true
			}
			refs = append(refs, ref{typ: 'H', id: h.UO.ID, act: h.Activite, mode: m, dist: h.DistanceKm})
		}
	}
	return refs, nil
}

// organizationRefs runs an Organization search: EGs and EJs, by FINESS
// (or by update with _sort).
func organizationRefs(d Records, p *plan) []ref {
	type rec struct {
		finess  string
		ej      bool
		updated time.Time
	}
	var all []rec
	d.EachEG(func(eg *ror.EG) bool {
		if p.matches(&offer{eg: eg, act: ror.NoActivite}) {
			all = append(all, rec{finess: eg.FINESS, updated: eg.UpdatedAt})
		}
		return true
	})
	d.EachEJ(func(ej ror.EJ, since time.Time) bool {
		eg := ror.EG{FINESS: ej.FINESS, Name: ej.Name, UpdatedAt: since}
		if p.matches(&offer{eg: &eg, act: ror.NoActivite}) {
			all = append(all, rec{finess: ej.FINESS, ej: true, updated: since})
		}
		return true
	})
	sortRecs(all, func(r rec) string { return r.finess })
	switch p.sort {
	case "_lastUpdated":
		sort.SliceStable(all, func(i, j int) bool { return all[i].updated.Before(all[j].updated) })
	case "-_lastUpdated":
		sort.SliceStable(all, func(i, j int) bool { return all[j].updated.Before(all[i].updated) })
	}
	refs := make([]ref, len(all))
	for i, r := range all {
		refs[i] = ref{typ: 'G', id: r.finess, dist: -1}
		if r.ej {
			refs[i].typ = 'J'
		}
	}
	return refs
}

// bundler gathers the entries of one searchset.
type bundler struct {
	b       *builder
	base    string
	seen    map[string]bool // "Type/id" already in the bundle
	matches []BundleEntry
	incl    []BundleEntry
	total   int
}

func (bs *bundler) add(r Resource, id, mode string, dist float64, into *[]BundleEntry) {
	key := r.ResourceType() + "/" + id
	if bs.seen[key] {
		return
	}
	bs.seen[key] = true
	e := BundleEntry{FullURL: bs.base + "/" + key, Resource: r, Search: &EntrySearch{Mode: mode}}
	if dist >= 0 {
		km := float64(int(dist*100+0.5)) / 100
		e.Search.Extension = []Extension{{URL: extLocationDistance,
			ValueDistance: &Distance{Value: &km, Unit: "km", System: systemUCUM, Code: "km"}}}
	}
	*into = append(*into, e)
}

// page adds the matches of one page, then what they include: a match is
// never demoted to an include (matches first, the seen set shared).
func (bs *bundler) page(d Records, p *plan, refs []ref) {
	type held struct {
		uo  ror.UO
		eg  ror.EG
		ref ref
	}
	var recs []held
	for _, r := range refs {
		switch r.typ {
		case 'G':
			if eg, _, ok := d.EGRecord(r.id); ok {
				bs.add(bs.b.egOrganization(&eg), eg.FINESS, "match", -1, &bs.matches)
				recs = append(recs, held{eg: eg, ref: r})
			}
		case 'J':
			bs.addEJ(r.id, "match", &bs.matches)
		case 'P':
			if l, eg, units, ok := d.LieuRecord(r.id); ok {
				bs.add(bs.b.lieuLocation(&l, &eg, units), r.id, "match", r.dist, &bs.matches)
				if p.include["Location:organization"] {
					bs.addEG(&eg, p)
				}
			}
		default:
			uo, eg, ok := d.UORecord(r.id)
			if !ok {
				continue // removed since the snapshot: it can be read no more
			}
			if r.typ == 'L' {
				bs.add(bs.b.location(&uo, &eg), uo.ID, "match", r.dist, &bs.matches)
			} else {
				bs.add(bs.b.healthcareService(&uo, &eg, r.act, r.mode), serviceID(&uo, r.act, r.mode), "match", r.dist, &bs.matches)
			}
			recs = append(recs, held{uo: uo, eg: eg, ref: r})
		}
	}
	for i := range recs {
		h := &recs[i]
		switch h.ref.typ {
		case 'G':
			if p.include["Organization:partof"] && h.eg.EJ != "" {
				bs.addEJ(h.eg.EJ, "include", &bs.incl)
			}
		case 'L':
			if p.include["HealthcareService:location"] {
				for act := range max(len(h.uo.Activites), 1) {
					if len(h.uo.Activites) == 0 {
						act = ror.NoActivite
					}
					for _, m := range modeVariants(&h.uo) {
						bs.add(bs.b.healthcareService(&h.uo, &h.eg, act, m), serviceID(&h.uo, act, m), "include", -1, &bs.incl)
					}
				}
			}
			if p.include["Location:organization"] {
				bs.addEG(&h.eg, p)
			}
		case 'H':
			if p.include["HealthcareService:location"] {
				if slices.Contains(h.uo.LieuxOf(), h.uo.EG) { // as HealthcareService.location says
					bs.add(bs.b.location(&h.uo, &h.eg), h.uo.ID, "include", h.ref.dist, &bs.incl)
				}
				for _, id := range declaredLieux(&h.uo) {
					if l := bs.b.lieuResource(id); l != nil {
						bs.add(l, id, "include", -1, &bs.incl)
					}
				}
			}
			if p.include["HealthcareService:organization"] {
				bs.addEG(&h.eg, p)
			}
		}
	}
}

// addEG includes an EG's Organization and, when asked, its EJ's.
func (bs *bundler) addEG(eg *ror.EG, p *plan) {
	bs.add(bs.b.egOrganization(eg), eg.FINESS, "include", -1, &bs.incl)
	if p.include["iterate:Organization:partof"] && eg.EJ != "" {
		bs.addEJ(eg.EJ, "include", &bs.incl)
	}
}

func (bs *bundler) addEJ(finess, mode string, into *[]BundleEntry) {
	if bs.seen["Organization/"+finess] {
		return
	}
	if ej, since, ok := bs.b.d.EJ(finess); ok {
		bs.add(bs.b.ejOrganization(ej, since), ej.FINESS, mode, -1, into)
	}
}

// bundle assembles the searchset: matches, includes, an outcome entry for
// what was ignored, and the paging links.
func (bs *bundler) bundle(c *fiber.Ctx, v url.Values, p *plan, snapshot string) *Bundle {
	total := bs.total
	b := &Bundle{Type_: "Bundle", ID: requestID(c), Meta: &Meta{LastUpdated: instant(time.Now())}, Type: "searchset", Total: &total}
	self := bs.base + "/" + p.resource
	link := func(rel string, offset int) {
		w := url.Values{}
		for k, vals := range v {
			w[k] = vals
		}
		w.Set("_offset", strconv.Itoa(offset))
		if snapshot != "" && rel != "self" {
			w.Set("_snapshot", snapshot)
		}
		b.Link = append(b.Link, BundleLink{Relation: rel, URL: self + "?" + w.Encode()})
	}
	offset, count := p.offset, p.count
	link("self", offset)
	if !p.summary && count > 0 {
		if offset+count < total {
			link("next", offset+count)
		}
		if offset > 0 {
			link("previous", max(0, offset-count))
			link("first", 0)
		}
		if total > count {
			link("last", (total-1)/count*count)
		}
	}
	if p.subset != "" {
		for i := range bs.matches {
			bs.matches[i].Resource = p.subsetOf(bs.matches[i].Resource)
		}
	}
	b.Entry = append(bs.matches, bs.incl...)
	var notes []*fhirError
	notes = append(notes, p.warnings...)
	if len(p.ignoredRefs) > 0 {
		notes = append(notes, &fhirError{code: "informational",
			msg: "Aucune ressource " + strings.Join(p.ignoredRefs, ", ") + " : les PractitionerRole de ce répertoire décrivent les professionnels libéraux (/fhir/PractitionerRole), dont aucun n'est rattaché à une offre d'établissement, et il ne publie pas de Task ; rien n'est inclus."})
	}
	if len(notes) > 0 {
		oo := outcome("warning", notes...)
		for i, n := range notes {
			if n.code == "informational" {
				oo.Issue[i].Severity = "information"
			}
		}
		b.Entry = append(b.Entry, BundleEntry{Resource: oo, Search: &EntrySearch{Mode: "outcome"}})
	}
	return b
}

func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals("requestid").(string); ok && id != "" && len(id) <= 64 {
		return id
	}
	return strconv.FormatInt(time.Now().UnixNano(), 36)
}
