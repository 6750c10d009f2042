package api

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// bedEG is one établissement of « Modifier mon capacitaire » with the
// units whose beds its bed manager keeps.
type bedEG struct {
	FINESS string    `json:"finess"`
	Name   string    `json:"nom"`
	UOs    []bedUnit `json:"uo"`
}

type bedUnit struct {
	Lieu     bedLieu      `json:"lieu"` // where its beds are: the table groups units by it
	ID       string       `json:"id"`
	Name     string       `json:"nom"`
	TypeUO   ror.Coded    `json:"type_uo"`
	Capacite ror.Capacite `json:"capacite"`
	Age      string       `json:"anciennete,omitempty"` // French, "il y a 3 h"
}

// maxBedEGs bounds one page: a bed manager's scope is an EJ's few EGs.
const maxBedEGs = 50

// handleBedScope is GET /api/v1/capacitaire/perimetre (?eg=FINESS): the
// units whose beds the account keeps, with their figures, who set them and
// when, for the bed manager's page. Gestionnaires de lits get their scope
// (EG, or every EG of an EJ); administrators name an EG (?eg=); the beds are
// not the référents' (403).
func (s pages) handleBedScope(c *fiber.Ctx) error {
	v, err := s.records()
	if err != nil {
		return err
	}
	acct, err := s.auth.authenticated(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	var egs []string
	switch acct.Role {
	case ror.RoleAdmin:
		eg := c.Query("eg")
		if eg == "" {
			return ror.Errorf(ror.Invalid, "eg", "Choisir l'établissement (FINESS géographique) dont saisir les lits.")
		}
		egs = []string{eg}
	case ror.RoleGestionnaire:
		egs = scopeEGs(v.Records, acct.Scope)
		if eg := c.Query("eg"); eg != "" {
			egs = filter(egs, eg)
		}
	default:
		return ror.Errorf(ror.Forbidden, "", "La saisie des lits est réservée aux gestionnaires de lits et aux administrateurs.")
	}
	if len(egs) > maxBedEGs {
		egs = egs[:maxBedEGs]
	}
	out := []bedEG{}
	now := time.Now()
	for _, f := range egs {
		fi, err := v.Fiches.Fiche(c.UserContext(), f)
		if err != nil {
			return err
		}
		e := bedEG{FINESS: fi.FINESS, Name: fi.Name, UOs: []bedUnit{}}
		for _, u := range fi.UOs {
			if u.Statut != ror.StatutActif {
				continue
			}
			b := bedUnit{Lieu: bedsLieu(&u), ID: u.ID, Name: u.Name, TypeUO: u.TypeUO, Capacite: u.Capacite}
			if !u.Capacite.UpdatedAt.IsZero() {
				b.Age = age(now.Sub(u.Capacite.UpdatedAt))
			}
			e.UOs = append(e.UOs, b)
		}
		groupByLieu(e.UOs)
		out = append(out, e)
	}
	return c.JSON(fiber.Map{"compte": acct.Name, "etablissements": out})
}

func filter(list []string, keep string) []string {
	for _, s := range list {
		if s == keep {
			return []string{s}
		}
	}
	return nil
}

// age says how old a figure is, in French.
func age(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "à l'instant"
	case d < time.Hour:
		return "il y a " + strconv.Itoa(int(d/time.Minute)) + " min"
	case d < 48*time.Hour:
		return "il y a " + strconv.Itoa(int(d/time.Hour)) + " h"
	}
	return "il y a " + strconv.Itoa(int(d/(24*time.Hour))) + " jours"
}
