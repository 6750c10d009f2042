package fhir

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// The CapabilityStatement is written from the parameter tables, the
// include lists and the sorts: it lists exactly what is served.

type capabilityStatement struct {
	Type_               string         `json:"resourceType"`
	ID                  string         `json:"id"`
	Status              string         `json:"status"`
	Date                string         `json:"date"`
	Publisher           string         `json:"publisher"`
	Kind                string         `json:"kind"`
	Software            map[string]any `json:"software"`
	Implementation      map[string]any `json:"implementation"`
	FhirVersion         string         `json:"fhirVersion"`
	Format              []string       `json:"format"`
	Instantiates        []string       `json:"instantiates"`
	ImplementationGuide []string       `json:"implementationGuide"`
	Rest                []capRest      `json:"rest"`
}

type capRest struct {
	Mode          string         `json:"mode"`
	Documentation string         `json:"documentation"`
	Resource      []capResource  `json:"resource"`
	Operation     []capOperation `json:"operation,omitempty"`
}

type capOperation struct {
	Name       string `json:"name"`
	Definition string `json:"definition"`
}

type capResource struct {
	Type             string           `json:"type"`
	Profile          string           `json:"profile"`
	Interaction      []map[string]any `json:"interaction"`
	SearchInclude    []string         `json:"searchInclude,omitempty"`
	SearchRevInclude []string         `json:"searchRevInclude,omitempty"`
	SearchParam      []capParam       `json:"searchParam"`
}

type capParam struct {
	Name          string `json:"name"`
	Definition    string `json:"definition,omitempty"`
	Type          string `json:"type"`
	Documentation string `json:"documentation"`
}

var started = time.Now()

func (h *Handler) metadata(c *fiber.Ctx) error {
	cs := capabilityStatement{Type_: "CapabilityStatement", ID: "ror-recherche", Status: "active",
		Date: instant(started), Publisher: "ROR Recherche", Kind: "instance",
		Software:       map[string]any{"name": "ROR Recherche"},
		Implementation: map[string]any{"description": "Répertoire de l'offre de santé, API FHIR de consultation", "url": base(c)},
		FhirVersion:    fhirVersion, Format: []string{"json", mimeFHIRJSON},
		Instantiates: []string{"https://interop.esante.gouv.fr/ig/fhir/ror/CapabilityStatement/ror-serveur"},
		ImplementationGuide: []string{"https://interop.esante.gouv.fr/ig/fhir/ror/ImplementationGuide/ans.fhir.fr.ror",
			"http://hl7.org/fhir/uv/bulkdata/ImplementationGuide/hl7.fhir.uv.bulkdata"},
		Rest: []capRest{{Mode: "server",
			Documentation: "Consultation seule (read, search-type). Toutes les correspondances d'une recherche se lisent, avec le total exact : pages de _count (≤ 200) ; au-delà de la première page, les liens next/previous/first/last lisent un instantané du résultat (_snapshot, _offset), stable 30 min après sa dernière lecture (410 ensuite). Export de masse : GET [base]/$export (Bulk Data, Prefer: respond-async, _type, _since), NDJSON par type. Paramètres de contrôle : _count, _offset, _sort (" + joinSorts() + "), _summary (count, true, data, false), _elements, _format=json, _total ; POST [type]/_search (application/x-www-form-urlencoded) ; modificateur :not sur les paramètres token ; read avec ETag (meta.versionId) et If-None-Match (304). Listes séparées par des virgules = OU, paramètres répétés = ET. Paramètre inconnu ou non pris en charge (dont ceux du guide absents de cette liste) : refusé (400, not-supported, le nommant) ; ignoré et signalé dans une entrée OperationOutcome seulement avec Prefer: handling=lenient. Critères capacitaires (capacity-status, nb-capacity, capacity-type, temporality-capacity, capacity-update-date) : tous sur la même capacité.",
			Resource: append([]capResource{
				resource("HealthcareService", profileHealthcareService, serviceCapParams(), includes["HealthcareService"], nil),
				resource("Location", profileLocation, locationCapParams(), includes["Location"], revincludes["Location"]),
				resource("Organization", profileOrganization, capParams("", organizationParams), includes["Organization"], nil),
			}, practitionerCapResources()...), // practitioner.go
			Operation: []capOperation{{Name: "export", Definition: "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"}},
		}},
	}
	return write(c, fiber.StatusOK, cs)
}

func resource(typ, profile string, params []capParam, incl, rev []string) capResource {
	return capResource{Type: typ, Profile: profile,
		Interaction:   []map[string]any{{"code": "read"}, {"code": "search-type"}},
		SearchInclude: incl, SearchRevInclude: rev, SearchParam: params}
}

func capParams(prefix string, defs []*paramDef) []capParam {
	var out []capParam
	for _, p := range defs {
		out = append(out, capParam{Name: prefix + p.name, Definition: p.def, Type: p.typ, Documentation: p.doc})
	}
	return out
}

// serviceCapParams are HealthcareService's own parameters; the chains
// through location and organization are said in the documentation of
// those reference parameters, not declared as parameters of their own.
func serviceCapParams() []capParam {
	out := capParams("", serviceParams)
	for i := range out {
		switch out[i].Name {
		case "location":
			out[i].Documentation += ". Chaînes (location.x ou location:x) : " + joinNames(locationParams)
		case "organization":
			out[i].Documentation += ". Chaînes (organization.x, providedBy.x) : " + joinNames(organizationChain)
		}
	}
	return append(out, capParam{Name: "_filter", Type: "special",
		Documentation: "Sous-ensemble du guide : critères « paramètre op valeur » reliés par and / or, parenthèses ; eq pour tous, ne gt lt ge le pour les âges et _lastUpdated, co et sw pour les chaînes"})
}

func locationCapParams() []capParam {
	out := capParams("", locationOwn)
	out = append(out, capParams("", locationParams)...)
	return append(out, capParam{Name: "_has", Type: "special",
		Documentation: "_has:HealthcareService:location:<paramètre de HealthcareService> : lieux où une offre satisfait le critère"})
}

func joinSorts() string {
	s := ""
	for i, x := range sorts {
		if i > 0 {
			s += ", "
		}
		s += x
	}
	return s
}

func joinNames(defs []*paramDef) string {
	s := ""
	for i, p := range defs {
		if i > 0 {
			s += ", "
		}
		s += p.name
	}
	return s
}
