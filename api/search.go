package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleSearch is GET /api/v1/search?ou=&dans=&q=&code=&tri=&page=: one page
// of établissements with their matching UOs, facets and the summary line.
func (s *Server) handleSearch(c *fiber.Ctx) error {
	res, err := s.search(c, false)
	if err != nil {
		return err
	}
	return sendJSON(c, res)
}

// search runs the search the query string describes: the list, its
// export and its map data share it.
func (s *Server) search(c *fiber.Ctx, all bool) (*ror.Results, error) {
	d, err := s.directory()
	if err != nil {
		return nil, err
	}
	q, err := ror.ParseQuery(queryValues(c))
	if err != nil {
		return nil, err
	}
	q.All = all
	return d.Search(c.UserContext(), q)
}

// handleSuggest is GET /api/v1/suggestions?q=&dans=: categorised suggestions
// for "Rechercher dans".
func (s *Server) handleSuggest(c *fiber.Ctx) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	v := queryValues(c)
	dans, err := ror.ParseDans(v.Get("dans"))
	if err != nil {
		return err
	}
	sugg, err := d.Suggest(c.UserContext(), v.Get("q"), dans)
	if err != nil {
		return err
	}
	if sugg == nil {
		sugg = []ror.Suggestion{}
	}
	return sendJSON(c, fiber.Map{"suggestions": sugg})
}

// handleEGGet is GET /api/v1/eg/:finess: the fiche of an EG with all its UOs.
func (s *Server) handleEGGet(c *fiber.Ctx) error {
	d, err := s.directory()
	if err != nil {
		return err
	}
	f, err := d.Fiche(c.UserContext(), c.Params("finess"))
	if err != nil {
		return err
	}
	return sendJSON(c, f)
}
