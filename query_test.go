package ror

import (
	"testing"
)

func TestSortOrderDefaults(t *testing.T) {
	if got := (&Query{Ou: "75010", Text: "x"}).SortOrder(); got != TriDistance {
		t.Errorf("with a commune got %q, want distance", got)
	}
	if got := (&Query{Text: "x"}).SortOrder(); got != TriPertinence {
		t.Errorf("without a commune got %q, want pertinence", got)
	}
}
