// Package data reads the official open-data formats into ror types and holds
// the project's own data: the rules that derive units from real
// establishments and capacities (rules/), the filières, presets, synonyms and
// usual names of établissements (noms_usuels.csv), and the manifest of
// official download URLs (sources.json). The real files are read from a
// sources directory at import time and never committed.
//
// It imports ror, the standard library and github.com/wroge/wgs84 (the
// FINESS projections: Lambert 93, UTM overseas).
package data
