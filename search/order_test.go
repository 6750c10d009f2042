package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestFirstInOrderKeepsTheBestSorted(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	order := func(a, b *group) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.eg, b.eg)
	}
	for _, c := range []struct{ len, n int }{{0, 200}, {5, 200}, {200, 200}, {201, 200}, {5000, 200}, {50, 1}} {
		gs := make([]group, c.len)
		for i := range gs {
			gs[i] = group{eg: uint32(i), score: float64(r.IntN(20))} // many ties, broken by eg
		}
		want := slices.Clone(gs)
		slices.SortFunc(want, func(a, b group) int { return order(&a, &b) })
		wantCut := len(want) > c.n
		want = want[:min(len(want), c.n)]
		got, cut := firstInOrder(gs, c.n, order)
		if cut != wantCut || len(got) != len(want) {
			t.Fatalf("%d groups, first %d: got %d (cut %v), want %d (cut %v)", c.len, c.n, len(got), cut, len(want), wantCut)
		}
		for i := range want {
			if got[i].eg != want[i].eg {
				t.Fatalf("%d groups, first %d: position %d holds EG %d, want %d", c.len, c.n, i, got[i].eg, want[i].eg)
			}
		}
	}
}
