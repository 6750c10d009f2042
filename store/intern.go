package store

import (
	"slices"
	"strings"

	"github.com/ror-recherche/ror"
)

// interner makes the units loaded at start share what they have in common.
// A decoded UO slices its record: every field keeps the whole record alive,
// and its lists have a backing array of their own. Yet most of a unit is
// repeated across the offer — the codes and their lists (every EHPAD has
// the same activités and modes), the type, the rule and source of its
// provenance, the EG's phone, a mobile unit's zone — so at 1.2 million units
// one copy of each, and a copy of the few fields a unit owns alone (its id),
// lets the records go: about a third less heap than the structs' records
// and lists (BenchmarkLoadOffer reports it as B/UO).
//
// The lists handed out share their backing array between units: no code
// of the service writes into a UO's list in place (a change of a unit is a
// new UO from a write), and their capacity is their length, so an append
// copies.
//
// One interner serves one goroutine; its maps are dropped after the load.
type interner struct {
	strs  map[string]string
	lists map[string][]string
	key   []byte
	prev  ror.UO   // the unit interned last: its EG's next unit repeats most of it, compared before any map
	pool  []string // the decoder's list strings, reused: the lists are copied out of it
}

func newInterner() *interner {
	return &interner{strs: map[string]string{}, lists: map[string][]string{}, pool: make([]string, 0, 64)}
}

// str returns the one copy of s, independent of the record s slices.
func (in *interner) str(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := in.strs[s]; ok {
		return v
	}
	v := strings.Clone(s)
	in.strs[v] = v
	return v
}

// list returns the one copy of l (same strings in the same order), its
// strings interned. nil and empty stay apart: JSON shows null and [].
func (in *interner) list(l []string) []string {
	if len(l) == 0 {
		return l
	}
	in.key = in.key[:0]
	for _, s := range l {
		in.key = append(in.key, s...)
		in.key = append(in.key, 0) // codes and INSEE codes hold no NUL
	}
	if v, ok := in.lists[string(in.key)]; ok {
		return v
	}
	v := make([]string, len(l))
	for i, s := range l {
		v[i] = in.str(s)
	}
	in.lists[string(in.key)] = v
	return v
}

// uo rewrites every string and list of u with its shared copy; the id,
// unique to the unit, is copied out of the record alone. Units come in id
// order, an EG's together: a field equal to the previous unit's takes its
// copy without a lookup.
func (in *interner) uo(u *ror.UO) {
	p := &in.prev
	u.ID = strings.Clone(u.ID)
	u.EG, u.Name = in.same(u.EG, p.EG), in.same(u.Name, p.Name)
	u.TypeUO, u.ChampActivite = in.same(u.TypeUO, p.TypeUO), in.same(u.ChampActivite, p.ChampActivite)
	u.Activites, u.Actes = in.sameList(u.Activites, p.Activites), in.sameList(u.Actes, p.Actes)
	u.Equipements, u.Modes = in.sameList(u.Equipements, p.Equipements), in.sameList(u.Modes, p.Modes)
	u.Professions, u.Expertises = in.sameList(u.Professions, p.Professions), in.sameList(u.Expertises, p.Expertises)
	u.Publics, u.Zone = in.sameList(u.Publics, p.Publics), in.sameList(u.Zone, p.Zone)
	u.Horaires, u.Phone = in.same(u.Horaires, p.Horaires), in.same(u.Phone, p.Phone)
	u.Statut = ror.Statut(in.same(string(u.Statut), string(p.Statut)))
	c, pc := &u.Capacite, &p.Capacite
	c.UpdatedBy, c.Source = in.same(c.UpdatedBy, pc.UpdatedBy), in.same(c.Source, pc.Source)
	v, pv := &u.Provenance, &p.Provenance
	v.Kind, v.Rule, v.Source = in.same(v.Kind, pv.Kind), in.same(v.Rule, pv.Rule), in.same(v.Source, pv.Source)
	in.prev = *u
}

// same is prev (an interned copy) when s equals it, else s's copy.
func (in *interner) same(s, prev string) string {
	if s == prev {
		return prev
	}
	return in.str(s)
}

func (in *interner) sameList(l, prev []string) []string {
	if len(l) > 0 && slices.Equal(l, prev) {
		return prev
	}
	return in.list(l)
}
