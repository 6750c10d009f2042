package index_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

// A broad one-word name search at national scale lists every établissement
// whose name has the word: no cap on the vocabulary entries a text unites
// (the generated names put « Centre » in about 12,000 of 100,000 names).
func TestOneWordNameSearchIsComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("national-scale catalog")
	}
	x, c := synthIndex(t)
	for _, dans := range []ror.Dans{ror.DansNoms, ror.DansTout} {
		m, err := x.Match(context.Background(), &ror.Query{Dans: dans, Text: "centre"})
		if err != nil {
			t.Fatal(err)
		}
		egs := 0
		for i := range c.EGs {
			if !slices.Contains(strings.Fields(ror.Fold(c.EGs[i].Name)), "centre") {
				continue
			}
			egs++
			for _, u := range c.UOsOf[i] {
				if !m.Units.Contains(u) {
					t.Fatalf("dans %s: UO %s of « %s » missing", dans, c.UOs[u].ID, c.EGs[i].Name)
				}
			}
		}
		if egs <= 5000 {
			t.Fatalf("only %d names with « centre »: the test needs more than the old cap of 5,000", egs)
		}
		if m.Score == nil {
			t.Fatalf("dans %s: no scores", dans)
		}
	}
}

// Names typed from their start ("clinique sa") suggest the names starting
// so that have the most units, among all of them, not among those Bleve
// scored best.
func TestSuggestNamesFromTheirStart(t *testing.T) {
	if testing.Short() {
		t.Skip("national-scale catalog")
	}
	x, c := synthIndex(t)
	const text, limit = "clinique sa", 8
	type name struct {
		label string
		uos   int
	}
	var all []name
	for i := range c.EGs {
		if n := len(c.UOsOf[i]); n > 0 && strings.HasPrefix(ror.Fold(c.EGs[i].Name), text) {
			all = append(all, name{ror.Fold(c.EGs[i].Name), n})
		}
	}
	if len(all) < 4*limit {
		t.Fatalf("only %d names start with %q", len(all), text)
	}
	slices.SortFunc(all, func(a, b name) int {
		if a.uos != b.uos {
			return b.uos - a.uos
		}
		return strings.Compare(a.label, b.label)
	})
	got, err := x.Suggest(context.Background(), text, ror.DansNoms, limit)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != limit {
		t.Fatalf("got %d suggestions, want %d", len(got), limit)
	}
	for i, s := range got {
		if ror.Fold(s.Label) != all[i].label {
			t.Errorf("suggestion %d: got %q, want %q (%d units)", i, s.Label, all[i].label, all[i].uos)
		}
	}
}
