package fhir

// The FHIR R4 data types this API writes, reduced to the elements it fills.
// JSON names follow the specification; empty elements are left out, as FHIR
// forbids empty arrays and objects.

type Meta struct {
	VersionID   string   `json:"versionId,omitempty"`
	LastUpdated string   `json:"lastUpdated,omitempty"`
	Source      string   `json:"source,omitempty"` // a uri: where the resource's content comes from
	Profile     []string `json:"profile,omitempty"`
	Tag         []Coding `json:"tag,omitempty"`
}

type Coding struct {
	System  string `json:"system,omitempty"`
	Code    string `json:"code,omitempty"`
	Display string `json:"display,omitempty"`
}

type CodeableConcept struct {
	Extension []Extension `json:"extension,omitempty"`
	Coding    []Coding    `json:"coding,omitempty"`
	Text      string      `json:"text,omitempty"`
}

type Identifier struct {
	Use    string           `json:"use,omitempty"`
	Type   *CodeableConcept `json:"type,omitempty"`
	System string           `json:"system,omitempty"`
	Value  string           `json:"value,omitempty"`
}

type Reference struct {
	Reference string `json:"reference,omitempty"`
	Display   string `json:"display,omitempty"`
}

type Quantity struct {
	Value  *float64 `json:"value,omitempty"`
	Unit   string   `json:"unit,omitempty"`
	System string   `json:"system,omitempty"`
	Code   string   `json:"code,omitempty"`
}

type Range struct {
	Low  *Quantity `json:"low,omitempty"`
	High *Quantity `json:"high,omitempty"`
}

type Distance Quantity

// Extension carries one value; the pointer fields keep zero values out.
type Extension struct {
	URL                  string           `json:"url"`
	Extension            []Extension      `json:"extension,omitempty"`
	ValueCodeableConcept *CodeableConcept `json:"valueCodeableConcept,omitempty"`
	ValueBoolean         *bool            `json:"valueBoolean,omitempty"`
	ValueInteger         *int             `json:"valueInteger,omitempty"`
	ValueDateTime        string           `json:"valueDateTime,omitempty"`
	ValueCode            string           `json:"valueCode,omitempty"`
	ValueString          string           `json:"valueString,omitempty"`
	ValueRange           *Range           `json:"valueRange,omitempty"`
	ValueDistance        *Distance        `json:"valueDistance,omitempty"`
	ValueCoding          *Coding          `json:"valueCoding,omitempty"`
}

type ContactPoint struct {
	Extension []Extension `json:"extension,omitempty"`
	System    string      `json:"system,omitempty"`
	Value     string      `json:"value,omitempty"`
	Use       string      `json:"use,omitempty"`
}

type Address struct {
	Extension  []Extension `json:"extension,omitempty"`
	Use        string      `json:"use,omitempty"`
	Line       []string    `json:"line,omitempty"`
	City       string      `json:"city,omitempty"`
	District   string      `json:"district,omitempty"`
	PostalCode string      `json:"postalCode,omitempty"`
	Country    string      `json:"country,omitempty"`
}

type Position struct {
	Longitude float64 `json:"longitude"`
	Latitude  float64 `json:"latitude"`
}

type Period struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

type NotAvailable struct {
	Description string  `json:"description"`
	During      *Period `json:"during,omitempty"`
}

// Resource is any resource this API serves; Bundle entries hold it.
type Resource interface{ ResourceType() string }

type Organization struct {
	Type_      string            `json:"resourceType"`
	ID         string            `json:"id"`
	Meta       *Meta             `json:"meta,omitempty"`
	Extension  []Extension       `json:"extension,omitempty"`
	Identifier []Identifier      `json:"identifier,omitempty"`
	Active     *bool             `json:"active,omitempty"`
	Type       []CodeableConcept `json:"type,omitempty"`
	Name       string            `json:"name,omitempty"`
	Alias      []string          `json:"alias,omitempty"`
	Telecom    []ContactPoint    `json:"telecom,omitempty"`
	Address    []Address         `json:"address,omitempty"`
	PartOf     *Reference        `json:"partOf,omitempty"`
}

