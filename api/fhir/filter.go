package fhir

import (
	"strings"
)

// The _filter subset the guide's scenarios use: "param op value" joined by
// and / or, with parentheses (and binds tighter than or). Operators: eq for
// every parameter, ne gt lt ge le for ages and dates, co and sw for strings.

type fexpr struct {
	op   string // "and", "or" or "" for a leaf
	kids []*fexpr
	leaf pred
}

func (e *fexpr) eval(o *offer) bool {
	switch e.op {
	case "and":
		for _, k := range e.kids {
			if !k.eval(o) {
				return false
			}
		}
		return true
	case "or":
		for _, k := range e.kids {
			if k.eval(o) {
				return true
			}
		}
		return false
	}
	return e.leaf(o)
}

const maxFilterLen = 4000

type filterParser struct {
	toks []string
	pos  int
	c    *compiler
	find func(name string) *paramDef
}

// parseFilter compiles a _filter expression; params resolves its names.
func parseFilter(s string, c *compiler, params func(string) *paramDef) (*fexpr, error) {
	if len(s) > maxFilterLen {
		return nil, invalid("_filter", "_filter dépasse %d caractères", maxFilterLen)
	}
	toks, err := lexFilter(s)
	if err != nil {
		return nil, err
	}
	p := &filterParser{toks: toks, c: c, find: params}
	e, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.toks) {
		return nil, invalid("_filter", "_filter : « %s » inattendu", p.toks[p.pos])
	}
	return e, nil
}

func lexFilter(s string) ([]string, error) {
	var toks []string
	for i := 0; i < len(s); {
		switch ch := s[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n':
			i++
		case ch == '(' || ch == ')':
			toks = append(toks, string(ch))
			i++
		case ch == '"':
			j := strings.IndexByte(s[i+1:], '"')
			if j < 0 {
				return nil, invalid("_filter", "_filter : guillemet non fermé")
			}
			toks = append(toks, "\x00"+s[i+1:i+1+j]) // quoted: always a value
			i += j + 2
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n()", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks, nil
}

func (p *filterParser) next() string {
	if p.pos >= len(p.toks) {
		return ""
	}
	t := p.toks[p.pos]
	p.pos++
	return t
}

func (p *filterParser) peek() string {
	if p.pos >= len(p.toks) {
		return ""
	}
	return p.toks[p.pos]
}

const maxFilterDepth = 32

func (p *filterParser) or(depth int) (*fexpr, error) {
	return p.chain(depth, "or", p.and)
}

func (p *filterParser) and(depth int) (*fexpr, error) {
	return p.chain(depth, "and", p.term)
}

func (p *filterParser) chain(depth int, op string, sub func(int) (*fexpr, error)) (*fexpr, error) {
	first, err := sub(depth)
	if err != nil {
		return nil, err
	}
	e := &fexpr{op: op, kids: []*fexpr{first}}
	for strings.EqualFold(p.peek(), op) {
		p.next()
		k, err := sub(depth)
		if err != nil {
			return nil, err
		}
		e.kids = append(e.kids, k)
	}
	if len(e.kids) == 1 {
		return first, nil
	}
	return e, nil
}

func (p *filterParser) term(depth int) (*fexpr, error) {
	if depth > maxFilterDepth {
		return nil, invalid("_filter", "_filter : trop de parenthèses imbriquées")
	}
	switch t := p.next(); t {
	case "(":
		e, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, invalid("_filter", "_filter : parenthèse fermante attendue")
		}
		return e, nil
	case "", ")":
		return nil, invalid("_filter", "_filter : critère attendu")
	default:
		return p.leaf(t)
	}
}

// leaf compiles "param op value" with the parameter's own compiler: the
// operator becomes the FHIR prefix (ages, dates) or modifier (strings).
func (p *filterParser) leaf(name string) (*fexpr, error) {
	op, val := strings.ToLower(p.next()), p.next()
	if op == "" || val == "" || val == ")" || val == "(" {
		return nil, invalid("_filter", "_filter : « %s » doit être suivi d'un opérateur et d'une valeur", name)
	}
	val = strings.TrimPrefix(val, "\x00")
	def := p.find(name)
	if def == nil || def.noComma {
		return nil, unsupported("_filter", "_filter : le paramètre « %s » n'est pas pris en charge dans _filter", name)
	}
	mod := ""
	switch def.typ {
	case "quantity", "date":
		switch op {
		case "eq", "ne", "gt", "lt", "ge", "le":
			val = op + val
		default:
			return nil, unsupported("_filter", "_filter : l'opérateur « %s » n'est pas pris en charge pour %s", op, name)
		}
	case "string":
		switch op {
		case "eq", "sw":
		case "co":
			mod = "contains"
		default:
			return nil, unsupported("_filter", "_filter : l'opérateur « %s » n'est pas pris en charge pour %s", op, name)
		}
	default:
		if op != "eq" {
			return nil, unsupported("_filter", "_filter : l'opérateur « %s » n'est pas pris en charge pour %s (seulement eq)", op, name)
		}
	}
	a, err := def.compile(p.c, val, mod)
	if err != nil {
		return nil, named(err, "_filter")
	}
	return &fexpr{leaf: a.match}, nil
}

// named sets the parameter a compile error is about.
func named(err error, param string) error {
	if fe, ok := err.(*fhirError); ok && fe.param == "" {
		fe.param = param
		fe.msg = param + " : " + fe.msg
	}
	return err
}
