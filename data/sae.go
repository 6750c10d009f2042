package data

import (
	"io"
	"strconv"
	"strings"
)

// SAE is one establishment's row of sae2020_capacites.csv (DREES SAE 2020):
// bed and place counts by field name, -1 when the bordereau was not
// reported, and the activity flags.
type SAE struct {
	FINESS string
	Counts map[string]int
	Flags  map[string]bool
}

// Count returns a figure, -1 when not reported.
func (s SAE) Count(field string) int {
	if n, ok := s.Counts[field]; ok {
		return n
	}
	return -1
}

// ReadSAE reads sae2020_capacites.csv, keyed by FINESS ET.
func ReadSAE(r io.Reader) (map[string]SAE, error) {
	t, err := newTable(r, "sae2020_capacites.csv", ',', "finess_et", "activites")
	if err != nil {
		return nil, err
	}
	out := map[string]SAE{}
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		s := SAE{FINESS: t.get("finess_et"), Counts: map[string]int{}, Flags: map[string]bool{}}
		for name, i := range t.col {
			if name == "finess_et" || name == "finess_ej" || name == "activites" || i >= len(t.rec) {
				continue
			}
			v := strings.TrimSpace(t.rec[i])
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, t.errorf("%s « %s » n'est pas un nombre", name, v)
			}
			s.Counts[name] = n
		}
		for _, f := range strings.Split(t.get("activites"), "|") {
			if f != "" {
				s.Flags[f] = true
			}
		}
		out[s.FINESS] = s
	}
}
