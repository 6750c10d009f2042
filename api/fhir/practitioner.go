package fhir

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// Practitioners are the liberal professionals as FHIR serves them:
// Practitioner (the person of the RPPS) and PractitionerRole (one per
// place of practice, the offer described there as a contained
// HealthcareService), per the guide's RORPractitioner and
// RORPractitionerRole profiles.
type Practitioners interface {
	Roles(ctx context.Context, q ror.ProQuery, offset, count int) (int, []ror.ProRole, error)
	Professional(rpps string) (ror.Professional, bool)
	Nomenclature() *ror.Nomenclature
}

const (
	profilePractitioner     = igBase + "ror-practitioner"
	profilePractitionerRole = igBase + "ror-practitionerrole"
	extRoleExerciseMode     = igBase + "ror-practitionerrole-unit-exercise-mode"
	extRoleName             = igBase + "RORPractitionerRoleName"
	systemIdNatPS           = "urn:oid:1.2.250.1.71.4.2.1" // idNat_PS: "8" + RPPS
	systemG15               = nos + "TRE_G15-ProfessionSante/FHIR/TRE-G15-ProfessionSante"
	systemR38               = nos + "TRE_R38-SpecialiteOrdinale/FHIR/TRE-R38-SpecialiteOrdinale"
	systemR04               = nos + "TRE_R04-TypeSavoirFaire/FHIR/TRE-R04-TypeSavoirFaire"
	systemR23               = nos + "TRE_R23-ModeExercice/FHIR/TRE-R23-ModeExercice"
	systemR211              = nos + "TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle"
	systemR210              = nos + "TRE_R210-ActeSpecifique/FHIR/TRE-R210-ActeSpecifique"
	systemR244              = nos + "TRE_R244-CategorieOrganisation/FHIR/TRE-R244-CategorieOrganisation"
	systemR338              = nos + "TRE_R338-ModaliteAccueil/FHIR/TRE-R338-ModaliteAccueil"
	systemR243              = nos + "TRE_R243-CompetenceSpecifique/FHIR/TRE-R243-CompetenceSpecifique"
)

type Practitioner struct {
	Type_      string       `json:"resourceType"`
	ID         string       `json:"id"`
	Meta       *Meta        `json:"meta,omitempty"`
	Extension  []Extension  `json:"extension,omitempty"`
	Identifier []Identifier `json:"identifier"`
	Name       []HumanName  `json:"name,omitempty"`
}

func (Practitioner) ResourceType() string { return "Practitioner" }

type HumanName struct {
	Family string   `json:"family,omitempty"`
	Given  []string `json:"given,omitempty"`
	Prefix []string `json:"prefix,omitempty"`
}

type PractitionerRole struct {
	Type_             string            `json:"resourceType"`
	ID                string            `json:"id"`
	Meta              *Meta             `json:"meta,omitempty"`
	Contained         []Resource        `json:"contained,omitempty"`
	Extension         []Extension       `json:"extension,omitempty"`
	Identifier        []Identifier      `json:"identifier,omitempty"`
	Active            *bool             `json:"active,omitempty"`
	Practitioner      *Reference        `json:"practitioner"`
	Code              []CodeableConcept `json:"code"`
	Specialty         []CodeableConcept `json:"specialty,omitempty"`
	HealthcareService []Reference       `json:"healthcareService"`
	Telecom           []ContactPoint    `json:"telecom,omitempty"`
}

func (PractitionerRole) ResourceType() string { return "PractitionerRole" }

// proService is the offer of a place, contained in its role.
type proService struct {
	Type_          string            `json:"resourceType"`
	ID             string            `json:"id"`
	Type           []CodeableConcept `json:"type,omitempty"`
	Specialty      []CodeableConcept `json:"specialty,omitempty"`
	Characteristic []CodeableConcept `json:"characteristic,omitempty"`
	Name           string            `json:"name,omitempty"`
	Extension      []Extension       `json:"extension,omitempty"`
}

func (proService) ResourceType() string { return "HealthcareService" }

