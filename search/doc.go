// Package search is the read side of ROR Recherche: it owns the live offer
// — the catalog, and the index's and the tree's view of it — under one
// lock, and answers every read from it: the search (commune → candidates
// and facets → nearest or most relevant → grouped by établissement → page),
// the fiche, the proximity lookup, the FHIR offres and the raw records.
// Changes come in through one entry, Directory.Update (ror.Live), which the
// workflows call. The liberal professionals are a catalog of their own
// (Professionals: snapshots swapped whole, changed through ror.ProLive).
//
// It imports ror only: the index, the tree, the gazetteer and the router are
// ror interfaces that cmd/ror (internal/wire) passes in.
package search
