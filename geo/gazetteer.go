package geo

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/ror-recherche/ror"
)

// Gazetteer resolves what a user types in "Où ?": INSEE code, postal code,
// name, arrondissement, or the label it shows itself ("Paris 10 (75010)").
// It implements ror.Gazetteer.
type Gazetteer struct {
	communes []ror.Commune
	byINSEE  map[string]int
	byPostal map[string][]int
	byName   map[string][]int // normalised name and aliases → communes
	keys     []key            // every word start of every name, sorted, for prefixes
	deps     map[string]ror.Department
	norm     []string // Normalize(name) of each commune
	short    []string // Normalize(ShortName()) of each commune

	mu        sync.Mutex
	suggested map[string][]ror.Commune // recent Suggest answers: the communes never change
}

// maxSuggested bounds the kept answers; past it one at random makes room.
const maxSuggested = 4096

type key struct {
	text string
	idx  int
}

// cities are the communes whose arrondissements are communes of their own
// here: a postal code or a name shared with an arrondissement goes to it.
var cities = ror.PLMCities

// NewGazetteer indexes the communes and départements.
func NewGazetteer(communes []ror.Commune, deps []ror.Department) *Gazetteer {
	g := &Gazetteer{
		communes: communes,
		byINSEE:  make(map[string]int, len(communes)),
		byPostal: map[string][]int{},
		byName:   map[string][]int{},
		deps:     make(map[string]ror.Department, len(deps)),
	}
	for _, d := range deps {
		g.deps[d.Code] = d
	}
	g.norm, g.short = make([]string, len(communes)), make([]string, len(communes))
	for i, c := range communes {
		g.norm[i], g.short[i] = Normalize(c.Name), Normalize(c.ShortName())
		g.byINSEE[c.INSEE] = i
		for _, pc := range c.PostalCodes {
			g.byPostal[pc] = append(g.byPostal[pc], i)
		}
		names := []string{Normalize(c.Name)}
		if short := Normalize(c.ShortName()); short != names[0] {
			// "paris 10" and "paris 10e" for "Paris 10e Arrondissement"
			names = append(names, short, strings.TrimSuffix(names[0], " arrondissement"))
		}
		for _, n := range uniq(names) {
			g.byName[n] = append(g.byName[n], i)
		}
		words := strings.Fields(names[0])
		for w := range words {
			g.keys = append(g.keys, key{strings.Join(words[w:], " "), i})
		}
		for _, n := range names[1:] {
			g.keys = append(g.keys, key{n, i})
		}
	}
	sort.Slice(g.keys, func(i, j int) bool { return g.keys[i].text < g.keys[j].text })
	return g
}