// roleParams are the parameters of a PractitionerRole search.
var roleParams = []capParam{
	{Name: "_id", Type: "token", Documentation: "Identifiant du PractitionerRole (un lieu d'exercice d'un professionnel)"},
	{Name: "practitioner", Type: "reference", Documentation: "Practitioner/<idNat_PS> ; chaîne practitioner.identifier (urn:oid:1.2.250.1.71.4.2.1|8…)"},
	{Name: "role", Type: "token", Documentation: "Profession (TRE_G15 : 10 médecin, 50 sage-femme, 70 masseur-kinésithérapeute)"},
	{Name: "specialty", Type: "token", Documentation: "Spécialité ordinale (TRE_R38), ou spécificité déclarée dans « Mon offre » : activité opérationnelle (TRE_R211) ou acte spécifique (TRE_R210) de l'offre contenue"},
	{Name: "characteristic", Type: "token", Documentation: "Mode d'exercice de l'offre contenue (TRE_R338 : 03 présentiel, 04 téléconsultation, 05 visite à domicile)"},
	{Name: "near", Type: "special", Documentation: "latitude|longitude|distance|km : les lieux dans ce rayon, du plus proche au plus lointain (extension location-distance sur l'entrée)"},
}

// practitionerIncludes are the includes of a PractitionerRole search.
var practitionerIncludes = []string{"PractitionerRole:practitioner", "PractitionerRole:service"}

// practitionerCapResources are the CapabilityStatement entries of the two
// resources.
func practitionerCapResources() []capResource {
	return []capResource{
		resource("Practitioner", profilePractitioner, []capParam{{Name: "_id", Type: "token", Documentation: "idNat_PS (8 + RPPS)"},
			{Name: "identifier", Type: "token", Documentation: "urn:oid:1.2.250.1.71.4.2.1|<idNat_PS>"}}, nil, nil),
		resource("PractitionerRole", profilePractitionerRole, roleParams, practitionerIncludes, nil),
	}
}

// MountPractitioners adds Practitioner and PractitionerRole to r (the
// /fhir group), before Mount's catch-all.
func MountPractitioners(r fiber.Router, pros func() (Practitioners, error), mayRead func(c *fiber.Ctx) error) {
	h := &Handler{mayRead: mayRead}
	ph := practitionerHandler{pros: pros}
	for _, typ := range []string{"Practitioner", "PractitionerRole"} {
		r.Get("/"+typ, h.wrap(ph.search(typ)))
		r.Post("/"+typ+"/_search", h.wrap(ph.search(typ)))
		r.Get("/"+typ+"/:id", h.wrap(ph.read(typ)))
	}
}

type practitionerHandler struct {
	pros func() (Practitioners, error)
}

func (ph practitionerHandler) source() (Practitioners, error) {
	p, err := ph.pros()
	if err == nil && p == nil {
		err = &fhirError{status: http.StatusServiceUnavailable, code: "transient", msg: "Les professionnels ne sont pas servis par ce service."}
	}
	return p, err
}

func (ph practitionerHandler) read(typ string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := ph.source()
		if err != nil {
			return err
		}
		id := c.Params("id")
		if typ == "Practitioner" {
			p, ok := d.Professional(id)
			if !ok {
				return notFound("Aucun Practitioner d'identifiant « %s ».", ror.Clip(id))
			}
			return write(c, fiber.StatusOK, practitioner(p))
		}
		rpps, _, _ := strings.Cut(id, "-")
		p, ok := d.Professional(rpps)
		i := slices.IndexFunc(p.Lieux, func(l ror.PracticePlace) bool { return l.ID == id })
		if !ok || i < 0 {
			return notFound("Aucun PractitionerRole d'identifiant « %s ».", ror.Clip(id))
		}
		return write(c, fiber.StatusOK, practitionerRole(d.Nomenclature(), p, i))
	}
}

// proToken splits a token search value system|code; systems is what the
// parameter accepts, "" for any of them.
func proToken(param, v string, systems ...string) (system, code string, err error) {
	system, code, has := strings.Cut(v, "|")
	if !has {
		return "", system, nil
	}
	if system != "" && !slices.Contains(systems, system) {
		return "", "", invalid(param, "Système « %s » non pris en charge pour %s : %s.", ror.Clip(system), param, strings.Join(systems, ", "))
	}
	return system, code, nil
}

