package fhir

import "github.com/ror-recherche/ror"

// The search parameters served, per resource: the guide's consumer
// interface (ror-consommateur) restricted to what the directory holds. The
// CapabilityStatement is written from these tables, so it lists exactly
// what is supported.

var characteristicSets = []ror.ValueSet{ror.VSMode, ror.VSActe, ror.VSExpertise, ror.VSProfession,
	"JDV_J226", "JDV_J30", "JDV_J33", "JDV_J35"}

// locationParams are Location's own parameters; HealthcareService reaches
// them chained (location.x).
var locationParams = []*paramDef{
	{name: "near", typ: "special", def: sp + "Location-near", noComma: true, compile: near,
		doc: "Lieux à moins d'une distance d'un point WGS84 : latitude|longitude|distance|unité (km ou m), les plus proches d'abord"},
	{name: "near-insee-code", typ: "special", def: rorSP + "ror-sp-location-near-insee-code", noComma: true, compile: nearInsee,
		doc: "Lieux à moins d'une distance du centre d'une commune : codeINSEE|distance|unité"},
	{name: "commune-cog", typ: "token", def: rorSP + "ror-sp-location-commune-cog", compile: communeToken(placeCommune),
		doc: "Code officiel géographique (TRE_R13) de la commune du lieu"},
	{name: "address-postalcode", typ: "string", def: sp + "Location-address-postalcode", compile: postalCode,
		doc: "Début du code postal : département (2 chiffres, 2A/2B) ou code complet"},
	{name: "address-city", typ: "string", def: sp + "Location-address-city", compile: city,
		doc: "Localité de l'adresse (nom de la commune)"},
	{name: "equipment-type", typ: "token", def: rorSP + "ror-sp-equipment-type", compile: coded(ror.VSEquipement),
		doc: "Équipement spécifique (JDV_J18, TRE_R212) du lieu"},
	{name: "intervention-zone", typ: "token", def: rorSP + "ror-sp-healthcareservice-intervention-zone", compile: communeToken(uoZone),
		doc: "Commune (TRE_R13) de la zone d'intervention de l'offre réalisée en ce lieu"},
	{name: "status", typ: "token", def: sp + "Location-status", compile: locationStatusToken,
		doc: "Statut du lieu : active, suspended (fermé temporairement), inactive (fermé)"},
	// the capacity criteria: all those of a request hold on the same
	// supported-capacity entry (capacity.go)
	{name: "capacity-status", typ: "token", def: rorSP + "ror-sp-capacity-status", compile: capToken(ror.VSStatutCap, func(e *capEntry) string { return e.statut }),
		doc: "Statut de la capacité (TRE_R330) : 01 installée, 02 disponible, 05 fermée, 06 supplémentaire ; avec les autres critères capacitaires, sur la même capacité"},
	{name: "nb-capacity", typ: "number", def: rorSP + "ror-sp-nb-capacity", compile: capNumber,
		doc: "Nombre de lits ou places de la capacité (préfixes eq, ne, gt, lt, ge, le)"},
	{name: "capacity-type", typ: "token", def: rorSP + "ror-sp-capacity-type", compile: capToken("TRE_R329", func(e *capEntry) string { return e.nature }),
		doc: "Nature de la capacité (TRE_R329) : 01 lits, 02 places"},
	{name: "temporality-capacity", typ: "token", def: rorSP + "ror-sp-temporality-capacity", compile: capToken("JDV_J189", func(e *capEntry) string { return e.temporality }),
		doc: "Temporalité de la capacité (TRE_R331) : 01 courante (seule servie)"},
	{name: "capacity-update-date", typ: "date", def: rorSP + "ror-sp-capacity-update-date", compile: capDate,
		doc: "Date de mise à jour de la capacité dans la source (préfixes)"},
}

// locationStatusToken compiles Location status (active, suspended, inactive).
func locationStatusToken(c *compiler, v, mod string) (atom, error) {
	tok := parseToken(v)
	if tok.hasSystem && tok.system != "" && tok.system != "http://hl7.org/fhir/location-status" {
		return atom{}, invalid("", "le système « %s » n'est pas celui des statuts de lieu (http://hl7.org/fhir/location-status)", tok.system)
	}
	switch tok.code {
	case "active", "suspended", "inactive":
	default:
		return atom{}, invalid("", "« %s » n'est pas un statut de lieu : active, suspended ou inactive", tok.code)
	}
	return atom{match: func(o *offer) bool { return locationStatus(o.uo.Statut) == tok.code }}, nil
}

