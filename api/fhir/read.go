package fhir

import (
	"slices"
	"sort"

	"github.com/gofiber/fiber/v2"
)

// read answers GET /fhir/{typ}/{id}.
func (h *Handler) read(typ string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := h.dir()
		if err != nil {
			return err
		}
		id := c.Params("id")
		b := newBuilder(d)
		var r Resource
		switch typ {
		case "Organization":
			if eg, _, ok := d.EGRecord(id); ok {
				r = b.egOrganization(&eg)
			} else if ej, since, ok := d.EJ(id); ok {
				r = b.ejOrganization(ej, since)
			}
		case "Location":
			if uo, eg, ok := d.UORecord(id); ok {
				r = b.location(&uo, &eg)
			}
		case "HealthcareService":
			uoID, code := splitServiceID(id)
			if uo, eg, ok := d.UORecord(uoID); ok {
				if act := slices.Index(uo.Activites, code); act >= 0 || code == "" && len(uo.Activites) == 0 {
					r = b.healthcareService(&uo, &eg, act)
				}
			}
		}
		if r == nil {
			return notFound("%s/%s n'existe pas.", typ, id)
		}
		return write(c, fiber.StatusOK, r)
	}
}

func sortRecs[T any](list []T, key func(T) string) {
	sort.Slice(list, func(i, j int) bool { return key(list[i]) < key(list[j]) })
}