func (ph practitionerHandler) search(typ string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := ph.source()
		if err != nil {
			return err
		}
		v := queryOrForm(c)
		var q ror.ProQuery
		count, offset := defaultCount, 0
		include := map[string]bool{}
		only := ""
		var savoirFaire []string
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, val := range v[k] {
				val = strings.TrimSpace(val)
				switch {
				case k == "_count":
					n, err := strconv.Atoi(val)
					if err != nil || n < 0 || n > maxPage {
						return invalid(k, "_count doit être un entier de 0 à %d.", maxPage)
					}
					count = n
				case k == "_offset":
					n, err := strconv.Atoi(val)
					if err != nil || n < 0 {
						return invalid(k, "_offset doit être un entier positif.")
					}
					offset = n
				case k == "_format":
				case k == "_id" || typ == "Practitioner" && k == "identifier" || typ == "PractitionerRole" && (k == "practitioner" || k == "practitioner.identifier"):
					_, code, err := proToken(k, val, systemIdNatPS)
					if err != nil {
						return err
					}
					code = strings.TrimPrefix(code, "Practitioner/")
					if only != "" && only != code {
						return write(c, fiber.StatusOK, emptyBundle(c))
					}
					only = code
				case typ == "PractitionerRole" && k == "_include":
					if !slices.Contains(practitionerIncludes, val) {
						return invalid(k, "_include « %s » non pris en charge : %s.", ror.Clip(val), strings.Join(practitionerIncludes, ", "))
					}
					include[val] = true
				case typ == "PractitionerRole" && k == "role":
					for _, item := range strings.Split(val, ",") {
						_, code, err := proToken(k, item, systemG15)
						if err != nil {
							return err
						}
						q.Filters.Profession = append(q.Filters.Profession, code)
					}
				case typ == "PractitionerRole" && k == "characteristic":
					for _, item := range strings.Split(val, ",") {
						_, code, err := proToken(k, item, systemR338)
						if err != nil {
							return err
						}
						q.Filters.Mode = append(q.Filters.Mode, code)
					}
				case typ == "PractitionerRole" && k == "specialty":
					for _, item := range strings.Split(val, ",") {
						system, code, err := proToken(k, item, systemR211, systemR210, systemR38)
						if err != nil {
							return err
						}
						switch system {
						case systemR211, "":
							q.Filters.Specificite = append(q.Filters.Specificite, "J17:"+code)
						case systemR210:
							q.Filters.Specificite = append(q.Filters.Specificite, "J16:"+code)
						case systemR38:
							savoirFaire = append(savoirFaire, code) // matched on the ranked list below
						}
					}
				case typ == "PractitionerRole" && k == "near":
					parts := strings.Split(val, "|")
					if len(parts) < 2 || len(parts) > 4 {
						return invalid(k, "near s'écrit latitude|longitude|distance|km.")
					}
					lat, e1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
					lon, e2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
					if e1 != nil || e2 != nil {
						return invalid(k, "near s'écrit latitude|longitude|distance|km.")
					}
					q.Near = &ror.Point{Lon: lon, Lat: lat}
					q.MaxKm = 50
					if len(parts) >= 3 && strings.TrimSpace(parts[2]) != "" {
						km, err := strconv.ParseFloat(strings.TrimSpace(parts[2]), 64)
						if err != nil || km <= 0 || km > ror.MaxRayonKm {
							return invalid(k, "La distance de near est un nombre de 0 (exclu) à %d.", ror.MaxRayonKm)
						}
						if len(parts) == 4 && strings.TrimSpace(parts[3]) == "m" {
							km /= 1000
						} else if len(parts) == 4 && strings.TrimSpace(parts[3]) != "km" {
							return invalid(k, "L'unité de near est km ou m.")
						}
						q.MaxKm = km
					}
				default:
					return &fhirError{status: http.StatusBadRequest, code: "not-supported", param: k,
						msg: "Paramètre « " + ror.Clip(k) + " » non pris en charge pour " + typ + " : voir /fhir/metadata."}
				}
			}
		}
		if q.Near != nil && !q.Near.Valid() {
			return invalid("near", "La position de near doit être une latitude et une longitude WGS84.")
		}
		if typ == "Practitioner" {
			return ph.practitioners(c, d, only)
		}
		// _id, practitioner and a savoir-faire (TRE_R38) narrow the ranked
		// list: those read it whole, the others a page of it.
		post := only != "" || len(savoirFaire) > 0
		from, n := offset, count
		if post {
			from, n = 0, math.MaxInt
		}
		total, roles, err := d.Roles(c.UserContext(), q, from, n)
		if err != nil {
			if re, ok := errors.AsType[*ror.Error](err); ok && re.Kind == ror.Invalid {
				return invalid(re.Field, "%s", re.Message)
			}
			return err
		}
		page := roles
		if post {
			var kept []ror.ProRole
			for _, r := range roles {
				if only != "" && r.RPPS != only && r.Lieux[r.Place].ID != only {
					continue
				}
				if len(savoirFaire) > 0 && !slices.Contains(savoirFaire, r.SavoirFaire) {
					continue
				}
				kept = append(kept, r)
			}
			total = len(kept)
			page = kept[min(offset, len(kept)):min(offset+count, len(kept))]
		}
		b := &Bundle{Type_: "Bundle", Type: "searchset", Total: &total}
		b.Link = append(b.Link, BundleLink{Relation: "self", URL: base(c) + "/PractitionerRole?" + v.Encode()})
		if offset+len(page) < total && count > 0 {
			nv := cloneValues(v)
			nv.Set("_offset", strconv.Itoa(offset+len(page)))
			b.Link = append(b.Link, BundleLink{Relation: "next", URL: base(c) + "/PractitionerRole?" + nv.Encode()})
		}
		seen := map[string]bool{}
		nom := d.Nomenclature()
		for _, r := range page {
			role := practitionerRole(nom, r.Professional, r.Place)
			e := BundleEntry{FullURL: base(c) + "/PractitionerRole/" + role.ID, Resource: role, Search: &EntrySearch{Mode: "match"}}
			if r.DistanceKm != nil {
				km := *r.DistanceKm
				e.Search.Extension = []Extension{{URL: extLocationDistance, ValueDistance: &Distance{Value: &km, Unit: "km", System: systemUCUM, Code: "km"}}}
			}
			b.Entry = append(b.Entry, e)
			if include["PractitionerRole:practitioner"] && !seen[r.RPPS] {
				seen[r.RPPS] = true
				b.Entry = append(b.Entry, BundleEntry{FullURL: base(c) + "/Practitioner/" + r.RPPS, Resource: practitioner(r.Professional), Search: &EntrySearch{Mode: "include"}})
			}
		}
		return write(c, fiber.StatusOK, b)
	}
}

