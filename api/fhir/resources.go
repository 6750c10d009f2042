package fhir

import (
	"strconv"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// builder turns the directory's records into the guide's resources.
type builder struct {
	d   Records
	nom *ror.Nomenclature
	gaz ror.Gazetteer
}

func newBuilder(d Records) *builder {
	return &builder{d: d, nom: d.Nomenclature(), gaz: d.Gazetteer()}
}

// serviceID names the offre of a UO through one activité and, when the
// UO has several modes de prise en charge, one of them (the profile's
// characteristic[careMode] is 1..1): "<UO id>.<activité>" or
// "<UO id>.<activité>.m<mode>", the activité left out when the UO has none.
func serviceID(uo *ror.UO, activite, mode int) string {
	id := uo.ID
	if activite >= 0 && activite < len(uo.Activites) {
		id += "." + uo.Activites[activite]
	}
	if mode >= 0 && mode < len(uo.Modes) {
		id += ".m" + uo.Modes[mode]
	}
	return id
}

// splitServiceID is the inverse of serviceID: the UO, the activité code
// ("" for none) and the mode code ("" when the UO's modes are not split).
func splitServiceID(id string) (uoID, activite, mode string) {
	parts := strings.Split(id, ".")
	uoID = parts[0]
	for _, p := range parts[1:] {
		if m, ok := strings.CutPrefix(p, "m"); ok {
			mode = m
		} else {
			activite = p
		}
	}
	return uoID, activite, mode
}

// modeVariants are the mode indexes a UO's offres split on: one per mode
// when it has several, else the single NoMode offre.
func modeVariants(uo *ror.UO) []int {
	if len(uo.Modes) <= 1 {
		return []int{noMode}
	}
	out := make([]int, len(uo.Modes))
	for i := range out {
		out[i] = i
	}
	return out
}

// noMode is the mode index of an offre that carries all its UO's modes
// (none or one).
const noMode = -1

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

// meta is a resource's meta: its version (the record's, bumped by every
// published change; a capacitaire write makes a new one too) and the time
// of its last change.
func meta(profile string, updated time.Time, version int, capacity time.Time) *Meta {
	if updated.IsZero() {
		updated = time.Unix(0, 0)
	}
	v := strconv.Itoa(max(version, 1))
	if !capacity.IsZero() {
		v += "." + strconv.FormatInt(capacity.Unix(), 10)
	}
	return &Meta{VersionID: v, LastUpdated: instant(updated), Profile: []string{profile}}
}

// concept codes key of vs with its NOS system and national label; a key
// the nomenclature lacks keeps a coding in the value set's system (any
// concept of vs names it), so that a type is always coded.
func (b *builder) concept(vs ror.ValueSet, key string) CodeableConcept {
	c, ok := b.nom.Lookup(vs, key)
	if !ok {
		for _, any := range b.nom.Concepts(vs) {
			return CodeableConcept{Coding: []Coding{{System: any.System, Code: key}}}
		}
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

// provenanceURI names where a unit's description comes from, as
// meta.source: the rule that derived it, the dossier that validated it, or
// the file that declared it.
func provenanceURI(p ror.Provenance) string {
	switch p.Kind {
	case ror.ProvenanceDerivee:
		return "urn:ror-recherche:regle:" + p.Rule
	case ror.ProvenanceValidee:
		return "urn:ror-recherche:" + strings.ReplaceAll(p.Source, " ", ":")
	case ror.ProvenanceDeclaree:
		return "urn:ror-recherche:declaree"
	}
	return ""
}

func finessIdentifiers(finess string) []Identifier {
	return []Identifier{
		{Use: "official", System: systemIdNatSt, Value: "1" + finess,
			Type: &CodeableConcept{Coding: []Coding{{System: systemTypeIdent, Code: "40", Display: "Identifiant national de structure"}}}},
		{System: systemFINESS, Value: finess,
			Type: &CodeableConcept{Coding: []Coding{{System: systemTypeIdent, Code: "1", Display: "FINESS"}}}},
	}
}

// The telecom extensions the profiles require (1..1 each): the channel
// (TRE_R200: 2 téléphone fixe, 3 courrier électronique) and the
// confidentiality (TRE_R283: 1 accès libre, these numbers being FINESS's
// public ones).
const (
	systemCanal           = nos + "TRE_R200-CanalCommunication/FHIR/TRE-R200-CanalCommunication"
	systemConfidentialite = nos + "TRE_R283-NiveauConfidentialite/FHIR/TRE-R283-NiveauConfidentialite"
)

func contactPoint(system, value string) ContactPoint {
	canal := Coding{System: systemCanal, Code: "2", Display: "Téléphone fixe"}
	if system == "email" {
		canal = Coding{System: systemCanal, Code: "3", Display: "Courrier électronique"}
	}
	return ContactPoint{System: system, Value: value, Use: "work", Extension: []Extension{
		{URL: extTelecomChannel, ValueCodeableConcept: &CodeableConcept{Coding: []Coding{canal}}},
		{URL: extTelecomConfidentiality, ValueCodeableConcept: &CodeableConcept{Coding: []Coding{{System: systemConfidentialite, Code: "1", Display: "Accès libre"}}}},
	}}
}

func phone(p string) []ContactPoint {
	if p == "" {
		return nil
	}
	return []ContactPoint{contactPoint("phone", p)}
}

func ptr[T any](v T) *T { return &v }

// ejOrganization is the Organization of an EJ.
func (b *builder) ejOrganization(ej ror.EJ, updated time.Time) *Organization {
	return &Organization{Type_: "Organization", ID: ej.FINESS, Meta: meta(profileOrganization, updated, 1, time.Time{}),
		Extension: []Extension{creationDate(updated)}, Identifier: finessIdentifiers(ej.FINESS),
		Active: ptr(true), Name: ej.Name}
}

// egOrganization is the Organization of an EG, part of its EJ.
func (b *builder) egOrganization(eg *ror.EG) *Organization {
	o := &Organization{Type_: "Organization", ID: eg.FINESS, Meta: meta(profileOrganization, eg.UpdatedAt, eg.Version, time.Time{}),
		Extension: []Extension{creationDate(eg.UpdatedAt)}, Identifier: finessIdentifiers(eg.FINESS),
		Active: ptr(true), Name: eg.Name, Telecom: phone(eg.Phone), Address: []Address{b.address(eg)}}
	if eg.Category != "" {
		o.Type = []CodeableConcept{b.concept(ror.VSCategorieEG, eg.Category)}
	}
	if eg.LongName != "" && eg.LongName != eg.Name {
		o.Alias = []string{eg.LongName}
	}
	if eg.Email != "" {
		o.Telecom = append(o.Telecom, contactPoint("email", eg.Email))
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
		a.Extension = []Extension{{URL: extInseeCode, ValueCoding: &b.commune(eg.Commune).Coding[0]}} // FR Core: a Coding
	}
	return a
}

// healthcareService is the offre of uo through its activité number act.
func (b *builder) healthcareService(uo *ror.UO, eg *ror.EG, act, mode int) *HealthcareService {
	id := serviceID(uo, act, mode)
	updated := lastOf(uo.UpdatedAt, uo.Capacite.UpdatedAt)
	hs := &HealthcareService{Type_: "HealthcareService", ID: id, Meta: meta(profileHealthcareService, updated, uo.Version, capStamp(&uo.Capacite)),
		Identifier: []Identifier{{System: systemOffre, Value: id}},
		Active:     ptr(uo.Statut != ror.StatutFerme),
		ProvidedBy: &Reference{Reference: "Organization/" + eg.FINESS, Display: eg.Name},
		Location:   locationRefs(uo),
		Name:       uo.Name, Telecom: phone(uo.Phone), AvailabilityExceptions: uo.Horaires,
		Comment: uo.Provenance.Label()}
	hs.Meta.Source = provenanceURI(uo.Provenance)
	hs.Extension = append(hs.Extension, creationDate(uo.UpdatedAt),
		Extension{URL: extSensitiveUnit, ValueBoolean: ptr(false)}, b.patientType(uo))
	for _, insee := range uo.Zone {
		hs.Extension = append(hs.Extension, Extension{URL: extTerritorialDivision, Extension: []Extension{
			{URL: "typeTerritorialDivision", ValueCodeableConcept: &CodeableConcept{Coding: []Coding{{System: systemTypeDivision, Code: "3", Display: "Commune"}}}},
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
	if mode >= 0 && mode < len(uo.Modes) {
		hs.Characteristic = append(hs.Characteristic, b.concept(ror.VSMode, uo.Modes[mode]))
	} else {
		hs.Characteristic = append(hs.Characteristic, b.concepts(ror.VSMode, uo.Modes)...)
	}
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
	for _, p := range publicsOf(uo) {
		e.Extension = append(e.Extension, Extension{URL: "supportedPatientInfo", ValueCodeableConcept: ptr(b.concept(ror.VSPublic, p))})
	}
	years := func(n int) *Quantity {
		return &Quantity{Value: ptr(float64(n)), Unit: "années", System: systemUCUM, Code: "a"}
	}
	r := &Range{Low: years(uo.Patientele.AgeMin), High: years(int(ageHigh(uo.Patientele)))}
	e.Extension = append(e.Extension, Extension{URL: "ageRange", ValueRange: r})
	return e
}

// location is the place where uo works at its EG's address: the position,
// its équipements spécifiques and, when its beds are there, its capacitaire.
func (b *builder) location(uo *ror.UO, eg *ror.EG) *Location {
	l := &Location{Type_: "Location", ID: uo.ID, Meta: meta(profileLocation, lastOf(uo.UpdatedAt, uo.Capacite.UpdatedAt), uo.Version, capStamp(&uo.Capacite)),
		Identifier: []Identifier{{System: systemLieu, Value: uo.ID}},
		Status:     locationStatus(uo.Statut), OperationalStatus: operationalStatus(uo),
		Type: []CodeableConcept{b.concept("JDV_J198", fonctionLieu(uo))},
		Name: uo.Name + " – " + eg.Name, Telecom: phone(uo.Phone),
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
	if uo.BedsAt() == uo.EG { // beds at a declared lieu are on that lieu's Location, not here
		l.Extension = append(l.Extension, b.capacities(&uo.Capacite)...)
	}
	return l
}

// capStamp is the capacitaire's time when it is known: part of the
// version of the resources that show it.
func capStamp(c *ror.Capacite) time.Time {
	if !c.Known {
		return time.Time{}
	}
	return c.UpdatedAt
}

// publicsOf are the publics (JDV_J29) of an offre: those the record names,
// else « 07 Tout public » (derived: a sanitary unit of the ROR takes every
// public unless it says whom it reserves itself to).
func publicsOf(uo *ror.UO) []string {
	if len(uo.Publics) > 0 {
		return uo.Publics
	}
	return []string{publicTout}
}

const publicTout = "07"

// fonctionLieu is the place's function (JDV_J198, TRE_R343): the
// hébergement of its champ d'activité when it has beds or places (001 MCO,
// 002 PSY, 003 MS, 004 SMR), else « 005 Adresse ».
func fonctionLieu(uo *ror.UO) string {
	if c := uo.Capacite; c.Known && (c.Installes > 0 || c.Places > 0) {
		switch uo.ChampActivite {
		case "01":
			return "001"
		case "03":
			return "002"
		case "04":
			return "003"
		case "02":
			return "004"
		}
	}
	return "005"
}

// operationalStatus is the bed status of the place (HL7 v2 table 0116): C
// closed when the unit is closed, U unoccupied when a bed is available, O
// occupied when its beds are all taken; none without a capacitaire.
func operationalStatus(uo *ror.UO) *Coding {
	const system = "http://terminology.hl7.org/CodeSystem/v2-0116"
	switch c := uo.Capacite; {
	case uo.Statut != ror.StatutActif:
		return &Coding{System: system, Code: "C", Display: "Closed"}
	case !c.Known || c.Installes == 0 && c.Disponibles == 0:
		return nil
	case c.Disponibles > 0:
		return &Coding{System: system, Code: "U", Display: "Unoccupied"}
	default:
		return &Coding{System: system, Code: "O", Display: "Occupied"}
	}
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
// extensions (capacity.go).
func (b *builder) capacities(c *ror.Capacite) []Extension {
	var out []Extension
	for _, e := range capEntries(c) {
		out = append(out, Extension{URL: extSupportedCapacity, Extension: []Extension{
			{URL: "capacityType", ValueCodeableConcept: ptr(b.concept("TRE_R329", e.nature))},
			{URL: "capacityStatus", ValueCodeableConcept: ptr(b.concept(ror.VSStatutCap, e.statut))},
			{URL: "temporalityCapacity", ValueCodeableConcept: ptr(b.concept("JDV_J189", e.temporality))},
			{URL: "nbCapacity", ValueInteger: ptr(e.n)},
			{URL: "capacitySourceType", ValueCodeableConcept: ptr(b.concept("JDV_J193", "01"))},
			{URL: "capacityUpdateDate", ValueDateTime: instant(lastOf(e.updated, time.Unix(0, 0)))},
			{URL: "temporaryAssignement", ValueCodeableConcept: ptr(b.concept("JDV_J195", "01"))},
		}})
	}
	return out
}
