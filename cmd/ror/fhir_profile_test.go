package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// profileRule is one rule of the guide's profiles, transcribed in
// api/fhir/testdata/profile-rules.json with the guide's file and element.
type profileRule struct {
	ID, Resource, Path, Each string
	Min                      *int
	Max                      *int
	System                   string // every coding under Path has this system prefix
	CodingSystem             string // count only the Path nodes with a coding of this system
	EachCodingSystem         string // evaluate only the Each nodes with a coding of this system
	Source, Element          string
}

func loadProfileRules(t *testing.T) []profileRule {
	t.Helper()
	raw, err := os.ReadFile("../../api/fhir/testdata/profile-rules.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct{ Rules []profileRule }
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f.Rules
}

// pathNodes evaluates a rule path: elements separated by dots, arrays
// flattened, "extension:name" keeping the extensions of that url.
func pathNodes(v any, path string) []any {
	nodes := []any{v}
	if path == "" {
		return nodes
	}
	for _, seg := range strings.Split(path, ".") {
		name, url, isExt := strings.Cut(seg, ":")
		if isExt {
			switch {
			case strings.HasPrefix(url, "ror-"):
				url = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/" + url
			case strings.HasPrefix(url, "fr-core-"):
				url = "https://hl7.fr/ig/fhir/core/StructureDefinition/" + url
			}
		}
		var next []any
		for _, n := range nodes {
			m, ok := n.(map[string]any)
			if !ok {
				continue
			}
			child, ok := m[name]
			if !ok {
				continue
			}
			items, isArr := child.([]any)
			if !isArr {
				items = []any{child}
			}
			for _, it := range items {
				if isExt {
					if e, ok := it.(map[string]any); !ok || e["url"] != url {
						continue
					}
				}
				next = append(next, it)
			}
		}
		nodes = next
	}
	return nodes
}

// codingSystems are the systems of a Coding or of a CodeableConcept's codings.
func codingSystems(n any) []string {
	m, _ := n.(map[string]any)
	if s, ok := m["system"].(string); ok {
		return []string{s}
	}
	var out []string
	for _, c := range pathNodes(m, "coding") {
		if cm, ok := c.(map[string]any); ok {
			s, _ := cm["system"].(string)
			out = append(out, s)
		}
	}
	return out
}

func hasSystem(n any, prefix string) bool {
	for _, s := range codingSystems(n) {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

// violates reports whether resource r breaks the rule.
func (rule *profileRule) violates(r map[string]any) bool {
	parents := []any{r}
	if rule.Each != "" {
		parents = pathNodes(r, rule.Each)
	}
	for _, p := range parents {
		if rule.EachCodingSystem != "" && !hasSystem(p, rule.EachCodingSystem) {
			continue
		}
		nodes := pathNodes(p, rule.Path)
		if rule.CodingSystem != "" {
			var kept []any
			for _, n := range nodes {
				if hasSystem(n, rule.CodingSystem) {
					kept = append(kept, n)
				}
			}
			nodes = kept
		}
		if rule.Min != nil && len(nodes) < *rule.Min || rule.Max != nil && len(nodes) > *rule.Max {
			return true
		}
		if rule.System != "" {
			for _, n := range nodes {
				for _, s := range codingSystems(n) {
					if !strings.HasPrefix(s, rule.System) {
						return true
					}
				}
				if len(codingSystems(n)) == 0 {
					return true
				}
			}
		}
	}
	return false
}

// Every resource of a full export of the real data, checked against every
// rule of the guide's profiles the rule file transcribes. The rules not
// met are listed, with the share of resources breaking them; the README
// says why for each (section « FHIR », profile conformance).
func TestFHIRProfileConformance(t *testing.T) {
	app := sharedApp(t)
	rules := loadProfileRules(t)
	files := runExportTest(t, app, "/fhir/$export")
	broken := map[string]int{}
	count := map[string]int{}
	examples := map[string]string{}
	for typ, data := range files {
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var r map[string]any
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			count[typ]++
			for i := range rules {
				rule := &rules[i]
				if rule.Resource != typ && rule.Resource != "*" {
					continue
				}
				if rule.violates(r) {
					broken[rule.ID]++
					if examples[rule.ID] == "" {
						examples[rule.ID] = typ + "/" + r["id"].(string)
					}
				}
			}
		}
	}
	var ids []string
	for id := range broken {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		var rule *profileRule
		for i := range rules {
			if rules[i].ID == id {
				rule = &rules[i]
			}
		}
		n := count[rule.Resource]
		if rule.Resource == "*" {
			n = count["Organization"] + count["Location"] + count["HealthcareService"]
		}
		msg := "%s (%s, %s): %d of %d resources break it, e.g. %s"
		if knownUnmet[id] != "" {
			t.Logf(msg+" — known, README: %s", id, rule.Source, rule.Element, broken[id], n, examples[id], knownUnmet[id])
			continue
		}
		t.Errorf(msg, id, rule.Source, rule.Element, broken[id], n, examples[id])
	}
	for id := range knownUnmet {
		if broken[id] == 0 && !afterWrites[id] {
			t.Errorf("%s is listed as not met but every resource meets it: remove it from knownUnmet and the README", id)
		}
	}
	t.Logf("%d rules over %d Organization, %d Location, %d HealthcareService; %d rules not met", len(rules),
		count["Organization"], count["Location"], count["HealthcareService"], len(broken))
}

// knownUnmet are the rules the data cannot meet yet, each with its reason
// (the README's list).
var knownUnmet = map[string]string{
	"hs-characteristic":                "UOs created by a write without a mode de prise en charge (the write rules do not require one; in make test, the draft tests' units): the imported data meet it",
	"hs-characteristic-caremode":       "the same written UOs: no mode is invented",
	"hs-specialty":                     "the offres of the UOs without an activité opérationnelle (medico-social units derived from their FINESS category, with no SAE activité): no activité is invented",
	"hs-specialty-operationalactivity": "the same offres: no TRE_R211 activité in the sources for them",
}

// afterWrites are the known rules only the units written by other tests of
// the package break: met on the imported data alone.
var afterWrites = map[string]bool{"hs-characteristic": true, "hs-characteristic-caremode": true}