func (ph practitionerHandler) practitioners(c *fiber.Ctx, d Practitioners, only string) error {
	b := &Bundle{Type_: "Bundle", Type: "searchset"}
	if only == "" {
		return invalid("_id", "Une recherche de Practitioner demande _id ou identifier ; les professionnels se cherchent par PractitionerRole.")
	}
	if p, ok := d.Professional(only); ok {
		b.Entry = []BundleEntry{{FullURL: base(c) + "/Practitioner/" + p.RPPS, Resource: practitioner(p), Search: &EntrySearch{Mode: "match"}}}
	}
	n := len(b.Entry)
	b.Total = &n
	return write(c, fiber.StatusOK, b)
}

func emptyBundle(c *fiber.Ctx) *Bundle {
	n := 0
	return &Bundle{Type_: "Bundle", Type: "searchset", Total: &n}
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// queryOrForm are the parameters of a GET, or of a POST _search's form.
func queryOrForm(c *fiber.Ctx) url.Values {
	v := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, val []byte) { v.Add(string(k), string(val)) })
	if c.Method() == fiber.MethodPost {
		c.Context().PostArgs().VisitAll(func(k, val []byte) { v.Add(string(k), string(val)) })
	}
	return v
}

func practitioner(p ror.Professional) Practitioner {
	out := Practitioner{Type_: "Practitioner", ID: p.RPPS,
		Meta:       &Meta{LastUpdated: instant(p.UpdatedAt), Profile: []string{profilePractitioner}, VersionID: strconv.Itoa(p.Version + 1)},
		Identifier: []Identifier{{System: systemIdNatPS, Value: p.RPPS}},
		Name:       []HumanName{{Family: p.Nom}},
		Extension:  []Extension{{URL: extMetaCreationDate, ValueDateTime: instant(p.UpdatedAt)}},
	}
	if p.Prenom != "" {
		out.Name[0].Given = []string{p.Prenom}
	}
	if pre := map[string]string{"M": "M", "MME": "MME", "DR": "DR", "PR": "PR"}[p.Civilite]; pre != "" {
		out.Name[0].Prefix = []string{pre}
	}
	return out
}

