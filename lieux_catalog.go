package ror

// The places of the catalog: place i < len(EGs) is EG i's own address,
// place len(EGs)+j the declared lieu j. A UO that lists no lieu is at its
// EG's place; the links below exist only for the EGs whose UOs list lieux,
// so a catalog without declared lieux costs nothing and ranks as before.
type placeLinks struct {
	byID    map[string]uint32   // lieu id → lieu ordinal
	egOf    []uint32            // EG ordinal of each lieu
	unitAt  map[uint32][]uint32 // place → UOs delivered there, for the EGs that have links
	placeOf map[uint32][]uint32 // UO → its open places, for the UOs of those EGs
	linked  []bool              // by EG ordinal (nil until a UO lists a lieu): its UOs list lieux
	nLinked int
}

// HasLieux reports whether some UO lists a lieu: without any, every UO is
// at its EG's place.
func (c *Catalog) HasLieux() bool { return c.places.nLinked > 0 }

// PlaceEG returns the EG ordinal of a place.
func (c *Catalog) PlaceEG(place uint32) uint32 {
	if int(place) < len(c.EGs) {
		return place
	}
	return c.places.egOf[int(place)-len(c.EGs)]
}

// PlaceLieu returns the declared lieu of a place, nil for an EG's address.
func (c *Catalog) PlaceLieu(place uint32) *Lieu {
	if int(place) < len(c.EGs) {
		return nil
	}
	return &c.Lieux[int(place)-len(c.EGs)]
}

// PlaceCommune returns the INSEE code of a place's commune.
func (c *Catalog) PlaceCommune(place uint32) string {
	if l := c.PlaceLieu(place); l != nil {
		return l.Commune
	}
	return c.EGs[place].Commune
}

// Linked reports whether an EG's UOs list lieux (the other EGs' UOs are
// all at the EG's place).
func (c *Catalog) Linked(eg uint32) bool { return c.places.linked != nil && c.places.linked[eg] }

// UnitPlaces returns the places where the UO of ordinal u delivers its
// offer; nil when that is only its EG's address.
func (c *Catalog) UnitPlaces(u uint32) []uint32 {
	if c.places.placeOf == nil {
		return nil
	}
	return c.places.placeOf[u]
}

// UnitsAt returns the UOs delivered at a place (shared: read only).
func (c *Catalog) UnitsAt(place uint32) []uint32 {
	eg := c.PlaceEG(place)
	if !c.Linked(eg) {
		if int(place) < len(c.EGs) {
			return c.UOsOf[eg]
		}
		return nil
	}
	return c.places.unitAt[place]
}

// LieuOrdinal returns the ordinal of the declared lieu with this id.
func (c *Catalog) LieuOrdinal(id string) (uint32, bool) {
	o, ok := c.places.byID[id]
	return o, ok
}

// SetLieu adds or replaces a declared lieu, relinks its EG's UOs, and
// returns its place; false when its EG is unknown.
func (c *Catalog) SetLieu(l Lieu) (uint32, bool) {
	eg, ok := c.egByFINESS[l.EG]
	if !ok {
		return 0, false
	}
	if c.places.byID == nil {
		c.places.byID = map[string]uint32{}
	}
	ord, ok := c.places.byID[l.ID]
	if ok {
		c.Lieux[ord] = l
	} else {
		ord = uint32(len(c.Lieux))
		c.Lieux = append(c.Lieux, l)
		c.places.egOf = append(c.places.egOf, eg)
		c.places.byID[l.ID] = ord
	}
	c.Relink(eg)
	return uint32(len(c.EGs)) + ord, true
}

// LieuxOfEG returns the ordinals of the declared lieux of an EG.
func (c *Catalog) LieuxOfEG(eg uint32) []uint32 {
	var out []uint32
	for j, e := range c.places.egOf {
		if e == eg {
			out = append(out, uint32(j))
		}
	}
	return out
}

// Relink recomputes the places of an EG's UOs after one of them or one of
// its lieux changed: a UO is at each open lieu it lists, and at its EG's
// address when it lists the EG or nothing (or only closed lieux: the
// derived default again).
func (c *Catalog) Relink(eg uint32) {
	p := &c.places
	if p.unitAt == nil {
		p.unitAt, p.placeOf, p.linked = map[uint32][]uint32{}, map[uint32][]uint32{}, make([]bool, len(c.EGs))
	}
	delete(p.unitAt, eg)
	for j, e := range p.egOf {
		if e == eg {
			delete(p.unitAt, uint32(len(c.EGs)+j))
		}
	}
	any := false
	for _, u := range c.UOsOf[eg] {
		delete(p.placeOf, u)
		if len(c.UOs[u].Lieux) > 0 {
			any = true
		}
	}
	if p.linked[eg] != any {
		p.linked[eg] = any
		if any {
			p.nLinked++
		} else {
			p.nLinked--
		}
	}
	if !any {
		return
	}
	for _, u := range c.UOsOf[eg] {
		var places []uint32
		for _, id := range c.UOs[u].Lieux {
			if id == c.EGs[eg].FINESS {
				places = append(places, eg)
			} else if j, ok := p.byID[id]; ok && p.egOf[j] == eg && c.Lieux[j].Open() {
				places = append(places, uint32(len(c.EGs))+j)
			}
		}
		if len(places) == 0 {
			places = []uint32{eg}
		}
		p.placeOf[u] = places
		for _, pl := range places {
			p.unitAt[pl] = append(p.unitAt[pl], u)
		}
	}
}

// SetLieux adds the declared lieux of a load (before the Locator is built
// over PlacePoints).
func (c *Catalog) SetLieux(lieux []Lieu) {
	for _, l := range lieux {
		c.SetLieu(l)
	}
}

// PlacePoints returns the position of every place: the EGs', then the
// declared lieux'.
func (c *Catalog) PlacePoints() []Point {
	pts := make([]Point, 0, len(c.EGs)+len(c.Lieux))
	for i := range c.EGs {
		pts = append(pts, c.EGs[i].Point)
	}
	for i := range c.Lieux {
		pts = append(pts, c.Lieux[i].Point)
	}
	return pts
}
