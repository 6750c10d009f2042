package fhir

import (
	"strconv"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// offer is what a HealthcareService criterion looks at: one UO through one
// of its activités (ror.NoActivite when it has none), and its EG.
type offer struct {
	uo   *ror.UO
	eg   *ror.EG
	at   *ror.Lieu // the place: a declared lieu, nil for the EG's address
	act  int
	mode int // index in uo.Modes, or noMode: every mode of the UO
}

// The place's own fields: a Location criterion (address, commune,
// identifier, beds) holds on the place it describes, a declared lieu or
// the EG's address.

func (o *offer) postalCode() string {
	if o.at != nil {
		return o.at.PostalCode
	}
	return o.eg.PostalCode
}

func (o *offer) commune() string {
	if o.at != nil {
		return o.at.Commune
	}
	return o.eg.Commune
}

// locationID is the id of the place's Location: the lieu's, or the UO's
// for the EG's address.
func (o *offer) locationID() string {
	if o.at != nil {
		return o.at.ID
	}
	return o.uo.ID
}

// capacite is the UO's capacitaire where its beds are (its first lieu),
// nil at its other places.
func (o *offer) capacite() *ror.Capacite {
	if o.uo == nil {
		return nil
	}
	if place := o.uo.BedsAt(); o.at == nil && place != o.uo.EG || o.at != nil && place != o.at.ID {
		return nil
	}
	return &o.uo.Capacite
}

type pred func(o *offer) bool

// atom is one criterion; when the index can narrow on it, facet and keys
// say how (a superset is fine: the predicate decides).
type atom struct {
	match    pred
	facet    ror.Facet
	keys     []string
	capacity capPred // set for a capacity criterion (capacity.go)
}

// paramDef is one search parameter of a resource, as the CapabilityStatement
// lists it.
type paramDef struct {
	name    string
	typ     string // token, string, reference, quantity, date, special
	def     string // canonical of the SearchParameter
	doc     string
	compile func(c *compiler, v string, modifier string) (atom, error)
	noComma bool // the value is one value (near): commas are not OR
}

// compiler holds what compiling criteria needs.
type compiler struct {
	tokens *tokenIndex
	gaz    ror.Gazetteer
	near   *ror.Near // set by near / near-insee-code
}

const sp = "http://hl7.org/fhir/SearchParameter/"
const rorSP = "https://interop.esante.gouv.fr/ig/fhir/ror/SearchParameter/"

// facetOf is the index facet of a value set, "" when the index has none.
func facetOf(vs ror.ValueSet) ror.Facet {
	switch vs {
	case ror.VSActivite:
		return ror.FacetActivite
	case ror.VSTypeUO:
		return ror.FacetTypeUO
	case ror.VSChampActivite:
		return ror.FacetTypeOffre
	case ror.VSMode:
		return ror.FacetMode
	case ror.VSActe:
		return ror.FacetActe
	case ror.VSEquipement:
		return ror.FacetEquipement
	}
	return ""
}

// has reports whether the offre carries key of vs.
func has(o *offer, vs ror.ValueSet, set map[string]bool) bool {
	switch vs {
	case ror.VSActivite:
		return o.act >= 0 && o.act < len(o.uo.Activites) && set[o.uo.Activites[o.act]]
	case ror.VSTypeUO:
		return set[o.uo.TypeUO]
	case ror.VSChampActivite:
		return set[o.uo.ChampActivite]
	case ror.VSCategorieEG:
		return set[o.eg.Category]
	}
	var list []string
	switch vs {
	case ror.VSMode:
		if o.mode >= 0 && o.mode < len(o.uo.Modes) {
			return set[o.uo.Modes[o.mode]]
		}
		list = o.uo.Modes
	case ror.VSActe:
		list = o.uo.Actes
	case ror.VSEquipement:
		list = o.uo.Equipements
	case ror.VSExpertise:
		list = o.uo.Expertises
	case ror.VSProfession:
		list = o.uo.Professions
	case ror.VSPublic:
		list = publicsOf(o.uo)
	}
	for _, k := range list {
		if set[k] {
			return true
		}
	}
	return false
}

// coded compiles a token parameter over value sets vss.
func coded(vss ...ror.ValueSet) func(c *compiler, v, mod string) (atom, error) {
	return func(c *compiler, v, mod string) (atom, error) {
		keys, msg := c.tokens.resolve(parseToken(v), vss)
		if msg != "" {
			return atom{}, invalid("", "%s", msg)
		}
		sets := map[ror.ValueSet]map[string]bool{}
		for _, k := range keys {
			if sets[k.vs] == nil {
				sets[k.vs] = map[string]bool{}
			}
			sets[k.vs][k.key] = true
		}
		a := atom{match: func(o *offer) bool {
			for vs, set := range sets {
				if has(o, vs, set) {
					return true
				}
			}
			return false
		}}
		if len(sets) == 1 {
			for vs, set := range sets {
				if a.facet = facetOf(vs); a.facet != "" {
					for k := range set {
						a.keys = append(a.keys, k)
					}
				}
			}
		}
		return a, nil
	}
}

// commune compiles a TRE_R13 token against a field holding INSEE codes.
func communeToken(field func(o *offer) []string) func(c *compiler, v, mod string) (atom, error) {
	return func(c *compiler, v, mod string) (atom, error) {
		tok := parseToken(v)
		if tok.hasSystem && tok.system != "" && tok.system != systemCommune {
			return atom{}, invalid("", "le système de codes « %s » n'est pas celui des communes (%s)", tok.system, systemCommune)
		}
		if _, ok := c.gaz.Commune(tok.code); !ok {
			return atom{}, invalid("", "la commune de code INSEE « %s » n'existe pas", tok.code)
		}
		return atom{match: func(o *offer) bool {
			for _, x := range field(o) {
				if x == tok.code {
					return true
				}
			}
			return false
		}}, nil
	}
}

func placeCommune(o *offer) []string { return []string{o.commune()} }
func uoZone(o *offer) []string       { return o.uo.Zone }

// identity compiles _id / identifier of a resource whose id is idOf.
func identity(system string, idOf func(o *offer) string) func(c *compiler, v, mod string) (atom, error) {
	return func(c *compiler, v, mod string) (atom, error) {
		tok := parseToken(v)
		if tok.hasSystem && tok.system != "" && tok.system != system {
			return atom{}, invalid("", "le système d'identifiants « %s » est inconnu : utiliser %s", tok.system, system)
		}
		if tok.code == "" {
			return atom{}, invalid("", "l'identifiant est vide")
		}
		return atom{match: func(o *offer) bool { return idOf(o) == tok.code }}, nil
	}
}

func offerID(o *offer) string    { return serviceID(o.uo, o.act, o.mode) }
func locationID(o *offer) string { return o.locationID() }

// reference compiles a reference parameter ("Type/id" or "id").
func reference(typ string, idOf func(o *offer) string) func(c *compiler, v, mod string) (atom, error) {
	return func(c *compiler, v, mod string) (atom, error) {
		id := strings.TrimPrefix(v, typ+"/")
		if id == "" || strings.Contains(id, "/") {
			return atom{}, invalid("", "la référence « %s » n'est pas de la forme %s/id", v, typ)
		}
		return atom{match: func(o *offer) bool { return idOf(o) == id }}, nil
	}
}

// text compiles a string parameter: starts a word of the field (accents and
// case ignored), :contains anywhere, :exact the whole field as typed.
func text(field func(o *offer) string) func(c *compiler, v, mod string) (atom, error) {
	return func(c *compiler, v, mod string) (atom, error) {
		if strings.TrimSpace(v) == "" {
			return atom{}, invalid("", "la valeur est vide")
		}
		switch mod {
		case "exact":
			return atom{match: func(o *offer) bool { return field(o) == v }}, nil
		case "contains":
			f := ror.Fold(v)
			return atom{match: func(o *offer) bool { return strings.Contains(ror.Fold(field(o)), f) }}, nil
		}
		f := ror.Fold(v)
		return atom{match: func(o *offer) bool {
			s := ror.Fold(field(o))
			return strings.HasPrefix(s, f) || strings.Contains(s, " "+f)
		}}, nil
	}
}

// postalCode compiles address-postalcode: a prefix of the postal code, as
// the guide says (a département's two digits, or a whole code); "2A" and
// "2B", which no postal code starts with, name Corsica's départements.
func postalCode(c *compiler, v, mod string) (atom, error) {
	if v == "" || len(v) > 5 {
		return atom{}, invalid("", "« %s » n'est ni un code postal ni le début d'un code postal", v)
	}
	if up := strings.ToUpper(v); up == "2A" || up == "2B" {
		return atom{match: func(o *offer) bool { return strings.HasPrefix(o.commune(), up) }}, nil
	}
	return atom{match: func(o *offer) bool { return strings.HasPrefix(o.postalCode(), v) }}, nil
}

// prefixed splits a FHIR comparison prefix (eq, ne, gt, lt, ge, le) off v.
func prefixed(v string) (string, string) {
	if len(v) > 2 {
		switch p := v[:2]; p {
		case "eq", "ne", "gt", "lt", "ge", "le":
			return p, v[2:]
		}
	}
	return "eq", v
}

func compare(op string, a, b float64) bool {
	switch op {
	case "ne":
		return a != b
	case "gt":
		return a > b
	case "lt":
		return a < b
	case "ge":
		return a >= b
	case "le":
		return a <= b
	}
	return a == b
}

// age compiles age-range-low/-high in years ("35", "le35", "35||a").
func age(bound func(p ror.Patientele) float64) func(c *compiler, v, mod string) (atom, error) {
	return func(c *compiler, v, mod string) (atom, error) {
		op, num := prefixed(v)
		num, unit, _ := strings.Cut(num, "|")
		if unit != "" && unit != "|a" && unit != "http://unitsofmeasure.org|a" {
			return atom{}, invalid("", "l'unité « %s » n'est pas prise en charge : les âges sont en années (a)", unit)
		}
		n, err := strconv.ParseFloat(num, 64)
		if err != nil || n < 0 || n > 150 {
			return atom{}, invalid("", "« %s » n'est pas un âge en années", v)
		}
		return atom{match: func(o *offer) bool { return compare(op, bound(o.uo.Patientele), n) }}, nil
	}
}

func ageLow(p ror.Patientele) float64 { return float64(p.AgeMin) }

// ageHigh is the upper bound; the profile makes it 1..1, so a unit that
// sets none says maxAge (120 years), in the resource and in searches.
func ageHigh(p ror.Patientele) float64 {
	if p.AgeMax <= 0 {
		return maxAge
	}
	return float64(p.AgeMax)
}

const maxAge = 120

// lastUpdated compiles _lastUpdated: a date or dateTime with a prefix.
func lastUpdated(c *compiler, v, mod string) (atom, error) {
	in, err := dateCriterion(v)
	if err != nil {
		return atom{}, err
	}
	return atom{match: func(o *offer) bool { return in(lastOf(o.uo.UpdatedAt, o.uo.Capacite.UpdatedAt)) }}, nil
}

// dateRange is the interval [from, to) a FHIR date of some precision names.
// A dateTime may omit its seconds or its zone (the guide writes
// ge2022-11-06T15:00): without a zone it is read in UTC.
func dateRange(s string) (time.Time, time.Time, bool) {
	day := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	minute := func(t time.Time) time.Time { return t.Add(time.Minute) }
	second := func(t time.Time) time.Time { return t.Add(time.Second) }
	for _, f := range []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006-01-02", day},
		{"2006-01-02T15:04Z07:00", minute},
		{"2006-01-02T15:04", minute},
		{"2006-01-02T15:04:05", second},
		{time.RFC3339, second},
		{time.RFC3339Nano, func(t time.Time) time.Time { return t.Add(time.Nanosecond) }},
	} {
		if t, err := time.Parse(f.layout, s); err == nil {
			return t, f.next(t), true
		}
	}
	return time.Time{}, time.Time{}, false
}

