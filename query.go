package ror

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The numbers the product promises.
const (
	PageSize     = 15  // établissements per page, as on the ROR screen
	MaxResults   = 200 // établissements at most in one result list
	MaxTextLen   = 200 // characters of free text in a query
	MaxCodes     = 50  // codes in one criterion
	SuggestLimit = 8   // suggestions per category
	MaxPage      = (MaxResults + PageSize - 1) / PageSize
)

// Dans is the "Rechercher dans" category of a search or a suggestion.
type Dans string

// The categories of "Rechercher dans", with their URL values.
const (
	DansTout        Dans = "tout"        // Tout le ROR
	DansFilieres    Dans = "filieres"    // filières (project presets over codes)
	DansTypesUO     Dans = "types-uo"    // types d'UO, JDV_J238
	DansActes       Dans = "actes"       // actes spécifiques, JDV_J16
	DansEquipements Dans = "equipements" // équipements spécifiques, JDV_J18
	DansActivites   Dans = "activites"   // activités opérationnelles, JDV_J17
	DansNoms        Dans = "noms"        // names of établissements (FINESS ET as code)
	// DansProfessionnels searches the liberal professionals alone (their
	// own catalog, professional.go); Tout le ROR includes them too.
	DansProfessionnels Dans = "professionnels"
)

// AllDans lists the categories in the order the screen shows them.
var AllDans = []Dans{DansTout, DansFilieres, DansTypesUO, DansActes, DansEquipements, DansActivites, DansNoms, DansProfessionnels}

// Title is the French heading of the category.
func (d Dans) Title() string {
	switch d {
	case DansTout:
		return "Tout le ROR"
	case DansFilieres:
		return "Filières"
	case DansTypesUO:
		return "Types d'UO"
	case DansActes:
		return "Actes spécifiques"
	case DansEquipements:
		return "Équipements spécifiques"
	case DansActivites:
		return "Activités opérationnelles"
	case DansNoms:
		return "Noms"
	case DansProfessionnels:
		return "Professionnels"
	}
	return string(d)
}

// ValueSet is the value set whose codes the category searches, "" for
// categories that are not one value set (tout, filières, noms).
func (d Dans) ValueSet() ValueSet {
	switch d {
	case DansTypesUO:
		return VSTypeUO
	case DansActes:
		return VSActe
	case DansEquipements:
		return VSEquipement
	case DansActivites:
		return VSActivite
	}
	return ""
}

// ParseDans reads a "dans" parameter; empty means Tout le ROR.
func ParseDans(s string) (Dans, error) {
	if s == "" {
		return DansTout, nil
	}
	for _, d := range AllDans {
		if string(d) == s {
			return d, nil
		}
	}
	return "", Errorf(Invalid, "dans", "La catégorie « %s » n'existe pas : choisir parmi tout, filieres, types-uo, actes, equipements, activites, noms, professionnels.", Clip(s))
}

// Tri is the order of the results.
type Tri string

// The orders of a result list.
const (
	TriDistance   Tri = "distance"
	TriPertinence Tri = "pertinence"
)

// Query is a parsed search. The zero value searches everything with no
// commune, which sorts by relevance.
type Query struct {
	Ou    string   // the commune as typed: INSEE code, postal code or name
	Dans  Dans     // the category of the criterion
	Text  string   // free text typed in "Rechercher dans"
	Codes []string // codes picked from suggestions, within Dans (OR)
	Tri   Tri      // empty: distance with a commune, relevance without
	Page  int      // 1-based

	Filters Filters // refine panel: OR within a facet, AND across facets
	Explain bool    // say why each result ranks where it does
	// FullFacets are the facets answered with all their values, not the
	// first FacetValuesShown (the refine panel's « Afficher plus »).
	FullFacets []Facet
	RayonKm    float64 // > 0: only établissements within this distance of Ou
	BBox       *BBox   // only établissements inside this box (map view)
	// Within, set by the read side when RayonKm or BBox is, holds the UO
	// ordinals (ascending) that the radius or the box keeps: the index
	// counts the facets inside it, so the panel counts what the list shows.
	Within []uint32

	// All asks for every result in Results.All (exports); otherwise only
	// the page is rendered, the rest counted.
	All bool
}

// BBox is a box in WGS84 degrees, as a map view sends it.
type BBox struct {
	Min, Max Point
}

// Contains reports whether p lies inside the box (edges included).
func (b *BBox) Contains(p Point) bool {
	return p.Lon >= b.Min.Lon && p.Lon <= b.Max.Lon && p.Lat >= b.Min.Lat && p.Lat <= b.Max.Lat
}

