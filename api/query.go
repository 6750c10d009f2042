package api

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ror-recherche/ror"
)

// ParseQuery reads the parameters of /api/v1/search. Every failure is an
// Invalid *Error naming the parameter.
func ParseQuery(v url.Values) (ror.Query, error) {
	var q ror.Query
	var err error
	if q.Dans, err = ror.ParseDans(v.Get("dans")); err != nil {
		return q, err
	}
	q.Ou = strings.TrimSpace(v.Get("ou"))
	if utf8.RuneCountInString(q.Ou) > ror.MaxTextLen {
		return q, ror.Errorf(ror.Invalid, "ou", "La commune saisie est trop longue (%d caractères au plus).", ror.MaxTextLen)
	}
	if q.Text, err = ror.ParseText("q", v.Get("q")); err != nil {
		return q, err
	}
	if q.Codes, err = ror.ParseCodes("code", v["code"]); err != nil {
		return q, err
	}
	if q.Text == "" && len(q.Codes) == 0 {
		return q, ror.Errorf(ror.Invalid, "q", "Saisir un critère de recherche (texte ou code choisi dans les suggestions).")
	}
	switch t := ror.Tri(v.Get("tri")); t {
	case "", ror.TriDistance, ror.TriPertinence:
		q.Tri = t
	default:
		return q, ror.Errorf(ror.Invalid, "tri", "Le tri « %s » n'existe pas : distance ou pertinence.", ror.Clip(string(t)))
	}
	if q.Tri == ror.TriDistance && q.Ou == "" {
		return q, ror.Errorf(ror.Invalid, "tri", "Le tri par distance demande une commune (paramètre « ou »).")
	}
	if q.Page, err = ror.ParsePage(v.Get("page")); err != nil {
		return q, err
	}
	if q.Filters, err = ParseFilters(v); err != nil {
		return q, err
	}
	q.Explain = v.Get("explain") == "1"
	if q.FullFacets, err = ror.ParseFullFacets(v["facette_complete"]); err != nil {
		return q, err
	}
	if q.RayonKm, q.BBox, err = parseArea(v, q.Ou); err != nil {
		return q, err
	}
	return q, nil
}

// parseArea reads where a search looks: rayon (km around ou, which it
// needs) and bbox (the map's view).
func parseArea(v url.Values, ou string) (float64, *ror.BBox, error) {
	km, err := ror.ParseRayon(v.Get("rayon"))
	if err != nil {
		return 0, nil, err
	}
	if km > 0 && ou == "" {
		return 0, nil, ror.Errorf(ror.Invalid, "rayon", "Le rayon demande une commune (paramètre « ou »).")
	}
	box, err := ror.ParseBBox(v.Get("bbox"))
	return km, box, err
}

// ParseFilters reads the repeatable facet parameters (activite=157&
// activite=158&mode=28). The values' shape is checked here; whether a code
// exists is the index's business.
func ParseFilters(v url.Values) (ror.Filters, error) {
	var f ror.Filters
	for _, facet := range ror.AllFacets {
		codes, err := ror.ParseCodes(string(facet), v[string(facet)])
		if err != nil {
			return nil, err
		}
		if len(codes) == 0 {
			continue
		}
		if facet == ror.FacetDepartement {
			for _, c := range codes {
				if !ror.ValidDepartment(c) {
					return nil, ror.Errorf(ror.Invalid, string(facet), "Le département « %s » n'existe pas (01 à 95, 2A, 2B, 971 à 976).", ror.Clip(c))
				}
			}
		}
		if f == nil {
			f = ror.Filters{}
		}
		f[facet] = codes
	}
	return f, nil
}

// ParseNearQuery reads the parameters of the proximity lookup: every code
// parameter (equipement, acte, activite, type_uo, mode) is a requirement;
// repeated parameters are all required, a comma list is any of.
func ParseNearQuery(v url.Values) (ror.NearQuery, error) {
	q := ror.NearQuery{Ou: strings.TrimSpace(v.Get("ou")), Besoin: v.Get("besoin"), Limit: ror.NearDefaultLimit}
	if q.Ou == "" {
		return q, ror.Errorf(ror.Invalid, "ou", "Indiquer une commune ou une position « lat,lon ».")
	}
	if p, ok, err := parseLatLon(q.Ou); err != nil {
		return q, err
	} else if ok {
		q.Point = &p
	}
	for _, f := range []ror.Facet{ror.FacetEquipement, ror.FacetActe, ror.FacetActivite, ror.FacetTypeUO, ror.FacetMode} {
		for _, raw := range v[string(f)] {
			codes, err := ror.ParseCodes(string(f), []string{raw})
			if err != nil {
				return q, err
			}
			if len(codes) > 0 {
				q.Require = append(q.Require, ror.Requirement{Facet: f, AnyOf: codes})
			}
		}
	}
	if s := v.Get("lits_disponibles"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 1000 {
			return q, ror.Errorf(ror.Invalid, "lits_disponibles", "Le nombre de lits disponibles demandé doit être entre 0 et 1000.")
		}
		q.MinLits = n
	}
	switch p := v.Get("patientele"); p {
	case "", ror.PatienteleEnfant, ror.PatienteleAdulte:
		q.Patientele = p
	default:
		return q, ror.Errorf(ror.Invalid, "patientele", "La patientèle doit être « enfant » ou « adulte ».")
	}
	if s := v.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > ror.NearMaxLimit {
			return q, ror.Errorf(ror.Invalid, "limit", "Le nombre de résultats doit être entre 1 et %d.", ror.NearMaxLimit)
		}
		q.Limit = n
	}
	if len(q.Require) == 0 && q.Besoin == "" {
		return q, ror.Errorf(ror.Invalid, "equipement", "Indiquer au moins un besoin : equipement, acte, activite, type_uo, mode ou besoin.")
	}
	return q, nil
}

// parseLatLon reads "48.876,2.361"; ok is false when s is not of that shape
// (then it is a commune).
func parseLatLon(s string) (ror.Point, bool, error) {
	a, b, found := strings.Cut(s, ",")
	if !found {
		return ror.Point{}, false, nil
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(a), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if err1 != nil || err2 != nil {
		return ror.Point{}, false, nil
	}
	p := ror.Point{Lon: lon, Lat: lat}
	if !p.Valid() {
		return p, false, ror.Errorf(ror.Invalid, "ou", "La position « %s » n'est pas une latitude,longitude WGS84.", ror.Clip(s))
	}
	return p, true, nil
}
