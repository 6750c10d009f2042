package fhir

import (
	"time"

	"github.com/ror-recherche/ror"
)

// Lieux de réalisation as Locations. A UO at its EG's address keeps the
// Location it always had (id = the UO's id: the EG's address, the UO's
// équipements and beds); each lieu a dossier declared is a Location of its
// own (id = the lieu's id) with its fonction (JDV_J198) as type, its
// address, commune and position, its opening hours, and the capacitaire of
// the units whose beds are there (their first lieu). HealthcareService.
// location points to the Locations of every lieu of its UO.

// locationRefs are the Locations where uo delivers its offer.
func locationRefs(uo *ror.UO) []Reference {
	ids := uo.LieuxOf()
	out := make([]Reference, 0, len(ids))
	for _, id := range ids {
		if id == uo.EG {
			out = append(out, Reference{Reference: "Location/" + uo.ID})
		} else {
			out = append(out, Reference{Reference: "Location/" + id})
		}
	}
	return out
}

// declaredLieux are the ids of the declared lieux uo lists.
func declaredLieux(uo *ror.UO) []string {
	var out []string
	for _, id := range uo.Lieux {
		if id != uo.EG {
			out = append(out, id)
		}
	}
	return out
}

// lieuLocation is the Location of a declared lieu of eg, delivering the
// offer of units.
func (b *builder) lieuLocation(l *ror.Lieu, eg *ror.EG, units []ror.UO) *Location {
	updated := l.UpdatedAt
	var capTime time.Time
	for i := range units {
		if units[i].BedsAt() == l.ID {
			updated = lastOf(updated, units[i].Capacite.UpdatedAt)
			capTime = lastOf(capTime, capStamp(&units[i].Capacite))
		}
	}
	loc := &Location{Type_: "Location", ID: l.ID, Meta: meta(profileLocation, updated, l.Version, capTime),
		Identifier:             []Identifier{{System: systemLieu, Value: l.ID}},
		Status:                 locationStatus(l.Statut),
		Type:                   []CodeableConcept{b.concept(ror.VSFonctionLieu, l.Fonction)},
		Name:                   l.Name,
		ManagingOrganization:   &Reference{Reference: "Organization/" + eg.FINESS, Display: eg.Name},
		AvailabilityExceptions: l.Horaires}
	a := Address{Use: "work", PostalCode: l.PostalCode, Country: "FRA"}
	if l.Address != "" {
		a.Line = []string{l.Address}
	}
	if l.Commune != "" {
		a.City = b.commune(l.Commune).Coding[0].Display
		a.Extension = []Extension{{URL: extInseeCode, ValueCoding: &b.commune(l.Commune).Coding[0]}}
	}
	loc.Address = &a
	if l.Point.Valid() {
		loc.Position = &Position{Longitude: l.Point.Lon, Latitude: l.Point.Lat}
	}
	if l.Commune != "" {
		loc.Extension = append(loc.Extension, Extension{URL: extCommuneCog, ValueCodeableConcept: ptr(b.commune(l.Commune))})
	}
	loc.Extension = append(loc.Extension, creationDate(l.UpdatedAt))
	seen := map[string]bool{}
	for i := range units {
		for _, e := range units[i].Equipements {
			if !seen[e] {
				seen[e] = true
				loc.Extension = append(loc.Extension, Extension{URL: extLocationEquipment, Extension: []Extension{
					{URL: "equipmentType", ValueCodeableConcept: ptr(b.concept(ror.VSEquipement, e))}}})
			}
		}
	}
	for i := range units {
		if units[i].BedsAt() == l.ID {
			loc.Extension = append(loc.Extension, b.capacities(&units[i].Capacite)...)
		}
	}
	return loc
}

// lieuResource reads the Location of the declared lieu id; nil when none.
func (b *builder) lieuResource(id string) *Location {
	l, eg, units, ok := b.d.LieuRecord(id)
	if !ok {
		return nil
	}
	return b.lieuLocation(&l, &eg, units)
}

// metaTime is the lastUpdated of a resource's meta.
func metaTime(m *Meta) time.Time {
	t, _ := time.Parse(time.RFC3339, m.LastUpdated)
	return t
}
