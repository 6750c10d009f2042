package fhir

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// The CapabilityStatement is written from the parameter tables, the
// include lists and the sorts: it lists exactly what is served.

type capabilityStatement struct {
	Type_          string         `json:"resourceType"`
	ID             string         `json:"id"`
	Status         string         `json:"status"`
	Date           string         `json:"date"`
	Publisher      string         `json:"publisher"`
	Kind           string         `json:"kind"`
	Software       map[string]any `json:"software"`
	Implementation map[string]any `json:"implementation"`
	FhirVersion    string         `json:"fhirVersion"`
	Format         []string       `json:"format"`
	Instantiates   []string       `json:"instantiates"`
	Rest           []capRest      `json:"rest"`
}

type capRest struct {
	Mode          string        `json:"mode"`
	Documentation string        `json:"documentation"`
	Resource      []capResource `json:"resource"`
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
		Rest: []capRest{{Mode: "server",
			Documentation: "Consultation seule (read, search-type). Au plus les 200 premières correspondances d'une recherche sont servies, avec le total exact ; pagination par _count (≤ 200) et _offset. Paramètres de contrôle : _count, _offset, _sort (" + joinSorts() + "), _summary=count, _format=json, _total. Listes séparées par des virgules = OU, paramètres répétés = ET. Paramètre inconnu : ignoré et signalé dans une entrée OperationOutcome, refusé (400) avec Prefer: handling=strict.",
			Resource: []capResource{
				resource("HealthcareService", profileHealthcareService, serviceCapParams(), includes["HealthcareService"], nil),
				resource("Location", profileLocation, locationCapParams(), includes["Location"], revincludes["Location"]),
				resource("Organization", profileOrganization, capParams("", organizationParams), includes["Organization"], nil),
			}}},
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

func serviceCapParams() []capParam {
	out := capParams("", serviceParams)
	out = append(out, capParams("location.", locationParams)...)
	out = append(out, capParams("organization.", organizationChain)...)
	out = append(out, capParams("providedBy.", organizationChain)...)
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
