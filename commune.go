package ror

import (
	"strconv"
	"strings"
)

// Commune is a French commune, or a Paris / Lyon / Marseille arrondissement,
// from the Code officiel géographique.
type Commune struct {
	INSEE       string   `json:"insee"`
	Name        string   `json:"nom"`
	PostalCodes []string `json:"codes_postaux"`
	Department  string   `json:"departement"`
	Region      string   `json:"region"`
	Population  int      `json:"population"`
	Point       Point    `json:"centre"` // zero when the source has no centroid
}

// PLMCities are Paris, Lyon and Marseille as a whole: their postal codes
// are their arrondissements', which are communes of their own here.
var PLMCities = map[string]bool{"75056": true, "69123": true, "13055": true}

// Label is the commune as the ROR screen shows it: "Paris 10 (75010)",
// "Évry-Courcouronnes (91000)"; arrondissements drop "e Arrondissement".
func (c Commune) Label() string {
	name := c.ShortName()
	if len(c.PostalCodes) == 0 || PLMCities[c.INSEE] {
		return name // Paris is not its 1st arrondissement: no « (75001) »
	}
	return name + " (" + c.PostalCodes[0] + ")"
}

// ShortName is the name without the arrondissement suffix: "Paris 10" for
// "Paris 10e Arrondissement", "Lyon 1" for "Lyon 1er Arrondissement".
func (c Commune) ShortName() string {
	name, ok := strings.CutSuffix(c.Name, " Arrondissement")
	if !ok {
		return c.Name
	}
	i := strings.LastIndexByte(name, ' ')
	if i < 0 {
		return c.Name
	}
	num := strings.TrimRight(name[i+1:], "emr") // 10e, 1er, 2eme
	if _, err := strconv.Atoi(num); err != nil {
		return c.Name
	}
	return name[:i+1] + num
}

// Department is a French département.
type Department struct {
	Code string `json:"code"`
	Name string `json:"nom"`
}