func codeable(system, code, display string) CodeableConcept {
	return CodeableConcept{Coding: []Coding{{System: system, Code: code, Display: display}}}
}

func practitionerRole(nom *ror.Nomenclature, p ror.Professional, i int) PractitionerRole {
	l := p.Lieux[i]
	svc := proService{Type_: "HealthcareService", ID: "offre", Name: l.Name}
	if l.TypeOffre != "" {
		svc.Type = []CodeableConcept{codeable(systemR244, l.TypeOffre, nom.Label(ror.VSTypeUO, l.TypeOffre))}
	}
	for _, a := range l.Activites {
		svc.Specialty = append(svc.Specialty, codeable(systemR211, a, nom.Label(ror.VSActivite, a)))
	}
	for _, a := range l.Actes {
		svc.Characteristic = append(svc.Characteristic, codeable(systemR210, a, nom.Label(ror.VSActe, a)))
	}
	for _, m := range l.Modes {
		svc.Characteristic = append(svc.Characteristic, codeable(systemR338, m, nom.Label("JDV_J226", m)))
	}
	role := PractitionerRole{Type_: "PractitionerRole", ID: l.ID,
		Meta:              &Meta{LastUpdated: instant(p.UpdatedAt), Profile: []string{profilePractitionerRole}, VersionID: strconv.Itoa(p.Version + 1)},
		Contained:         []Resource{svc},
		Identifier:        []Identifier{{System: "urn:ror-recherche:situation-operationnelle", Value: l.ID}},
		Practitioner:      &Reference{Reference: "Practitioner/" + p.RPPS, Display: p.DisplayName()},
		Code:              []CodeableConcept{codeable(systemG15, p.Profession, nom.Label("TRE_G15", p.Profession))},
		HealthcareService: []Reference{{Reference: "#offre"}},
		Extension: []Extension{
			{URL: extMetaCreationDate, ValueDateTime: instant(p.UpdatedAt)},
			{URL: extRoleExerciseMode, ValueCodeableConcept: &CodeableConcept{Coding: []Coding{{System: systemR23, Code: "L", Display: "Libéral, indépendant, artisan, commerçant"}}}},
			{URL: extRoleName, Extension: nameParts(p)},
		},
	}
	if p.SavoirFaire != "" {
		role.Specialty = append(role.Specialty, codeable(systemR04, "S", "Spécialité ordinale"), codeable(systemR38, p.SavoirFaire, nom.Label("TRE_R38", p.SavoirFaire)))
	}
	for _, c := range l.Competences {
		role.Specialty = append(role.Specialty, codeable(systemR243, c, nom.Label("JDV_J33", c)))
	}
	if l.Phone != "" {
		role.Telecom = []ContactPoint{{System: "phone", Value: l.Phone}}
	}
	if l.HomeVisits() && l.ZoneKm > 0 {
		km := l.ZoneKm
		svc.Extension = append(svc.Extension, Extension{URL: "urn:ror-recherche:zone-intervention-km", ValueDistance: &Distance{Value: &km, Unit: "km", System: systemUCUM, Code: "km"}})
		role.Contained[0] = svc
	}
	return role
}

func nameParts(p ror.Professional) []Extension {
	out := []Extension{{URL: "exerciseLastName", ValueString: p.Nom}}
	if p.Prenom != "" {
		out = append(out, Extension{URL: "exerciseFirstName", ValueString: p.Prenom})
	}
	return out
}
