package fhir

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/ror-recherche/ror"
)

// plan is a parsed search request.
type plan struct {
	resource    string
	clauses     [][]atom    // AND of ORs
	capacity    [][]capPred // capacity criteria, AND of ORs, on one entry
	filter      *fexpr
	has         []pred // Location: _has:HealthcareService:location:x, over the UO's offres
	near        *ror.Near
	include     map[string]bool // "HealthcareService:organization", "iterate:Organization:partof"…
	count       int
	offset      int
	snapshot    string // the result being paged (_snapshot)
	sort        string
	summary     bool     // _summary=count
	subset      string   // _summary=true: "summary"; _elements: "elements"
	elements    []string // _elements
	warnings    []*fhirError
	ignoredRefs []string // includes of resources this service does not publish
}

// includes and revincludes each resource type accepts; the empty ones
// name resources the directory does not hold (PractitionerRole, Task): they
// are accepted and include nothing.
var includes = map[string][]string{
	"HealthcareService": {"HealthcareService:organization", "HealthcareService:location", "Organization:partof"},
	"Location":          {"Location:organization", "Organization:partof"},
	"Organization":      {"Organization:partof"},
}
var revincludes = map[string][]string{
	"Location": {"HealthcareService:location"},
}
var emptyIncludes = map[string]bool{"PractitionerRole:service": true, "PractitionerRole:practitioner": true, "Task:focus": true}

// sorts each resource type accepts (the default is _id; near sorts by distance).
var sorts = []string{"_id", "_lastUpdated", "-_lastUpdated"}

// parsePlan reads the query string of a search on resource.
// Unknown parameters are refused (400) unless lenient
// (Prefer: handling=lenient), when they are ignored with a warning.
func parsePlan(resource string, v url.Values, c *compiler, lenient bool) (*plan, error) {
	p := &plan{resource: resource, include: map[string]bool{}, count: defaultCount}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, val := range v[k] {
			if err := p.add(k, val, c, lenient); err != nil {
				return nil, err
			}
		}
	}
	p.near = c.near
	return p, nil
}

func (p *plan) add(key, val string, c *compiler, lenient bool) error {
	switch key {
	case "_format":
		return nil // checked by the handler
	case "_count":
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return invalid(key, "_count doit être un entier positif ou nul")
		}
		p.count = min(n, maxPage)
		return nil
	case "_snapshot":
		p.snapshot = val
		return nil
	case "_offset":
		n, err := strconv.Atoi(val)
		if err != nil || n < 0 {
			return invalid(key, "_offset doit être un entier positif ou nul")
		}
		p.offset = n
		return nil
	case "_sort":
		for _, s := range sorts {
			if val == s {
				p.sort = val
				return nil
			}
		}
		return unsupported(key, "_sort=%s n'est pas pris en charge : %s", val, strings.Join(sorts, ", "))
	case "_summary":
		switch val {
		case "count":
			p.summary = true
		case "true":
			p.subset = "summary"
		case "data", "false": // no narrative is written: data is the whole resource
		default:
			return unsupported(key, "_summary=%s n'est pas pris en charge (count, true, data, false)", val)
		}
		return nil
	case "_elements":
		for _, e := range splitComma(val) {
			if e = strings.TrimSpace(e); e == "" || strings.ContainsAny(e, ".:()") {
				return invalid(key, "_elements : « %s » n'est pas un élément de premier niveau de %s", e, p.resource)
			}
			p.elements = append(p.elements, e)
		}
		if p.subset == "" {
			p.subset = "elements"
		}
		return nil
	case "_total":
		return nil // the total is always exact
	case "_include", "_include:iterate", "_revinclude", "_revinclude:iterate":
		return p.addInclude(key, val)
	case "_filter":
		if p.resource != "HealthcareService" {
			return p.ignore(key, lenient, "_filter n'est pris en charge que sur HealthcareService")
		}
		f, err := parseFilter(val, c, serviceParam)
		if err != nil {
			return err
		}
		if p.filter != nil {
			f = &fexpr{op: "and", kids: []*fexpr{p.filter, f}}
		}
		p.filter = f
		return nil
	}
	if p.resource == "Location" {
		if rest, ok := strings.CutPrefix(key, "_has:HealthcareService:location:"); ok {
			return p.addHas(key, rest, val, c)
		}
	}
	def, mod := p.param(key)
	if def == nil {
		name, _, _ := strings.Cut(key, ":")
		for _, g := range guideParams[p.resource] {
			if g == name {
				return p.ignore(key, lenient, "le paramètre « %s » du guide (ror-consommateur) n'est pas pris en charge par ce service sur %s", key, p.resource)
			}
		}
		if strings.HasPrefix(key, "_has:") {
			return p.ignore(key, lenient, "« %s » n'est pas pris en charge : les PractitionerRole (professionnels libéraux, /fhir/PractitionerRole) ne sont liés à aucune offre d'établissement, et ce répertoire ne publie pas de Task", key)
		}
		return p.ignore(key, lenient, "le paramètre « %s » n'est pas pris en charge sur %s", key, p.resource)
	}
	if err := checkModifier(key, def, mod); err != nil {
		return err
	}
	values := []string{val}
	if !def.noComma {
		values = splitComma(val)
	}
	compileMod := mod
	if mod == "not" {
		compileMod = ""
	}
	var clause []atom
	for _, one := range values {
		a, err := def.compile(c, one, compileMod)
		if err != nil {
			return named(err, key)
		}
		if a.match != nil {
			clause = append(clause, a)
		}
	}
	if mod == "not" && len(clause) > 0 { // none of the values: one negated atom, never narrowed by the index
		any := clause
		clause = []atom{{match: func(o *offer) bool {
			for _, a := range any {
				if a.match(o) {
					return false
				}
			}
			return true
		}}}
	}
	if len(clause) > 0 && clause[0].capacity != nil {
		var cps []capPred
		for _, a := range clause {
			cps = append(cps, a.capacity)
		}
		p.capacity = append(p.capacity, cps)
		return nil
	}
	if len(clause) > 0 {
		p.clauses = append(p.clauses, clause)
	}
	return nil
}

