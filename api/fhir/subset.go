package fhir

import (
	"encoding/json"
)

// _summary=true and _elements: the matches keep their mandatory elements
// (resourceType, id, meta) and the elements asked for (or the R4 summary
// elements of their type), and are tagged SUBSETTED, as R4 says.

var summaryElements = map[string][]string{
	"HealthcareService": {"identifier", "active", "providedBy", "category", "type", "specialty", "location", "name"},
	"Location":          {"identifier", "status", "operationalStatus", "name", "alias", "mode", "type", "managingOrganization", "partOf"},
	"Organization":      {"identifier", "active", "type", "name", "alias", "partOf"},
}

var subsetted = Coding{System: "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", Code: "SUBSETTED", Display: "subsetted"}

// rawResource is a resource already encoded.
type rawResource struct {
	typ string
	raw json.RawMessage
}

func (r *rawResource) ResourceType() string         { return r.typ }
func (r *rawResource) MarshalJSON() ([]byte, error) { return r.raw, nil }

// subset returns r reduced to the elements p asks for.
func (p *plan) subsetOf(r Resource) Resource {
	keep := p.elements
	if p.subset == "summary" {
		keep = summaryElements[r.ResourceType()]
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return r
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return r
	}
	out := map[string]json.RawMessage{"resourceType": m["resourceType"], "id": m["id"]}
	for _, k := range keep {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	var meta Meta
	if mr, ok := m["meta"]; ok {
		_ = json.Unmarshal(mr, &meta)
	}
	meta.Tag = append(meta.Tag, subsetted)
	mb, _ := json.Marshal(meta)
	out["meta"] = mb
	b, err := json.Marshal(out)
	if err != nil {
		return r
	}
	return &rawResource{typ: r.ResourceType(), raw: b}
}
