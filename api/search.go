package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleSearch is GET /api/v1/search?ou=&dans=&q=&code=&tri=&page=: one page
// of établissements with their matching UOs, facets and the summary line.
func (s reads) handleSearch(c *fiber.Ctx) error {
	v := queryValues(c)
	if dans, err := ror.ParseDans(v.Get("dans")); err != nil {
		return err
	} else if dans == ror.DansProfessionnels {
		return s.handleSearchPros(c) // professionals.go: their own parameters
	}
	q, err := ParseQuery(v)
	if err != nil {
		return err
	}
	res, err := s.run(c, q)
	if err != nil {
		return err
	}
	if q.Dans == ror.DansTout {
		pa, err := s.searchPros(c, q) // Tout le ROR includes the professionals
		if err != nil {
			return err
		}
		return sendJSON(c, withPros{&res.Results, pa})
	}
	return sendJSON(c, &res.Results)
}

// search runs the search the query string describes, every result when
// all: the export and the map data share it.
func (s reads) search(c *fiber.Ctx, all bool) (*ror.Answer, ror.Query, error) {
	q, err := ParseQuery(queryValues(c))
	if err != nil {
		return nil, q, err
	}
	q.All = all
	res, err := s.run(c, q)
	return res, q, err
}

// run runs a parsed search of the offer (the professionals have their own,
// their export and their map: /api/v1/professionnels…).
func (s reads) run(c *fiber.Ctx, q ror.Query) (*ror.Answer, error) {
	svc, err := s.services()
	if err != nil {
		return nil, err
	}
	if q.Dans == ror.DansProfessionnels {
		return nil, ror.Errorf(ror.Invalid, "dans", "Les professionnels ont leur export et leur carte : /api/v1/professionnels.xlsx et /api/v1/professionnels.geojson.")
	}
	res, err := svc.Search.Search(c.UserContext(), q)
	if err != nil {
		return nil, err
	}
	return presentResults(res), nil
}

// handleSuggest is GET /api/v1/suggestions?q=&dans=: categorised suggestions
// for "Rechercher dans".
func (s reads) handleSuggest(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	v := queryValues(c)
	dans, err := ror.ParseDans(v.Get("dans"))
	if err != nil {
		return err
	}
	var sugg []ror.Suggestion
	if dans == ror.DansProfessionnels {
		sugg, err = s.suggestPros(c, v.Get("q"))
	} else {
		sugg, err = svc.Search.Suggest(c.UserContext(), v.Get("q"), dans)
	}
	if err != nil {
		return err
	}
	if sugg == nil {
		sugg = []ror.Suggestion{}
	}
	return sendJSON(c, fiber.Map{"suggestions": sugg})
}

// handleEGGet is GET /api/v1/eg/:finess: the fiche of an EG with all its UOs.
func (s reads) handleEGGet(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	f, err := svc.Fiches.Fiche(c.UserContext(), c.Params("finess"))
	if err != nil {
		return err
	}
	return sendJSON(c, presentFiche(f))
}
