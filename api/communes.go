package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// communeOut is a commune as the "Où ?" list shows it.
type communeOut struct {
	INSEE       string    `json:"insee"`
	Name        string    `json:"nom"`
	Label       string    `json:"libelle"`
	PostalCodes []string  `json:"codes_postaux"`
	Department  string    `json:"departement"`
	Point       ror.Point `json:"centre"`
}

// handleCommunes is GET /api/v1/communes?q=: communes by name prefix, postal
// code or INSEE code, labelled "Paris 10 (75010)".
func (s *Server) handleCommunes(c *fiber.Ctx) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	q := queryValues(c).Get("q")
	if q == "" {
		return ror.Errorf(ror.Invalid, "q", "Saisir le début d'un nom de commune ou d'un code postal.")
	}
	list, err := d.Communes(q, 10)
	if err != nil {
		return err
	}
	out := make([]communeOut, len(list))
	for i, cm := range list {
		out[i] = communeOut{INSEE: cm.INSEE, Name: cm.Name, Label: cm.Label(), PostalCodes: cm.PostalCodes, Department: cm.Department, Point: cm.Point}
	}
	return sendJSON(c, fiber.Map{"communes": out})
}
