package fhir

// Canonical URLs of the ROR FHIR guide (ANS, ans.fhir.fr.ror) and of the
// NOS code systems the resources cite.
const (
	igBase = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"

	profileOrganization      = igBase + "ror-organization"
	profileHealthcareService = igBase + "ror-healthcareservice"
	profileLocation          = igBase + "ror-location"

	extMetaCreationDate       = igBase + "ror-meta-creation-date"
	extSensitiveUnit          = igBase + "ror-healthcareservice-sensitive-unit"
	extPatientType            = igBase + "ror-healthcareservice-patient-type"
	extTerritorialDivision    = igBase + "ror-territorial-division"
	extActType                = igBase + "ror-act-type"
	extCommuneCog             = igBase + "ror-commune-cog"
	extLocationEquipment      = igBase + "ror-location-equipment"
	extSupportedCapacity      = igBase + "ror-location-supported-capacity"
	extLocationDistance       = "http://hl7.org/fhir/StructureDefinition/location-distance"
	extTelecomChannel         = igBase + "ror-telecom-communication-channel"
	extTelecomConfidentiality = igBase + "ror-telecom-confidentiality-level"
	extInseeCode              = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code"

	nos                = "https://mos.esante.gouv.fr/NOS/"
	systemCommune      = nos + "TRE_R13-Commune/FHIR/TRE-R13-Commune"
	systemTypeIdent    = nos + "TRE_G07-TypeIdentifiantStructure/FHIR/TRE-G07-TypeIdentifiantStructure"
	systemTypeDivision = nos + "TRE_R201-TypeDivisionTerritoriale/FHIR/TRE-R201-TypeDivisionTerritoriale"

	systemFINESS   = "https://finess.esante.gouv.fr"
	systemIdNatSt  = "urn:oid:1.2.250.1.71.4.2.2" // idNatStruct: "1" + FINESS
	systemOffre    = "urn:ror-recherche:offre-operationnelle"
	systemLieu     = "urn:ror-recherche:lieu"
	systemUCUM     = "http://unitsofmeasure.org"
	fhirVersion    = "4.0.1"
	mimeFHIRJSON   = "application/fhir+json"
	maxPage        = 200 // matches per page at most (_count); every match is paged
	defaultCount   = 50
	maxIncludeRefs = 2000
)
