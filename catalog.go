package ror

import (
	"slices"
	"strings"
)

// Catalog is the offer in memory, with dense ordinals: EG i is EGs[i], UO j is
// UOs[j]. The index's bitmaps and the geo tree are built over these
// ordinals, so both packages agree on them without knowing each other.
type Catalog struct {
	EGs   []EG
	UOs   []UO
	UOsOf [][]uint32 // UO ordinals of each EG, in name order
	EGOf  []uint32   // EG ordinal of each UO
	// ZoneOf lists, per INSEE code, the mobile UOs whose zone
	// d'intervention includes that commune.
	ZoneOf map[string][]uint32
	// Lieux are the declared lieux de réalisation (lieux_catalog.go): lieu
	// i is place len(EGs)+i of the Locator, EG i place i (its address).
	Lieux []Lieu

	egByFINESS map[string]uint32
	uoByID     map[string]uint32
	places     placeLinks
}

// NewCatalog orders the offer by FINESS then UO id and links the tree; it
// takes the slices over (the caller must not keep using them): the UOs stay
// in the array they came in, never copied (a second array of 1.2 million
// structs, 0.6 GiB at the generator's 2× set, was the peak of a start).
// UOs whose EG is unknown are dropped (the importer refuses them earlier).
func NewCatalog(egs []EG, uos []UO) *Catalog {
	c := &Catalog{
		EGs:        egs,
		UOs:        uos[:0:len(uos)], // compacted in place below: a unit kept is never written ahead of the one read
		EGOf:       make([]uint32, 0, len(uos)),
		egByFINESS: make(map[string]uint32, len(egs)),
		uoByID:     make(map[string]uint32, len(uos)),
		ZoneOf:     map[string][]uint32{},
	}
	// The store hands records over in key order already: sorting 600,000
	// structs again would cost seconds at start.
	if !slices.IsSortedFunc(c.EGs, func(a, b EG) int { return strings.Compare(a.FINESS, b.FINESS) }) {
		slices.SortFunc(c.EGs, func(a, b EG) int { return strings.Compare(a.FINESS, b.FINESS) })
	}
	for i := range c.EGs {
		c.egByFINESS[c.EGs[i].FINESS] = uint32(i)
	}
	if !slices.IsSortedFunc(uos, func(a, b UO) int { return strings.Compare(a.ID, b.ID) }) {
		slices.SortFunc(uos, func(a, b UO) int { return strings.Compare(a.ID, b.ID) })
	}
	c.UOsOf = make([][]uint32, len(c.EGs))
	for _, u := range uos { // u is a copy: Add may overwrite uos[i] with it, never a later one
		eg, ok := c.egByFINESS[u.EG]
		if !ok {
			continue
		}
		c.Add(u, eg)
	}
	return c
}

// Add appends u to the EG of ordinal eg and returns its ordinal: a UO
// created after the import.
func (c *Catalog) Add(u UO, eg uint32) uint32 {
	ord := uint32(len(c.UOs))
	c.UOs = append(c.UOs, u)
	c.EGOf = append(c.EGOf, eg)
	c.UOsOf[eg] = append(c.UOsOf[eg], ord)
	c.uoByID[u.ID] = ord
	for _, insee := range u.Zone {
		c.ZoneOf[insee] = append(c.ZoneOf[insee], ord)
	}
	if len(u.Lieux) > 0 {
		c.Relink(eg)
	}
	return ord
}

// EGOrdinal returns the ordinal of the EG with this FINESS.
func (c *Catalog) EGOrdinal(finess string) (uint32, bool) {
	o, ok := c.egByFINESS[finess]
	return o, ok
}

// UOOrdinal returns the ordinal of the UO with this id.
func (c *Catalog) UOOrdinal(id string) (uint32, bool) {
	o, ok := c.uoByID[id]
	return o, ok
}

// Candidates is a set of UO ordinals: what the index found. It crosses
// packages as an interface so that only index knows the bitmap library.
type Candidates interface {
	// Contains reports whether UO ordinal ord is in the set.
	Contains(ord uint32) bool
	// Len is the number of UOs in the set.
	Len() int
	// Each calls fn for each ordinal in increasing order until fn returns false.
	Each(fn func(ord uint32) bool)
}
