// Package api serves ROR Recherche over HTTP with Fiber: the JSON API under
// /api/v1, health probes, and (in subpackages) the FHIR API and the web page.
// It imports ror, api/fhir and api/web, Fiber and excelize; each kind of
// handler depends on the small interface it uses (services.go), never on
// search or workflow. The Server keeps the wiring, the route table, the
// guards and the problems; each kind of handler has its own receiver
// holding only what it uses (reads, writes, signins, admins, pages, ops,
// and auth, which tells who a request is). Handlers parse query strings and feeds into ror types
// (query.go, feed.go), word the answers in French (present.go) and return
// errors; problem.go is the one place that writes error bodies.
package api