func uniq(list []string) []string {
	seen := map[string]bool{}
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

var (
	fiveDigits  = regexp.MustCompile(`^[0-9][0-9AB][0-9]{3}$`)
	withPostal  = regexp.MustCompile(`^(.*?)\s*\(\s*([0-9]{5})\s*\)\s*$`)
	postalLast  = regexp.MustCompile(`^(.*\pL.*?)\s+([0-9]{5})$`) // « nice 06000 », « paris 10 75010 »
	postalFirst = regexp.MustCompile(`^([0-9]{5})\s+(.*\pL.*)$`)  // « 06000 nice »
)

// splitPostal reads a name with its postal code: the service's own label
// « Nice (06000) », or « nice 06000 » and « 06000 nice » as typed; name is
// normalised, empty for « (06000) ».
func splitPostal(t string) (name, pc string, ok bool) {
	if m := withPostal.FindStringSubmatch(t); m != nil {
		return Normalize(m[1]), m[2], true
	}
	if m := postalLast.FindStringSubmatch(t); m != nil {
		return Normalize(m[1]), m[2], true
	}
	if m := postalFirst.FindStringSubmatch(t); m != nil {
		return Normalize(m[2]), m[1], true
	}
	return "", "", false
}

// Resolve returns the one commune text designates (an INSEE code may be
// written "insee:01400" to avoid reading it as a postal code); an Invalid
// error on "ou" when none does or when several do (the message names some).
func (g *Gazetteer) Resolve(text string) (ror.Commune, error) {
	t := strings.TrimSpace(text)
	if t == "" {
		return ror.Commune{}, ror.Errorf(ror.Invalid, "ou", "Saisir une commune (nom, code postal ou code INSEE).")
	}
	if name, pc, ok := splitPostal(t); ok {
		var hits []int
		for _, i := range g.byPostal[pc] {
			if name == "" || g.nameMatches(i, name) {
				hits = append(hits, i)
			}
		}
		// « (75010) » is the arrondissement; « Paris (75001) », the label
		// Paris once had, is the city
		return g.one(t, g.preferArrondissements(hits))
	}
	if code, ok := strings.CutPrefix(strings.ToLower(t), "insee:"); ok {
		if i, ok := g.byINSEE[strings.ToUpper(code)]; ok {
			return g.communes[i], nil
		}
		return ror.Commune{}, ror.Errorf(ror.Invalid, "ou", "Le code INSEE « %s » est inconnu.", clipText(code))
	}
	if fiveDigits.MatchString(strings.ToUpper(t)) {
		// Five digits are a postal code or an INSEE code. When they are
		// both, for different communes, say so rather than guess.
		code := strings.ToUpper(t)
		hits := g.preferArrondissements(g.byPostal[code])
		i, isINSEE := g.byINSEE[code]
		switch {
		case len(hits) == 1 && (!isINSEE || hits[0] == i):
			return g.communes[hits[0]], nil
		case len(hits) == 0 && isINSEE:
			return g.communes[i], nil
		case isINSEE && !slices.Contains(hits, i):
			hits = append(hits, i)
		}
		return g.one(t, hits)
	}
	return g.one(t, g.preferArrondissements(g.byName[Normalize(t)]))
}

func (g *Gazetteer) nameMatches(i int, name string) bool {
	return g.norm[i] == name || g.short[i] == name
}

// preferArrondissements drops Paris, Lyon and Marseille as a whole when one
// of their arrondissements is among the hits.
func (g *Gazetteer) preferArrondissements(hits []int) []int {
	hasArr := false
	for _, i := range hits {
		if strings.HasSuffix(g.communes[i].Name, "Arrondissement") {
			hasArr = true
		}
	}
	if !hasArr {
		return hits
	}
	var out []int
	for _, i := range hits {
		if !cities[g.communes[i].INSEE] {
			out = append(out, i)
		}
	}
	return out
}

func (g *Gazetteer) one(text string, hits []int) (ror.Commune, error) {
	switch len(hits) {
	case 1:
		return g.communes[hits[0]], nil
	case 0:
		return ror.Commune{}, ror.Errorf(ror.Invalid, "ou", "La commune « %s » est inconnue.", clipText(text))
	}
	sort.Slice(hits, func(a, b int) bool { return g.communes[hits[a]].Population > g.communes[hits[b]].Population })
	var labels []string
	for _, i := range hits[:min(len(hits), 5)] {
		c := g.communes[i]
		labels = append(labels, c.Label()+" ["+c.Department+"]")
	}
	more := ""
	if len(hits) > 5 {
		more = "…"
	}
	return ror.Commune{}, ror.Errorf(ror.Invalid, "ou", "« %s » désigne %d communes : %s%s. Préciser, par exemple « Nom (code postal) » ou « insee:code ».",
		clipText(text), len(hits), strings.Join(labels, ", "), more)
}

func clipText(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// Suggest returns up to limit communes for a name prefix (any word of the
// name) or a postal code prefix, the most populous first, exact names and
// names starting with the text boosted.
func (g *Gazetteer) Suggest(text string, limit int) []ror.Commune {
	t := Normalize(text)
	if t == "" || limit <= 0 {
		return nil
	}
	// "saint" starts 4,000 names: ranking them takes milliseconds, and the
	// same few letters are typed all day.
	key := t + "\x00" + strconv.Itoa(limit)
	g.mu.Lock()
	out, ok := g.suggested[key]
	g.mu.Unlock()
	if !ok {
		out = g.suggest(t, limit)
		g.mu.Lock()
		if g.suggested == nil {
			g.suggested = map[string][]ror.Commune{}
		}
		if len(g.suggested) >= maxSuggested {
			for k := range g.suggested {
				delete(g.suggested, k)
				break
			}
		}
		g.suggested[key] = out
		g.mu.Unlock()
	}
	return slices.Clone(out)
}

func (g *Gazetteer) suggest(t string, limit int) []ror.Commune {
	seen := map[int]bool{}
	var hits []int
	exact := func(i int) bool { return g.nameMatches(i, t) || g.communes[i].INSEE == strings.ToUpper(t) }
	if name, pc, ok := splitPostal(t); ok {
		// « nice 06000 », the label « Nice (06000) » (folded: « nice 06000 »)
		for _, i := range g.preferArrondissements(g.byPostal[pc]) {
			if strings.HasPrefix(g.norm[i], name) || strings.HasPrefix(g.short[i], name) {
				hits = append(hits, i)
			}
		}
		exact = func(i int) bool { return g.nameMatches(i, name) }
	} else if fiveDigits.MatchString(strings.ToUpper(t)) && !isDigits(t) {
		if i, ok := g.byINSEE[strings.ToUpper(t)]; ok { // Corsica's « 2A004 »
			hits = append(hits, i)
		}
	} else if isDigits(t) {
		for pc, list := range g.byPostal {
			if strings.HasPrefix(pc, t) {
				for _, i := range list {
					if !seen[i] {
						seen[i] = true
						hits = append(hits, i)
					}
				}
			}
		}
		if i, ok := g.byINSEE[t]; ok && !seen[i] {
			seen[i] = true
			hits = append(hits, i)
		}
		hits = g.preferArrondissements(hits)
	} else {
		lo := sort.Search(len(g.keys), func(i int) bool { return g.keys[i].text >= t })
		for j := lo; j < len(g.keys) && strings.HasPrefix(g.keys[j].text, t); j++ {
			if i := g.keys[j].idx; !seen[i] {
				seen[i] = true
				hits = append(hits, i)
			}
		}
	}
	// Rank by population, boosted for an exact name and for a name that
	// starts with the text: "evry" gives Évry-Courcouronnes (66,000
	// inhabitants) before Évry in the Yonne (500), "paris 10" Paris 10e first.
	// A text of one or two letters says little as a prefix: the commune of
	// that exact name comes first whatever its size (« Y », 90 inhabitants
	// in the Somme, before Yerres); longer, the exact name is only boosted.
	type ranked struct {
		i     int
		r     float64
		exact bool
	}
	short := utf8.RuneCountInString(t) <= 2
	rs := make([]ranked, len(hits))
	for k, i := range hits {
		c := &g.communes[i]
		r := float64(c.Population + 1)
		ex := exact(i)
		if ex {
			r *= 20
		}
		if strings.HasPrefix(g.norm[i], t) {
			r *= 2
		}
		rs[k] = ranked{i, r, ex && short}
	}
	sort.Slice(rs, func(a, b int) bool {
		if rs[a].exact != rs[b].exact {
			return rs[a].exact
		}
		if rs[a].r != rs[b].r {
			return rs[a].r > rs[b].r
		}
		return g.communes[rs[a].i].INSEE < g.communes[rs[b].i].INSEE
	})
	for k := range rs {
		hits[k] = rs[k].i
	}
	out := make([]ror.Commune, 0, min(limit, len(hits)))
	for _, i := range hits[:min(limit, len(hits))] {
		out = append(out, g.communes[i])
	}
	return out
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// Populous returns the communes of at least min inhabitants that have a
// centre, the most populous first; Paris, Lyon and Marseille as the cities,
// not their arrondissements. The page writes them on its offline map.
func (g *Gazetteer) Populous(min int) []ror.Commune {
	var out []ror.Commune
	for _, c := range g.communes {
		if c.Population < min || c.Point == (ror.Point{}) || strings.HasSuffix(c.Name, " Arrondissement") {
			continue
		}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Population > out[j].Population })
	return out
}

// Commune returns the commune of an INSEE code.
func (g *Gazetteer) Commune(insee string) (ror.Commune, bool) {
	i, ok := g.byINSEE[insee]
	if !ok {
		return ror.Commune{}, false
	}
	return g.communes[i], true
}

// Department returns the département of a code.
func (g *Gazetteer) Department(code string) (ror.Department, bool) {
	d, ok := g.deps[code]
	return d, ok
}