// param finds key's definition and modifier ("name:contains").
func (p *plan) param(key string) (*paramDef, string) {
	lookup := serviceParam
	switch p.resource {
	case "Location":
		lookup = locationParam
	case "Organization":
		lookup = organizationParam
	}
	if def := lookup(key); def != nil {
		return def, ""
	}
	if i := strings.LastIndexByte(key, ':'); i > 0 {
		if def := lookup(key[:i]); def != nil {
			return def, key[i+1:]
		}
	}
	return nil, ""
}

func checkModifier(key string, def *paramDef, mod string) error {
	if mod == "" || def.typ == "string" && (mod == "contains" || mod == "exact") || def.typ == "token" && mod == "not" {
		return nil
	}
	if mod == "above" || mod == "below" {
		return unsupported(key, "le modificateur « :%s » (recherche hiérarchique) n'est pas pris en charge : les hiérarchies des nomenclatures ne sont pas chargées", mod)
	}
	return unsupported(key, "le modificateur « :%s » n'est pas pris en charge pour ce paramètre", mod)
}

func (p *plan) ignore(key string, lenient bool, format string, args ...any) error {
	e := unsupported(key, format, args...)
	if !lenient {
		return e
	}
	e.msg += " : ignoré (Prefer: handling=lenient), la réponse est plus large que la demande"
	p.warnings = append(p.warnings, e)
	return nil
}

// revincludeAliases are the guide's reverse includes that name no search
// parameter of R4 (Location and Organization have no healthcareservice
// parameter): read as the forward includes they mean.
var revincludeAliases = map[string]string{
	"Location:healthcareservice":     "HealthcareService:location",
	"Organization:healthcareservice": "HealthcareService:organization",
}

func (p *plan) addInclude(key, val string) error {
	if alias, ok := revincludeAliases[val]; ok && p.resource == "HealthcareService" && strings.HasPrefix(key, "_revinclude") {
		key, val = "_include", alias
	}
	rev := strings.HasPrefix(key, "_revinclude")
	allowed := includes[p.resource]
	if rev {
		allowed = revincludes[p.resource]
	}
	if emptyIncludes[val] {
		p.ignoredRefs = append(p.ignoredRefs, val)
		return nil
	}
	for _, a := range allowed {
		if a == val {
			if strings.HasSuffix(key, ":iterate") || !strings.HasPrefix(val, p.resource+":") {
				p.include["iterate:"+val] = true // Organization:partof follows included organizations
			}
			p.include[val] = true
			return nil
		}
	}
	return unsupported(key, "%s=%s n'est pas pris en charge sur %s (possibles : %s)", key, val, p.resource, strings.Join(allowed, ", "))
}

// addHas compiles _has:HealthcareService:location:x: a Location matches when
// one of the offres made there satisfies x.
func (p *plan) addHas(key, name, val string, c *compiler) error {
	def := serviceParam(name)
	if def == nil || def.noComma {
		return unsupported(key, "_has:HealthcareService:location:%s n'est pas pris en charge", name)
	}
	var atoms []atom
	for _, one := range splitComma(val) {
		a, err := def.compile(c, one, "")
		if err != nil {
			return named(err, key)
		}
		atoms = append(atoms, a)
	}
	p.has = append(p.has, func(o *offer) bool {
		acts := max(len(o.uo.Activites), 1)
		for i := range acts {
			x := offer{uo: o.uo, eg: o.eg, at: o.at, act: i, mode: noMode}
			if len(o.uo.Activites) == 0 {
				x.act = ror.NoActivite
			}
			for _, m := range modeVariants(o.uo) {
				x.mode = m
				for _, a := range atoms {
					if a.match(&x) {
						return true
					}
				}
			}
		}
		return false
	})
	return nil
}

// splitComma splits a value list on the commas that are not escaped (\,).
func splitComma(v string) []string {
	var out []string
	var cur strings.Builder
	for i := 0; i < len(v); i++ {
		switch {
		case v[i] == '\\' && i+1 < len(v) && v[i+1] == ',':
			cur.WriteByte(',')
			i++
		case v[i] == ',':
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(v[i])
		}
	}
	return append(out, cur.String())
}

// requirements are the clauses the index can narrow on: every atom on the
// same facet.
func (p *plan) requirements() []ror.Requirement {
	var reqs []ror.Requirement
clauses:
	for _, cl := range p.clauses {
		f := cl[0].facet
		var keys []string
		for _, a := range cl {
			if a.facet == "" || a.facet != f {
				continue clauses
			}
			keys = append(keys, a.keys...)
		}
		reqs = append(reqs, ror.Requirement{Facet: f, AnyOf: keys})
	}
	return reqs
}

// matches reports whether an offre satisfies every criterion.
func (p *plan) matches(o *offer) bool {
	for _, cl := range p.clauses {
		ok := false
		for _, a := range cl {
			if a.match(o) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	for _, h := range p.has {
		if !h(o) {
			return false
		}
	}
	if len(p.capacity) > 0 {
		if c := o.capacite(); c == nil || !capacityMatch(c, p.capacity) {
			return false
		}
	}
	return p.filter == nil || p.filter.eval(o)
}
