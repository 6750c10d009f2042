package fhir

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// search answers GET /fhir/{typ}?…: a searchset Bundle of the matches
// (the first 200 at most, as the guide says, with the exact total) and the
// resources they include.
func (h *Handler) search(typ string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := h.dir()
		if err != nil {
			return err
		}
		v := queryValues(c)
		cp := &compiler{tokens: tokensOf(d.Nomenclature()), gaz: d.Gazetteer()}
		p, err := parsePlan(typ, v, cp, strict(c))
		if err != nil {
			return err
		}
		bs := &bundler{b: newBuilder(d), base: base(c), seen: map[string]bool{}}
		switch typ {
		case "Organization":
			err = bs.organizations(d, p)
		default:
			err = bs.offers(c, d, p)
		}
		if err != nil {
			return err
		}
		return write(c, fiber.StatusOK, bs.bundle(c, v, p))
	}
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

// window is the part of the first maxMatches matches a page shows.
func (p *plan) window() (offset, limit int) {
	offset = min(p.offset, maxMatches)
	limit = min(p.count, maxMatches-offset)
	return offset, limit
}

// offers runs a HealthcareService or Location search on the engine.
func (bs *bundler) offers(c *fiber.Ctx, d *ror.Directory, p *plan) error {
	q := ror.OfferQuery{Require: p.requirements(), Near: p.near}
	q.Offset, q.Limit = p.window()
	if p.summary || q.Limit == 0 {
		q.Offset, q.Limit = 0, 1 // the total only
	}
	location := p.resource == "Location"
	q.Match = func(u *ror.UO, eg *ror.EG, act int) bool {
		if location && act > 0 { // one Location per UO: its first offre stands for it
			return false
		}
		return p.matches(&offer{uo: u, eg: eg, act: act})
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
	hits, total, err := d.Offers(c.UserContext(), q)
	if err != nil {
		return err
	}
	bs.total = total
	if p.summary || p.count == 0 {
		return nil
	}
	for i := range hits {
		h := &hits[i]
		if location {
			bs.add(bs.b.location(&h.UO, &h.EG), h.UO.ID, "match", h.DistanceKm, &bs.matches)
			if p.include["HealthcareService:location"] {
				for act := range max(len(h.UO.Activites), 1) {
					if len(h.UO.Activites) == 0 {
						act = ror.NoActivite
					}
					bs.add(bs.b.healthcareService(&h.UO, &h.EG, act), serviceID(&h.UO, act), "include", -1, &bs.incl)
				}
			}
			if p.include["Location:organization"] {
				bs.addEG(&h.EG, p)
			}
			continue
		}
		bs.add(bs.b.healthcareService(&h.UO, &h.EG, h.Activite), serviceID(&h.UO, h.Activite), "match", h.DistanceKm, &bs.matches)
		if p.include["HealthcareService:location"] {
			bs.add(bs.b.location(&h.UO, &h.EG), h.UO.ID, "include", h.DistanceKm, &bs.incl)
		}
		if p.include["HealthcareService:organization"] {
			bs.addEG(&h.EG, p)
		}
	}
	return nil
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

// organizations runs an Organization search: EGs and EJs, by FINESS.
func (bs *bundler) organizations(d *ror.Directory, p *plan) error {
	type rec struct {
		eg    ror.EG
		ej    bool
		since time.Time
	}
	var all []rec
	d.EachEG(func(eg *ror.EG) bool {
		if p.matches(&offer{eg: eg, act: ror.NoActivite}) {
			all = append(all, rec{eg: *eg})
		}
		return true
	})
	d.EachEJ(func(ej ror.EJ, since time.Time) bool {
		eg := ror.EG{FINESS: ej.FINESS, Name: ej.Name}
		if p.matches(&offer{eg: &eg, act: ror.NoActivite}) {
			all = append(all, rec{eg: eg, ej: true, since: since})
		}
		return true
	})
	sortRecs(all, func(r rec) string { return r.eg.FINESS })
	bs.total = len(all)
	offset, limit := p.window()
	if p.summary {
		return nil
	}
	for _, r := range all[min(offset, len(all)):min(offset+limit, len(all))] {
		if r.ej {
			bs.addEJ(r.eg.FINESS, "match", &bs.matches)
			continue
		}
		bs.add(bs.b.egOrganization(&r.eg), r.eg.FINESS, "match", -1, &bs.matches)
		if p.include["Organization:partof"] && r.eg.EJ != "" {
			bs.addEJ(r.eg.EJ, "include", &bs.incl)
		}
	}
	return nil
}

// bundle assembles the searchset: matches, includes, an outcome entry for
// what was ignored, and the paging links.
func (bs *bundler) bundle(c *fiber.Ctx, v url.Values, p *plan) *Bundle {
	total := bs.total
	b := &Bundle{Type_: "Bundle", ID: requestID(c), Meta: &Meta{LastUpdated: instant(time.Now())}, Type: "searchset", Total: &total}
	self := bs.base + "/" + p.resource
	link := func(rel string, offset int) {
		w := url.Values{}
		for k, vals := range v {
			w[k] = vals
		}
		w.Set("_offset", strconv.Itoa(offset))
		b.Link = append(b.Link, BundleLink{Relation: rel, URL: self + "?" + w.Encode()})
	}
	offset, limit := p.window()
	link("self", offset)
	if !p.summary && limit > 0 {
		if offset+limit < min(total, maxMatches) {
			link("next", offset+limit)
		}
		if offset > 0 {
			link("previous", max(0, offset-max(limit, 1)))
		}
	}
	b.Entry = append(bs.matches, bs.incl...)
	var notes []*fhirError
	notes = append(notes, p.warnings...)
	if len(p.ignoredRefs) > 0 {
		notes = append(notes, &fhirError{code: "informational",
			msg: "Aucune ressource " + strings.Join(p.ignoredRefs, ", ") + " : ce répertoire ne publie ni PractitionerRole, ni Practitioner, ni Task ; rien n'est inclus."})
	}
	if total > maxMatches && offset+limit >= maxMatches {
		notes = append(notes, &fhirError{code: "informational",
			msg: "Seules les 200 premières correspondances sont servies (total exact : " + strconv.Itoa(total) + ") : préciser les critères."})
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
