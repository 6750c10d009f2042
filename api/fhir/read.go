package fhir

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

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
			} else if l := b.lieuResource(id); l != nil {
				r = l
			}
		case "HealthcareService":
			uoID, code, modeCode := splitServiceID(id)
			if uo, eg, ok := d.UORecord(uoID); ok {
				act := slices.Index(uo.Activites, code)
				mode := noMode
				if modeCode != "" {
					mode = slices.Index(uo.Modes, modeCode)
				}
				okAct := act >= 0 || code == "" && len(uo.Activites) == 0
				okMode := len(uo.Modes) <= 1 && modeCode == "" || len(uo.Modes) > 1 && mode >= 0
				if okAct && okMode {
					r = b.healthcareService(&uo, &eg, act, mode)
				}
			}
		}
		if r == nil {
			return notFound("%s/%s n'existe pas.", typ, id)
		}
		if m := metaOf(r); m != nil && m.VersionID != "" {
			etag := `W/"` + m.VersionID + `"`
			c.Set(fiber.HeaderETag, etag)
			if t, err := time.Parse(time.RFC3339, m.LastUpdated); err == nil {
				c.Set(fiber.HeaderLastModified, t.UTC().Format(http.TimeFormat))
			}
			if inm := c.Get(fiber.HeaderIfNoneMatch); inm != "" && etagMatches(inm, m.VersionID) {
				return c.SendStatus(fiber.StatusNotModified)
			}
		}
		return write(c, fiber.StatusOK, r)
	}
}

func metaOf(r Resource) *Meta {
	switch x := r.(type) {
	case *Organization:
		return x.Meta
	case *Location:
		return x.Meta
	case *HealthcareService:
		return x.Meta
	}
	return nil
}

// etagMatches reports whether an If-None-Match header names version
// (weak or strong, or *).
func etagMatches(header, version string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || strings.Trim(t, `"`) == version {
			return true
		}
	}
	return false
}

func sortRecs[T any](list []T, key func(T) string) {
	sort.Slice(list, func(i, j int) bool { return key(list[i]) < key(list[j]) })
}
