// Package data reads the official open-data formats into ror types and holds
// the project's own data: the rules that derive units from real
// establishments and capacities (rules/), the filières, presets and synonyms,
// and the manifest of official download URLs (sources.json). The real files
// are read from a sources directory at import time and never committed.
//
// It imports ror and the standard library only.
package data