// MaxRayonKm bounds the radius filter: farther than that is all of France.
const MaxRayonKm = 1000

// SortOrder is the order the query asks for, with its default filled in.
func (q *Query) SortOrder() Tri {
	if q.Tri != "" {
		return q.Tri
	}
	if q.Ou != "" {
		return TriDistance
	}
	return TriPertinence
}

// ParseText trims and checks free text: valid UTF-8, at most MaxTextLen
// characters, no control characters.
func ParseText(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if !utf8.ValidString(s) {
		return "", Errorf(Invalid, field, "Le texte saisi n'est pas de l'UTF-8 valide.")
	}
	if n := utf8.RuneCountInString(s); n > MaxTextLen {
		return "", Errorf(Invalid, field, "Le texte saisi est trop long : %d caractères, %d au plus.", n, MaxTextLen)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "", Errorf(Invalid, field, "Le texte saisi contient un caractère de contrôle.")
		}
	}
	return s, nil
}

// ParseCodes checks criterion codes: each one non-empty, at most 40 bytes of
// letters, digits, '-', '_', ':' or '.'; comma lists are split.
func ParseCodes(field string, raw []string) ([]string, error) {
	out := items(raw)
	for _, c := range out {
		if !validCode(c) {
			return nil, Errorf(Invalid, field, "Le code « %s » est mal formé.", Clip(c))
		}
	}
	if len(out) > MaxCodes {
		return nil, Errorf(Invalid, field, "Trop de codes : %d, %d au plus.", len(out), MaxCodes)
	}
	return out, nil
}

func validCode(c string) bool {
	if len(c) > 40 {
		return false
	}
	for i := 0; i < len(c); i++ {
		b := c[i]
		ok := b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '-' || b == '_' || b == ':' || b == '.'
		if !ok {
			return false
		}
	}
	return true
}

// ParsePage reads a 1-based page number; empty is page 1. Pages past the
// 200-result cap do not exist.
func ParsePage(s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	p, err := strconv.Atoi(s)
	if err != nil || p < 1 || p > MaxPage {
		return 0, Errorf(Invalid, "page", "La page doit être un nombre entre 1 et %d.", MaxPage)
	}
	return p, nil
}

// Clip shortens user input echoed in an error message.
func Clip(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "�")
	}
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:40]) + "…"
}

// ParseFullFacets reads facette_complete: facet names, repeated or comma
// separated.
func ParseFullFacets(raw []string) ([]Facet, error) {
	var out []Facet
	for _, name := range items(raw) {
		i := slices.Index(AllFacets, Facet(name))
		if i < 0 {
			return nil, Errorf(Invalid, "facette_complete", "La facette « %s » n'existe pas : choisir parmi patientele, type_offre, activite, mode, type_uo, acte, equipement, departement, statut, origine.", Clip(name))
		}
		if !slices.Contains(out, AllFacets[i]) {
			out = append(out, AllFacets[i])
		}
	}
	return out, nil
}

// items splits repeated parameters and their comma lists into trimmed,
// non-empty items.
func items(raw []string) []string {
	var out []string
	for _, r := range raw {
		for _, it := range strings.Split(r, ",") {
			if it = strings.TrimSpace(it); it != "" {
				out = append(out, it)
			}
		}
	}
	return out
}

// ParseRayon reads a radius in km: empty is none, else 0 < r ≤ MaxRayonKm.
func ParseRayon(s string) (float64, error) {
	if s == "" {
		return 0, nil
	}
	r, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || !(r > 0 && r <= MaxRayonKm) {
		return 0, Errorf(Invalid, "rayon", "Le rayon doit être un nombre de kilomètres entre 0 (exclu) et %d.", MaxRayonKm)
	}
	return r, nil
}

// ParseBBox reads "minLon,minLat,maxLon,maxLat" in WGS84 degrees.
func ParseBBox(s string) (*BBox, error) {
	if s == "" {
		return nil, nil
	}
	bad := Errorf(Invalid, "bbox", "La zone doit s'écrire minLon,minLat,maxLon,maxLat en degrés WGS84, avec min < max.")
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return nil, bad
	}
	var f [4]float64
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, bad
		}
		f[i] = x
	}
	b := &BBox{Min: Point{Lon: f[0], Lat: f[1]}, Max: Point{Lon: f[2], Lat: f[3]}}
	inRange := func(p Point) bool { return p.Lon >= -180 && p.Lon <= 180 && p.Lat >= -90 && p.Lat <= 90 }
	if !inRange(b.Min) || !inRange(b.Max) || b.Min.Lon >= b.Max.Lon || b.Min.Lat >= b.Max.Lat {
		return nil, bad
	}
	return b, nil
}