// guideParams are the search parameters of the guide's consumer
// CapabilityStatement (ror-consommateur, rest[0].resource[*].searchParam)
// this service does not serve: asked for, they answer 400 not-supported
// (ignored, with a warning, only under Prefer: handling=lenient).
var guideParams = map[string][]string{
	"Location": {"_tag", "type", "additional-bed-type", "capacity-closing-type", "crisis-type", "equipment-feature",
		"gender-capacity-available", "limit-value", "residential-number", "residential-type", "temporary-assignement"},
	"HealthcareService": {"_tag", "psychiatric-sector"},
	"Organization": {"_tag", "_filter", "closing-type", "drop-zone", "period-end", "price-amount-value",
		"price-dependency-level", "price-residential-type", "price-type", "price-unit", "price-validity-start-date",
		"price-welcome-type", "special-price"},
}

// organizationChain are the providedBy parameters HealthcareService reaches
// chained (organization.x or providedBy.x).
var organizationChain = []*paramDef{
	{name: "_lastUpdated", typ: "date", def: sp + "Resource-lastUpdated", compile: orgLastUpdated,
		doc: "Date de la dernière mise à jour de l'EG (préfixes)"},
	{name: "type", typ: "token", def: sp + "Organization-type", compile: coded(ror.VSCategorieEG),
		doc: "Catégorie d'établissement (JDV_J55, TRE_R66) de l'EG"},
	{name: "identifier", typ: "token", def: sp + "Organization-identifier", compile: finessOf(func(o *offer) (string, string) { return o.eg.FINESS, o.eg.EJ }),
		doc: "FINESS de l'EG (ou de son EJ)"},
}

var serviceParams = []*paramDef{
	{name: "_id", typ: "token", def: sp + "Resource-id", compile: identity("", offerID), doc: "Identifiant de l'offre"},
	{name: "identifier", typ: "token", def: sp + "HealthcareService-identifier", compile: identity(systemOffre, offerID), doc: "Identifiant de l'offre"},
	{name: "_lastUpdated", typ: "date", def: sp + "Resource-lastUpdated", compile: lastUpdated, doc: "Date de la dernière mise à jour (préfixes eq, ge, gt, le, lt, ne)"},
	{name: "name", typ: "string", def: sp + "HealthcareService-name", compile: text(func(o *offer) string { return o.uo.Name }), doc: "Nom de l'offre (:contains, :exact)"},
	{name: "service-category", typ: "token", def: sp + "HealthcareService-service-category", compile: coded(ror.VSTypeUO), doc: "Type d'offre (JDV_J238, TRE_R244)"},
	{name: "service-type", typ: "token", def: sp + "HealthcareService-service-type", compile: coded(ror.VSChampActivite), doc: "Champ d'activité (JDV_J20, TRE_R227)"},
	{name: "specialty", typ: "token", def: sp + "HealthcareService-specialty", compile: coded(ror.VSActivite), doc: "Activité opérationnelle (JDV_J17, TRE_R211)"},
	{name: "speciality", typ: "token", def: sp + "HealthcareService-specialty", compile: coded(ror.VSActivite), doc: "Synonyme de specialty"},
	{name: "characteristic", typ: "token", def: sp + "HealthcareService-characteristic", compile: coded(characteristicSets...),
		doc: "Mode de prise en charge (TRE_R213), acte spécifique (TRE_R210), niveau d'expertise (TRE_R253/R344), profession ressource (JDV_J186) ; modalité d'accueil, temporalité, compétence, spécialisation : codes reconnus, non renseignés ici"},
	{name: "patient-type", typ: "token", def: rorSP + "ror-sp-healthcareservice-patient-type", compile: coded(ror.VSPublic), doc: "Public pris en charge (JDV_J29, TRE_R239)"},
	{name: "age-range-low", typ: "quantity", def: rorSP + "ror-sp-healthcareservice-age-range-low", compile: age(ageLow), doc: "Âge minimum de la patientèle, en années (préfixes)"},
	{name: "age-range-high", typ: "quantity", def: rorSP + "ror-sp-healthcareservice-age-range-high", compile: age(ageHigh), doc: "Âge maximum de la patientèle, en années (sans borne : illimité)"},
	{name: "intervention-zone", typ: "token", def: rorSP + "ror-sp-healthcareservice-intervention-zone", compile: communeToken(uoZone), doc: "Commune (TRE_R13) de la zone d'intervention"},
	{name: "location", typ: "reference", def: sp + "HealthcareService-location", compile: reference("Location", locationID), doc: "Lieu de réalisation de l'offre"},
	{name: "organization", typ: "reference", def: sp + "HealthcareService-organization", compile: reference("Organization", func(o *offer) string { return o.eg.FINESS }), doc: "EG qui réalise l'offre"},
}

// lookup finds a HealthcareService parameter, chained ones included:
// location.x, organization.x and providedBy.x (":" accepted for ".").
func serviceParam(name string) *paramDef {
	if p := find(serviceParams, name); p != nil {
		return p
	}
	for _, sep := range []string{".", ":"} {
		if rest, ok := cutPrefix(name, "location"+sep); ok {
			return find(locationParams, rest)
		}
		for _, ref := range []string{"organization", "providedBy"} {
			if rest, ok := cutPrefix(name, ref+sep); ok {
				return find(organizationChain, rest)
			}
		}
	}
	return nil
}

