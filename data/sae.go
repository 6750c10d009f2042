package data

import (
	"compress/gzip"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SAE is one establishment's row of sae2020_capacites.csv (DREES SAE 2020):
// bed and place counts by field name, -1 when the bordereau was not
// reported, and the activity flags.
type SAE struct {
	FINESS string
	EJ     string // the EJ the establishment reported under
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
		s := SAE{FINESS: t.get("finess_et"), EJ: t.get("finess_ej"), Counts: map[string]int{}, Flags: map[string]bool{}}
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

// FileSAESSR is the raw SAE 2020 SSR bordereau of the sources (DREES), read
// for the SMR mentions each establishment is authorised for.
const FileSAESSR = "sae2020/SSR_2020.csv.gz"

// smrMentions maps the SAE SSR rows (GDE: SSR_A for adults, SSR_E for
// children, then the mention of art. R.6123-120 CSP, in its order) to the
// flag and figure names the rules read.
var smrMentions = map[string]string{
	"50": "polyvalent", "51": "locomoteur", "52": "nerveux", "53": "cardio", "54": "respiratoire",
	"55": "digestif", "56": "onco", "57": "brules", "58": "addictions", "59": "geriatrie",
}

// ReadSAESSR reads the 2020 rows of the SAE SSR bordereau (";"-separated,
// gzip) into sae: for each mention authorised (AUT 1) with beds or places,
// the flag smr_a_<mention> (adults) or smr_e_<mention> (children), the
// figures lits_smr_a_<mention> and places_smr_a_<mention>, and the flags
// smr (any mention) and smr_e (any children's mention) with lits_smr_e and
// places_smr_e summed.
func ReadSAESSR(r io.Reader, sae map[string]SAE) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("%s: %w", FileSAESSR, err)
	}
	t, err := newTable(gz, FileSAESSR, ';', "AN", "nofinesset", "GDE", "AUT", "LIT", "PLA")
	if err != nil {
		return err
	}
	for {
		ok, err := t.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		gde := t.get("GDE")
		if t.get("AN") != "2020" || t.get("AUT") != "1" || len(gde) != len("SSR_A50") || !strings.HasPrefix(gde, "SSR_") {
			continue
		}
		who, mention := strings.ToLower(gde[4:5]), smrMentions[gde[5:7]]
		if mention == "" || (who != "a" && who != "e") {
			continue
		}
		lits, _ := strconv.Atoi(t.get("LIT"))
		places, _ := strconv.Atoi(t.get("PLA"))
		if lits <= 0 && places <= 0 {
			continue
		}
		f := t.get("nofinesset")
		s, ok := sae[f]
		if !ok {
			s = SAE{FINESS: f, Counts: map[string]int{}, Flags: map[string]bool{}}
		}
		key := "smr_" + who + "_" + mention
		s.Flags[key], s.Flags["smr"] = true, true
		s.Counts["lits_"+key] += lits
		s.Counts["places_"+key] += places
		if who == "e" {
			s.Flags["smr_e"] = true
			s.Counts["lits_smr_e"] += lits
			s.Counts["places_smr_e"] += places
		}
		sae[f] = s
	}
}
