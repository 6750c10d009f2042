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
