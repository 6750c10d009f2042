// Package ror is the vocabulary of ROR Recherche: the offer of care (EJ →
// EG → UO), the national nomenclature, communes, the search query and its
// answer, errors, and the interfaces the other packages implement — the
// adapters (Store, Index, Locator: the one nearest-K search, Gazetteer,
// Router) and the live offer (Live: the read side's single update entry,
// which the workflows go through).
//
// It imports the standard library only. Every other package imports it
// and no sibling: search (the read side), workflow (the write side), store,
// index, geo, data and api meet only in cmd/ror, through internal/wire, as
// ror interfaces. layout_test.go checks the plan with go list.
package ror
