// Package ror holds the domain of ROR Recherche: the offer of care (EJ → EG →
// UO), the national nomenclature, communes, the search query and its results,
// the interfaces the adapters implement, and Directory, the search use case.
//
// It imports the standard library only; every adapter (store, index, geo,
// data, api) imports it and never each other.
package ror
