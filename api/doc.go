// Package api serves ROR Recherche over HTTP with Fiber: the JSON API under
// /api/v1, health probes, and (in subpackages) the FHIR API and the web page.
// It imports ror and Fiber only; handlers parse into ror types and return
// errors, and problem.go is the one place that writes error bodies.
package api
