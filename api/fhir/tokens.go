package fhir

import (
	"strings"
	"sync"

	"github.com/ror-recherche/ror"
)

// tokenIndex finds nomenclature keys from what a FHIR token carries: a
// system URL and a code, or a code alone.
type tokenIndex struct {
	bySystemCode map[ror.ValueSet]map[string]string   // "system|code" → key
	byCode       map[ror.ValueSet]map[string][]string // code → keys
	systems      map[ror.ValueSet]map[string]bool
}

var tokenIndexes sync.Map // *ror.Nomenclature → *tokenIndex

func tokensOf(n *ror.Nomenclature) *tokenIndex {
	if t, ok := tokenIndexes.Load(n); ok {
		return t.(*tokenIndex)
	}
	t := &tokenIndex{bySystemCode: map[ror.ValueSet]map[string]string{}, byCode: map[ror.ValueSet]map[string][]string{},
		systems: map[ror.ValueSet]map[string]bool{}}
	for _, vs := range n.ValueSets() {
		sc, bc, sys := map[string]string{}, map[string][]string{}, map[string]bool{}
		for _, c := range n.Concepts(vs) {
			sc[c.System+"|"+c.Code] = c.Key
			bc[c.Code] = append(bc[c.Code], c.Key)
			sys[c.System] = true
		}
		t.bySystemCode[vs], t.byCode[vs], t.systems[vs] = sc, bc, sys
	}
	tokenIndexes.Store(n, t)
	return t
}

// token is a parsed token value: system|code, |code, code or system|.
type token struct {
	system    string
	hasSystem bool // "system|…" or "|code" (no system)
	code      string
}

// The spaces around a token are dropped (the guide writes
// "characteristic= https://…|XX"), and the code systems the guide names
// differently from the NOS files the directory loads are read as them.
func parseToken(v string) token {
	sys, code, ok := strings.Cut(strings.TrimSpace(v), "|")
	if !ok {
		return token{code: sys}
	}
	sys = strings.TrimSpace(sys)
	if alias, ok := systemAliases[sys]; ok {
		sys = alias
	}
	return token{system: sys, hasSystem: true, code: strings.TrimSpace(code)}
}

// systemAliases: the guide's spelling → the NOS URL the nomenclature holds.
var systemAliases = map[string]string{
	// the guide's capacity scenarios (specifications_techniques, « Recherche d'offre avec données capacitaires »)
	nos + "TRE_R330-StatutCapacite/FHIR/TRE-R330-StatutCapacite": nos + "TRE_R330-TypeStatutCapacite/FHIR/TRE-R330-TypeStatutCapacite",
	// the guide's commune-cog scenario (the overseas communes' table, the same codes)
	nos + "TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM": systemCommune,
}

// codedKey is one nomenclature key a token resolved to.
type codedKey struct {
	vs  ror.ValueSet
	key string
}

// resolve returns the keys of the value sets vss the token names. It fails
// with a French message when the system or the code is unknown.
func (t *tokenIndex) resolve(tok token, vss []ror.ValueSet) ([]codedKey, string) {
	if tok.hasSystem && tok.system != "" {
		known := false
		for _, vs := range vss {
			known = known || t.systems[vs][tok.system]
		}
		if !known {
			return nil, "le système de codes « " + tok.system + " » n'est pas un système de ce paramètre"
		}
	}
	if tok.code == "" {
		if !tok.hasSystem || tok.system == "" {
			return nil, "la valeur est vide"
		}
		var out []codedKey // "system|": every code of the system
		for _, vs := range vss {
			for sc, key := range t.bySystemCode[vs] {
				if strings.HasPrefix(sc, tok.system+"|") {
					out = append(out, codedKey{vs, key})
				}
			}
		}
		return out, ""
	}
	var out []codedKey
	for _, vs := range vss {
		if tok.hasSystem && tok.system != "" {
			if key, ok := t.bySystemCode[vs][tok.system+"|"+tok.code]; ok {
				out = append(out, codedKey{vs, key})
			}
			continue
		}
		for _, key := range t.byCode[vs][tok.code] {
			out = append(out, codedKey{vs, key})
		}
	}
	if len(out) == 0 {
		return nil, "le code « " + tok.code + " » n'existe pas dans la nomenclature nationale de ce paramètre"
	}
	return out, ""
}