// locationParam finds a Location parameter.
func locationParam(name string) *paramDef {
	if p := find(locationOwn, name); p != nil {
		return p
	}
	return find(locationParams, name)
}

var locationOwn = []*paramDef{
	{name: "_id", typ: "token", def: sp + "Resource-id", compile: identity("", locationID), doc: "Identifiant du lieu"},
	{name: "identifier", typ: "token", def: sp + "Location-identifier", compile: identity(systemLieu, locationID), doc: "Identifiant du lieu"},
	{name: "_lastUpdated", typ: "date", def: sp + "Resource-lastUpdated", compile: lastUpdated, doc: "Date de la dernière mise à jour (capacitaire compris)"},
	{name: "organization", typ: "reference", def: sp + "Location-organization", compile: reference("Organization", func(o *offer) string { return o.eg.FINESS }), doc: "EG qui gère le lieu"},
}

func find(defs []*paramDef, name string) *paramDef {
	for _, p := range defs {
		if p.name == name {
			return p
		}
	}
	return nil
}

func cutPrefix(s, prefix string) (string, bool) {
	if len(s) > len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):], true
	}
	return "", false
}

// finessOf compiles an Organization identifier against the FINESS of an EG
// and of its EJ: FINESS system, idNatStruct ("1" + FINESS) or no system.
func finessOf(ids func(o *offer) (eg, ej string)) func(c *compiler, v, mod string) (atom, error) {
	return func(c *compiler, v, mod string) (atom, error) {
		tok := parseToken(v)
		code := tok.code
		switch {
		case !tok.hasSystem || tok.system == "" || tok.system == systemFINESS:
		case tok.system == systemIdNatSt:
			if len(code) < 2 || code[0] != '1' {
				return atom{}, invalid("", "un idNatStruct FINESS commence par 1 suivi du numéro FINESS")
			}
			code = code[1:]
		default:
			return atom{}, invalid("", "le système d'identifiants « %s » est inconnu : utiliser %s ou %s", tok.system, systemFINESS, systemIdNatSt)
		}
		if code == "" {
			return atom{}, invalid("", "l'identifiant est vide")
		}
		return atom{match: func(o *offer) bool { eg, ej := ids(o); return eg == code || ej == code }}, nil
	}
}

// city compiles address-city against the name of the place's commune.
func city(c *compiler, v, mod string) (atom, error) {
	return text(func(o *offer) string {
		com, _ := c.gaz.Commune(o.commune())
		return com.Name
	})(c, v, mod)
}

// organizationParams are Organization's parameters; an EJ is seen as an
// EG record holding only its FINESS and name (its category is empty).
var organizationParams = []*paramDef{
	{name: "_id", typ: "token", def: sp + "Resource-id", compile: identity("", func(o *offer) string { return o.eg.FINESS }), doc: "Numéro FINESS"},
	{name: "identifier", typ: "token", def: sp + "Organization-identifier", compile: finessOf(func(o *offer) (string, string) { return o.eg.FINESS, "" }),
		doc: "FINESS (https://finess.esante.gouv.fr) ou idNatStruct (urn:oid:1.2.250.1.71.4.2.2, 1 + FINESS)"},
	{name: "name", typ: "string", def: sp + "Organization-name", compile: text(func(o *offer) string { return o.eg.Name + " " + o.eg.LongName }), doc: "Raison sociale ou dénomination (:contains, :exact)"},
	{name: "type", typ: "token", def: sp + "Organization-type", compile: coded(ror.VSCategorieEG), doc: "Catégorie d'établissement (JDV_J55, TRE_R66)"},
	{name: "address-postalcode", typ: "string", def: sp + "Organization-address-postalcode", compile: postalCode, doc: "Début du code postal de l'EG"},
	{name: "_lastUpdated", typ: "date", def: sp + "Resource-lastUpdated", compile: orgLastUpdated, doc: "Date de la dernière mise à jour (préfixes eq, ge, gt, le, lt, ne)"},
	{name: "partof", typ: "reference", def: sp + "Organization-partof", compile: reference("Organization", func(o *offer) string { return o.eg.EJ }), doc: "EJ dont l'EG fait partie"},
}

func organizationParam(name string) *paramDef { return find(organizationParams, name) }

// orgLastUpdated compiles _lastUpdated on Organization: the EG's update
// (an EJ's is carried in the same field, see organizations).
func orgLastUpdated(c *compiler, v, mod string) (atom, error) {
	in, err := dateCriterion(v)
	if err != nil {
		return atom{}, err
	}
	return atom{match: func(o *offer) bool { return in(o.eg.UpdatedAt) }}, nil
}
