package fhir

import (
	"strconv"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// The capacitaire of a UO as the guide's supported-capacity extensions
// (ror-location-supported-capacity): one entry per nature (TRE_R329: 01
// lits, 02 places) and statut (TRE_R330: 01 installée, 02 disponible, 05
// fermée, 06 supplémentaire), current (TRE_R331 01). The resources and the
// capacity criteria read the same entries, so what a search matches is
// what the Location says.

const temporalityCurrent = "01" // TRE_R331: capacité courante

// capEntry is one supported-capacity extension.
type capEntry struct {
	nature, statut, temporality string
	n                           int
	updated                     time.Time
}

func capEntries(c *ror.Capacite) []capEntry {
	if !c.Known {
		return nil
	}
	var out []capEntry
	add := func(nature, statut string, n int) {
		out = append(out, capEntry{nature: nature, statut: statut, temporality: temporalityCurrent, n: n, updated: c.UpdatedAt})
	}
	if c.Installes > 0 || c.Disponibles > 0 || c.Fermes > 0 || c.Supplementaires > 0 {
		add("01", "01", c.Installes)
		add("01", "02", c.Disponibles)
		add("01", "05", c.Fermes)
		add("01", "06", c.Supplementaires)
	}
	if c.Places > 0 {
		add("02", "01", c.Places)
	}
	return out
}

// capPred is a criterion on one capacity entry. Every capacity criterion
// of a request holds on the same entry: location:capacity-status=02 and
// location:nb-capacity=gt0 mean « an entry of statut disponible with more
// than 0 », the guide's « lit disponible ».
type capPred func(e *capEntry) bool

// capToken compiles a token criterion over value set vs read by field.
func capToken(vs ror.ValueSet, field func(e *capEntry) string) func(c *compiler, v, mod string) (atom, error) {
	return func(c *compiler, v, mod string) (atom, error) {
		keys, msg := c.tokens.resolve(parseToken(strings.TrimSpace(v)), []ror.ValueSet{vs})
		if msg != "" {
			return atom{}, invalid("", "%s", msg)
		}
		set := map[string]bool{}
		for _, k := range keys {
			set[k.key] = true
		}
		return capAtom(func(e *capEntry) bool { return set[field(e)] }), nil
	}
}

// capNumber compiles nb-capacity: an integer with a FHIR prefix.
func capNumber(c *compiler, v, mod string) (atom, error) {
	op, num := prefixed(strings.TrimSpace(v))
	n, err := strconv.ParseFloat(num, 64)
	if err != nil || n < 0 {
		return atom{}, invalid("", "« %s » n'est pas un nombre de lits ou places (préfixes eq, ne, gt, lt, ge, le)", v)
	}
	return capAtom(func(e *capEntry) bool { return compare(op, float64(e.n), n) }), nil
}

// capDate compiles capacity-update-date: a FHIR date with a prefix.
func capDate(c *compiler, v, mod string) (atom, error) {
	in, err := dateCriterion(v)
	if err != nil {
		return atom{}, err
	}
	return capAtom(func(e *capEntry) bool { return !e.updated.IsZero() && in(e.updated) }), nil
}

// capAtom is an atom whose match (used inside _filter, alone) asks for
// one entry satisfying cp; plan.add groups the capacity atoms of a request
// so that they all hold on the same entry.
func capAtom(cp capPred) atom {
	return atom{capacity: cp, match: func(o *offer) bool {
		c := o.capacite()
		if c == nil {
			return false
		}
		for _, e := range capEntries(c) {
			if cp(&e) {
				return true
			}
		}
		return false
	}}
}

// capacityMatch reports whether one entry satisfies every clause (AND of
// ORs) of capacity criteria.
func capacityMatch(c *ror.Capacite, clauses [][]capPred) bool {
	if len(clauses) == 0 {
		return true
	}
entries:
	for _, e := range capEntries(c) {
		for _, cl := range clauses {
			ok := false
			for _, cp := range cl {
				if cp(&e) {
					ok = true
					break
				}
			}
			if !ok {
				continue entries
			}
		}
		return true
	}
	return false
}

// dateCriterion compiles a FHIR date search value with its prefix into a
// test on an instant.
func dateCriterion(v string) (func(t time.Time) bool, error) {
	op, s := prefixed(strings.TrimSpace(v))
	from, to, ok := dateRange(s)
	if !ok {
		return nil, invalid("", "« %s » n'est pas une date FHIR (AAAA, AAAA-MM, AAAA-MM-JJ, AAAA-MM-JJThh:mm[:ss][zone])", v)
	}
	return func(t time.Time) bool {
		switch op {
		case "gt":
			return !t.Before(to)
		case "ge":
			return !t.Before(from)
		case "lt":
			return t.Before(from)
		case "le":
			return t.Before(to)
		case "ne":
			return t.Before(from) || !t.Before(to)
		}
		return !t.Before(from) && t.Before(to)
	}, nil
}
