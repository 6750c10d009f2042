package api

import (
	"cmp"
	"slices"

	"github.com/ror-recherche/ror"
)

// bedLieu is the lieu de réalisation where a unit's beds are, as the
// capacitaire page heads its group (« Lieu de réalisation », seed 002):
// the établissement's own address (derived from FINESS) or a declared lieu.
type bedLieu struct {
	ID      string `json:"id"`
	Name    string `json:"nom"`
	Derived bool   `json:"derive"`
}

// bedsLieu is the lieu of u's beds: the first of its lieux.
func bedsLieu(u *ror.UOView) bedLieu {
	if len(u.Lieux) == 0 {
		return bedLieu{}
	}
	l := u.Lieux[0]
	return bedLieu{ID: l.ID, Name: l.Name, Derived: l.Derived}
}

// groupByLieu orders units by the lieu of their beds, the établissement's
// address first, each group in the fiche's order.
func groupByLieu(uos []bedUnit) {
	first := map[string]int{}
	for i, u := range uos {
		if _, ok := first[u.Lieu.ID]; !ok {
			first[u.Lieu.ID] = i
		}
	}
	rank := func(u *bedUnit) int {
		if u.Lieu.Derived {
			return -1
		}
		return first[u.Lieu.ID]
	}
	slices.SortStableFunc(uos, func(a, b bedUnit) int { return cmp.Compare(rank(&a), rank(&b)) })
}