// near compiles "lat|lon|distance|unit" (unit km or m; 10 km by default).
func near(c *compiler, v, mod string) (atom, error) {
	parts := strings.Split(v, "|")
	if len(parts) < 2 || len(parts) > 4 {
		return atom{}, invalid("", "« %s » n'est pas de la forme latitude|longitude|distance|unité", v)
	}
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i]) // the guide writes "latitude|longitude |YY|unite "
	}
	lat, err1 := strconv.ParseFloat(parts[0], 64)
	lon, err2 := strconv.ParseFloat(parts[1], 64)
	p := ror.Point{Lat: lat, Lon: lon}
	if err1 != nil || err2 != nil || !p.Valid() {
		return atom{}, invalid("", "« %s » ne donne pas une latitude et une longitude WGS84 valides", v)
	}
	km, err := distance(parts[2:])
	if err != nil {
		return atom{}, err
	}
	return c.setNear(p, km)
}

// nearInsee compiles "insee|distance|unit": around a commune's centre.
func nearInsee(c *compiler, v, mod string) (atom, error) {
	parts := strings.Split(v, "|")
	if len(parts) > 3 {
		return atom{}, invalid("", "« %s » n'est pas de la forme codeINSEE|distance|unité", v)
	}
	com, ok := c.gaz.Commune(parts[0])
	if !ok {
		return atom{}, invalid("", "la commune de code INSEE « %s » n'existe pas", parts[0])
	}
	km, err := distance(parts[1:])
	if err != nil {
		return atom{}, err
	}
	return c.setNear(com.Point, km)
}

func distance(parts []string) (float64, error) {
	if len(parts) == 0 || parts[0] == "" {
		return 10, nil
	}
	d, err := strconv.ParseFloat(parts[0], 64)
	if err != nil || d <= 0 {
		return 0, invalid("", "la distance « %s » n'est pas un nombre positif", parts[0])
	}
	unit := "km"
	if len(parts) > 1 && parts[1] != "" {
		unit = parts[1]
	}
	switch unit {
	case "km", "http://unitsofmeasure.org|km":
	case "m":
		d /= 1000
	default:
		return 0, invalid("", "l'unité « %s » n'est pas prise en charge : km ou m", unit)
	}
	if d > 1000 {
		return 0, invalid("", "la distance dépasse 1000 km")
	}
	return d, nil
}

func (c *compiler) setNear(p ror.Point, km float64) (atom, error) {
	if c.near != nil {
		return atom{}, invalid("", "une seule recherche de proximité par requête")
	}
	c.near = &ror.Near{Point: p, RadiusKm: km}
	return atom{}, nil // the circle is applied by the engine, nearest first
}
