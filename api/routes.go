package api

import (
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/ror-recherche/ror/api/fhir"
	"github.com/ror-recherche/ror/api/web"
)

// routes mounts every route of the service; this table is the API.
func (s *Server) routes() {
	a := s.app
	r := reads{services: s.services, outlines: s.outlines}
	w := writes{services: s.services, auth: s.auth, backup: s.backup, allowReport: s.allowReport, log: s.log}
	o := ops{services: s.services, metrics: s.metrics, cluster: s.cluster}
	a.Get("/healthz", o.handleHealth)
	a.Get("/readyz", o.handleReady)
	a.Get("/metrics", o.handleMetrics)

	// Reads pass s.auth.readGuard (open, or a token of any role by configuration);
	// the other routes authenticate in their handler. Searches then queue for
	// a core (s.admit), first come, first served.
	v1 := a.Group("/api/v1")
	v1.Get("/communes", s.auth.readGuard, r.handleCommunes)
	v1.Get("/communes.geojson", s.auth.readGuard, compress.New(), r.handlePlaces)
	v1.Get("/suggestions", s.auth.readGuard, r.handleSuggest)
	v1.Get("/search", s.auth.readGuard, s.admit.handler, r.handleSearch)
	v1.Get("/search.xlsx", s.auth.readGuard, s.admit.handler, r.handleSearchXLSX)
	v1.Get("/search.geojson", s.auth.readGuard, s.admit.handler, r.handleSearchGeoJSON)
	v1.Get("/departements.geojson", s.auth.readGuard, r.handleDepartements)
	v1.Get("/eg/:finess", s.auth.readGuard, r.handleEGGet)
	v1.Get("/eg/:finess/historique", w.handleHistory)
	v1.Get("/admin/sauvegarde", w.handleBackup)
	v1.Get("/proximite", s.auth.readGuard, s.admit.handler, r.handleNearby)
	v1.Get("/besoins", s.auth.readGuard, r.handlePresets)
	v1.Put("/uo/:id/capacitaire", w.handleCapacitePut)
	v1.Post("/capacitaire", w.handleFeed)
	v1.Post("/anomalies", w.handleAnomalyPost)
	v1.Get("/anomalies", w.handleAnomalyList)
	v1.Get("/anomalies/:id", w.handleAnomalyGet)
	v1.Post("/anomalies/:id/cloture", w.handleAnomalyClose)
	v1.Post("/brouillons", w.handleDraftPost)
	v1.Get("/brouillons/:id", w.handleDraftGet)
	v1.Put("/brouillons/:id", w.handleDraftPut)
	v1.Post("/brouillons/:id/:action", w.handleDraftAction)
	s.signinRoutes(v1) // routes_signin.go: sign-in, accounts, the pages' own reads
	s.proRoutes(v1)    // professionals.go: the liberal professionals, « Mon offre »

	fg := a.Group("/fhir", s.admit.handler)
	fhir.MountPractitioners(fg, s.fhirPractitioners, s.auth.mayRead) // before Mount's catch-all
	fhir.Mount(fg, s.fhirRecords, s.fhirPractitioners, s.auth.mayRead)

	web.Mount(a, web.Options{TileURL: s.tileURL})
	// No catch-all: past the table Fiber answers 404, or 405 with Allow when
	// the path has routes for other methods, through errorHandler.
}