type HealthcareService struct {
	Type_                  string            `json:"resourceType"`
	ID                     string            `json:"id"`
	Meta                   *Meta             `json:"meta,omitempty"`
	Extension              []Extension       `json:"extension,omitempty"`
	Identifier             []Identifier      `json:"identifier,omitempty"`
	Active                 *bool             `json:"active,omitempty"`
	ProvidedBy             *Reference        `json:"providedBy,omitempty"`
	Category               []CodeableConcept `json:"category,omitempty"`
	Type                   []CodeableConcept `json:"type,omitempty"`
	Specialty              []CodeableConcept `json:"specialty,omitempty"`
	Location               []Reference       `json:"location,omitempty"`
	Name                   string            `json:"name,omitempty"`
	Comment                string            `json:"comment,omitempty"`
	Telecom                []ContactPoint    `json:"telecom,omitempty"`
	Characteristic         []CodeableConcept `json:"characteristic,omitempty"`
	NotAvailable           []NotAvailable    `json:"notAvailable,omitempty"`
	AvailabilityExceptions string            `json:"availabilityExceptions,omitempty"`
}

type Location struct {
	Type_                string            `json:"resourceType"`
	ID                   string            `json:"id"`
	Meta                 *Meta             `json:"meta,omitempty"`
	Extension            []Extension       `json:"extension,omitempty"`
	Identifier           []Identifier      `json:"identifier,omitempty"`
	Status               string            `json:"status,omitempty"`
	Name                 string            `json:"name,omitempty"`
	OperationalStatus    *Coding           `json:"operationalStatus,omitempty"`
	Type                 []CodeableConcept `json:"type,omitempty"`
	Telecom              []ContactPoint    `json:"telecom,omitempty"`
	Address              *Address          `json:"address,omitempty"`
	Position             *Position         `json:"position,omitempty"`
	ManagingOrganization *Reference        `json:"managingOrganization,omitempty"`
	// AvailabilityExceptions holds a lieu's opening hours, as typed: no
	// national code structures them.
	AvailabilityExceptions string `json:"availabilityExceptions,omitempty"`
}

func (*Organization) ResourceType() string      { return "Organization" }
func (*HealthcareService) ResourceType() string { return "HealthcareService" }
func (*Location) ResourceType() string          { return "Location" }
func (*OperationOutcome) ResourceType() string  { return "OperationOutcome" }

type Bundle struct {
	Type_ string        `json:"resourceType"`
	ID    string        `json:"id,omitempty"`
	Meta  *Meta         `json:"meta,omitempty"`
	Type  string        `json:"type"`
	Total *int          `json:"total,omitempty"`
	Link  []BundleLink  `json:"link,omitempty"`
	Entry []BundleEntry `json:"entry,omitempty"`
}

type BundleLink struct {
	Relation string `json:"relation"`
	URL      string `json:"url"`
}

type BundleEntry struct {
	FullURL  string       `json:"fullUrl,omitempty"`
	Resource Resource     `json:"resource"`
	Search   *EntrySearch `json:"search,omitempty"`
}

type EntrySearch struct {
	Extension []Extension `json:"extension,omitempty"`
	Mode      string      `json:"mode"`
}

type OperationOutcome struct {
	Type_ string  `json:"resourceType"`
	ID    string  `json:"id,omitempty"`
	Issue []Issue `json:"issue"`
}

type Issue struct {
	Severity    string           `json:"severity"`
	Code        string           `json:"code"`
	Details     *CodeableConcept `json:"details,omitempty"`
	Diagnostics string           `json:"diagnostics,omitempty"`
	Expression  []string         `json:"expression,omitempty"`
}
