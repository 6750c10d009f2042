package data

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ror-recherche/ror"
)

//go:embed presets.json
var presetsJSON []byte

//go:embed synonymes.txt
var synonymsTxt string

// Presets returns the needs of the proximity lookup (besoin=), every code
// checked against the nomenclature.
func Presets(nom *ror.Nomenclature) ([]ror.Preset, error) {
	var ps []ror.Preset
	if err := json.Unmarshal(presetsJSON, &ps); err != nil {
		return nil, fmt.Errorf("data/presets.json: %w", err)
	}
	for _, p := range ps {
		for _, r := range p.Require {
			vs := r.Facet.ValueSet()
			if vs == "" {
				return nil, fmt.Errorf("data/presets.json: besoin %s: la facette %q n'est pas codée", p.ID, r.Facet)
			}
			for _, c := range r.AnyOf {
				if !nom.Has(vs, c) {
					return nil, fmt.Errorf("data/presets.json: besoin %s: le code %q n'existe pas dans %s", p.ID, c, vs)
				}
			}
		}
	}
	return ps, nil
}

// Synonyms returns the groups of equivalent words of data/synonymes.txt.
func Synonyms() [][]string {
	var groups [][]string
	for _, line := range strings.Split(synonymsTxt, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var g []string
		for _, w := range strings.Split(line, ",") {
			if w = strings.TrimSpace(w); w != "" {
				g = append(g, w)
			}
		}
		if len(g) > 1 {
			groups = append(groups, g)
		}
	}
	return groups
}
