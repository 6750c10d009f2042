package fhir

import (
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// builder turns the directory's records into the guide's resources.
type builder struct {
	d   *ror.Directory
	nom *ror.Nomenclature
	gaz ror.Gazetteer
}

func newBuilder(d *ror.Directory) *builder {
	return &builder{d: d, nom: d.Nomenclature(), gaz: d.Gazetteer()}
}

// serviceID names the offre of a UO through one activité: "<UO id>.<code>".
func serviceID(uo *ror.UO, activite int) string {
	if activite < 0 || activite >= len(uo.Activites) {
		return uo.ID
	}
	return uo.ID + "." + uo.Activites[activite]
}

// splitServiceID is the inverse of serviceID.
func splitServiceID(id string) (uoID, activite string) {
	uoID, activite, _ = strings.Cut(id, ".")
	return uoID, activite
}

func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

func lastOf(ts ...time.Time) time.Time {
	var last time.Time
	for _, t := range ts {
		if t.After(last) {
			last = t
		}
	}
	return last
}

func meta(profile string, updated time.Time) *Meta {
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	return &Meta{LastUpdated: instant(updated), Profile: []string{profile}}
}

// concept codes key of vs with its NOS system and national label.
func (b *builder) concept(vs ror.ValueSet, key string) CodeableConcept {
	c, ok := b.nom.Lookup(vs, key)
	if !ok {
		return CodeableConcept{Text: key}
	}
	return CodeableConcept{Coding: []Coding{{System: c.System, Code: c.Code, Display: c.Label}}}
}

func (b *builder) concepts(vs ror.ValueSet, keys []string) []CodeableConcept {
	var out []CodeableConcept
	for _, k := range keys {
		out = append(out, b.concept(vs, k))
	}
	return out
}

func (b *builder) commune(insee string) CodeableConcept {
	name := insee
	if c, ok := b.gaz.Commune(insee); ok {
		name = c.Name
	}
	return CodeableConcept{Coding: []Coding{{System: systemCommune, Code: insee, Display: name}}}
}

func creationDate(t time.Time) Extension {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return Extension{URL: extMetaCreationDate, ValueDateTime: instant(t)}
}

func finessIdentifiers(finess string) []Identifier {
	return []Identifier{
		{Use: "official", System: systemIdNatSt, Value: "1" + finess,
			Type: &CodeableConcept{Coding: []Coding{{System: systemTypeIdent, Code: "40", Display: "Identifiant national de structure"}}}},
		{System: systemFINESS, Value: finess,
			Type: &CodeableConcept{Coding: []Coding{{System: systemTypeIdent, Code: "1", Display: "FINESS"}}}},
	}
}

func phone(p string) []ContactPoint {
	if p == "" {
		return nil
	}
	return []ContactPoint{{System: "phone", Value: p, Use: "work"}}
}

func ptr[T any](v T) *T { return &v }

// ejOrganization is the Organization of an EJ.
func (b *builder) ejOrganization(ej ror.EJ, updated time.Time) *Organization {
	return &Organization{Type_: "Organization", ID: ej.FINESS, Meta: meta(profileOrganization, updated),
		Extension: []Extension{creationDate(updated)}, Identifier: finessIdentifiers(ej.FINESS),
		Active: ptr(true), Name: ej.Name}
}

// egOrganization is the Organization of an EG, part of its EJ.
func (b *builder) egOrganization(eg *ror.EG) *Organization {
	o := &Organization{Type_: "Organization", ID: eg.FINESS, Meta: meta(profileOrganization, eg.UpdatedAt),
		Extension: []Extension{creationDate(eg.UpdatedAt)}, Identifier: finessIdentifiers(eg.FINESS),
		Active: ptr(true), Name: eg.Name, Telecom: phone(eg.Phone), Address: []Address{b.address(eg)}}
	if eg.Category != "" {
		o.Type = []CodeableConcept{b.concept(ror.VSCategorieEG, eg.Category)}
	}
	if eg.LongName != "" && eg.LongName != eg.Name {
		o.Alias = []string{eg.LongName}
	}
	if eg.Email != "" {
		o.Telecom = append(o.Telecom, ContactPoint{System: "email", Value: eg.Email, Use: "work"})
	}
	if eg.EJ != "" {
		o.PartOf = &Reference{Reference: "Organization/" + eg.EJ}
	}
	return o
}

func (b *builder) address(eg *ror.EG) Address {
	a := Address{Use: "work", PostalCode: eg.PostalCode, Country: "FRA"}
	if eg.Address != "" {
		a.Line = []string{eg.Address}
	}
	if eg.Commune != "" {
		a.City = b.commune(eg.Commune).Coding[0].Display
		a.Extension = []Extension{{URL: extInseeCode, ValueCodeableConcept: ptr(b.commune(eg.Commune))}}
	}
	return a
}

// healthcareService is the offre of uo through its activité number act.
func (b *builder) healthcareService(uo *ror.UO, eg *ror.EG, act int) *HealthcareService {
	id := serviceID(uo, act)
	updated := lastOf(uo.UpdatedAt, uo.Capacite.UpdatedAt)
	hs := &HealthcareService{Type_: "HealthcareService", ID: id, Meta: meta(profileHealthcareService, updated),
		Identifier: []Identifier{{System: systemOffre, Value: id}},
		Active:     ptr(uo.Statut != ror.StatutFerme),
		ProvidedBy: &Reference{Reference: "Organization/" + eg.FINESS, Display: eg.Name},
		Location:   []Reference{{Reference: "Location/" + uo.ID}},
		Name:       uo.Name, Telecom: phone(uo.Phone), AvailabilityExceptions: uo.Horaires}
	hs.Extension = append(hs.Extension, creationDate(uo.UpdatedAt),
		Extension{URL: extSensitiveUnit, ValueBoolean: ptr(false)}, b.patientType(uo))
	for _, insee := range uo.Zone {
		hs.Extension = append(hs.Extension, Extension{URL: extTerritorialDivision, Extension: []Extension{
			{URL: "codeTerritorialDivision", ValueCodeableConcept: ptr(b.commune(insee))}}})
	}
	if uo.TypeUO != "" {
		hs.Category = []CodeableConcept{b.concept(ror.VSTypeUO, uo.TypeUO)}
	}
	if uo.ChampActivite != "" {
		hs.Type = []CodeableConcept{b.concept(ror.VSChampActivite, uo.ChampActivite)}
	}
	if act >= 0 && act < len(uo.Activites) {
		hs.Specialty = []CodeableConcept{b.concept(ror.VSActivite, uo.Activites[act])}
	}
	hs.Characteristic = append(hs.Characteristic, b.concepts(ror.VSMode, uo.Modes)...)
	for _, a := range uo.Actes {
		c := b.concept(ror.VSActe, a)
		c.Extension = []Extension{{URL: extActType, ValueCode: "specificAct"}}
		hs.Characteristic = append(hs.Characteristic, c)
	}
	hs.Characteristic = append(hs.Characteristic, b.concepts(ror.VSExpertise, uo.Expertises)...)
	hs.Characteristic = append(hs.Characteristic, b.concepts(ror.VSProfession, uo.Professions)...)
	if uo.Statut == ror.StatutFermeTemporair {
		hs.NotAvailable = []NotAvailable{{Description: "Fermée temporairement"}}
	}
	return hs
}

// patientType is the patientèle: publics pris en charge and age range in
// years (the high bound only when the offer sets one).
func (b *builder) patientType(uo *ror.UO) Extension {
	e := Extension{URL: extPatientType}
	for _, p := range uo.Publics {
		e.Extension = append(e.Extension, Extension{URL: "supportedPatientInfo", ValueCodeableConcept: ptr(b.concept(ror.VSPublic, p))})
	}
	years := func(n int) *Quantity {
		return &Quantity{Value: ptr(float64(n)), Unit: "années", System: systemUCUM, Code: "a"}
	}
	r := &Range{Low: years(uo.Patientele.AgeMin)}
	if uo.Patientele.AgeMax > 0 {
		r.High = years(uo.Patientele.AgeMax)
	}
	e.Extension = append(e.Extension, Extension{URL: "ageRange", ValueRange: r})
	return e
}

// location is the place where uo works: its EG's address and position, its
// équipements spécifiques and its capacitaire.
func (b *builder) location(uo *ror.UO, eg *ror.EG) *Location {
	l := &Location{Type_: "Location", ID: uo.ID, Meta: meta(profileLocation, lastOf(uo.UpdatedAt, uo.Capacite.UpdatedAt)),
		Identifier: []Identifier{{System: systemLieu, Value: uo.ID}},
		Status:     locationStatus(uo.Statut), Name: uo.Name + " – " + eg.Name, Telecom: phone(uo.Phone),
		ManagingOrganization: &Reference{Reference: "Organization/" + eg.FINESS, Display: eg.Name}}
	addr := b.address(eg)
	l.Address = &addr
	if eg.Geolocated() {
		l.Position = &Position{Longitude: eg.Point.Lon, Latitude: eg.Point.Lat}
	}
	if eg.Commune != "" {
		l.Extension = append(l.Extension, Extension{URL: extCommuneCog, ValueCodeableConcept: ptr(b.commune(eg.Commune))})
	}
	l.Extension = append(l.Extension, creationDate(uo.UpdatedAt))
	for _, e := range uo.Equipements {
		l.Extension = append(l.Extension, Extension{URL: extLocationEquipment, Extension: []Extension{
			{URL: "equipmentType", ValueCodeableConcept: ptr(b.concept(ror.VSEquipement, e))}}})
	}
	l.Extension = append(l.Extension, b.capacities(&uo.Capacite)...)
	return l
}

func locationStatus(s ror.Statut) string {
	switch s {
	case ror.StatutFerme:
		return "inactive"
	case ror.StatutFermeTemporair:
		return "suspended"
	}
	return "active"
}

// capacities are the capacitaire as the guide's supported-capacity
// extensions: one per statut (installé 01, disponible 02, fermé 05,
// supplémentaire 06), beds (nature 01) or day places (02), current.
func (b *builder) capacities(c *ror.Capacite) []Extension {
	if !c.Known {
		return nil
	}
	var out []Extension
	add := func(nature, statut string, n int) {
		out = append(out, Extension{URL: extSupportedCapacity, Extension: []Extension{
			{URL: "capacityType", ValueCodeableConcept: ptr(b.concept("TRE_R329", nature))},
			{URL: "capacityStatus", ValueCodeableConcept: ptr(b.concept(ror.VSStatutCap, statut))},
			{URL: "temporalityCapacity", ValueCodeableConcept: ptr(b.concept("JDV_J189", "01"))},
			{URL: "nbCapacity", ValueInteger: ptr(n)},
			{URL: "capacitySourceType", ValueCodeableConcept: ptr(b.concept("JDV_J193", "01"))},
			{URL: "capacityUpdateDate", ValueDateTime: instant(lastOf(c.UpdatedAt, time.Unix(0, 0)))},
			{URL: "temporaryAssignement", ValueCodeableConcept: ptr(b.concept("JDV_J195", "01"))},
		}})
	}
	if c.Installes > 0 || c.Disponibles > 0 || c.Fermes > 0 || c.Supplementaires > 0 {
		add("01", "01", c.Installes)
		add("01", "02", c.Disponibles)
		add("01", "05", c.Fermes)
		add("01", "06", c.Supplementaires)
	}
	if c.Places > 0 {
		add("02", "01", c.Places)
	}
	return out
}
