package api

import (
	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror/api/fhir"
	"github.com/ror-recherche/ror/api/web"
)

// routes mounts every route of the service; this table is the API.
func (s *Server) routes() {
	a := s.app
	a.Get("/healthz", s.handleHealth)
	a.Get("/readyz", s.handleReady)
	a.Get("/metrics", s.handleMetrics)

	// Reads pass s.readGuard (open, or a token of any role by configuration);
	// the other routes authenticate in their handler. Searches then queue for
	// a core (s.admit), first come, first served.
	v1 := a.Group("/api/v1")
	v1.Get("/communes", s.readGuard, s.handleCommunes)
	v1.Get("/suggestions", s.readGuard, s.handleSuggest)
	v1.Get("/search", s.readGuard, s.admit.handler, s.handleSearch)
	v1.Get("/search.xlsx", s.readGuard, s.admit.handler, s.handleSearchXLSX)
	v1.Get("/search.geojson", s.readGuard, s.admit.handler, s.handleSearchGeoJSON)
	v1.Get("/departements.geojson", s.readGuard, s.handleDepartements)
	v1.Get("/eg/:finess", s.readGuard, s.handleEGGet)
	v1.Get("/eg/:finess/historique", s.handleHistory)
	v1.Get("/admin/sauvegarde", s.handleBackup)
	v1.Get("/proximite", s.readGuard, s.admit.handler, s.handleNearby)
	v1.Put("/uo/:id/capacitaire", s.handleCapacitePut)
	v1.Post("/capacitaire", s.handleFeed)
	v1.Post("/anomalies", s.handleAnomalyPost)
	v1.Get("/anomalies", s.handleAnomalyList)
	v1.Get("/anomalies/:id", s.handleAnomalyGet)
	v1.Post("/anomalies/:id/cloture", s.handleAnomalyClose)
	v1.Post("/brouillons", s.handleDraftPost)
	v1.Get("/brouillons/:id", s.handleDraftGet)
	v1.Put("/brouillons/:id", s.handleDraftPut)
	v1.Post("/brouillons/:id/:action", s.handleDraftAction)

	fhir.Mount(a.Group("/fhir", s.admit.handler), s.directory, s.mayRead)

	web.Mount(a, web.Options{TileURL: s.tileURL})
	a.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
}
