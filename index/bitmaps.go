package index

import (
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/ror-recherche/ror"
)

// dim is a dimension of the bitmaps: a facet, or one of the extra keys
// criteria use.
type dim string

const (
	dimExpertise dim = "expertise" // JDV_J227
	dimFiliere   dim = "filiere"   // filière id
	dimEG        dim = "eg"        // FINESS of the EG ("Noms")
)

// value is one code of one dimension, e.g. {type_uo, "20"}.
type value struct {
	d    dim
	code string
}

// files holds what the index knows of every UO, both ways round: per value
// the UOs carrying it (a bitmap, for criteria, filters and counts over large
// sets), per UO the ids of its values (a row, for counts over small sets,
// and to re-file a UO without visiting every bitmap). The names of EGs and
// the filières have bitmaps only: they are criteria, not facets, and keeping
// them out of the value ids keeps per-query counters small.
type files struct {
	ids  []map[string]uint32 // by slot: code → value id
	vals []value
	bms  []*roaring.Bitmap // by value id
	rows [][]uint32        // by UO ordinal: sorted value ids
	egOf []uint32          // by UO ordinal: EG ordinal when filed
	egs  map[string]*roaring.Bitmap
	fils map[string]*roaring.Bitmap
}

// slots are the dimensions of the rows; ids keeps one map per slot so that
// filing a code hashes the code alone.
var slots = []dim{dim(ror.FacetTypeUO), dim(ror.FacetTypeOffre), dim(ror.FacetActivite), dim(ror.FacetActe),
	dim(ror.FacetEquipement), dim(ror.FacetMode), dimExpertise, dim(ror.FacetPatientele),
	dim(ror.FacetStatut), dim(ror.FacetDepartement), dim(ror.FacetOrigine)}

func slotOf(d dim) int { return slices.Index(slots, d) }

// id returns the id of code in slot s, creating it (with an empty bitmap)
// on first sight.
func (f *files) id(s int, code string) uint32 {
	m := f.ids[s]
	if id, ok := m[code]; ok {
		return id
	}
	id := uint32(len(f.vals))
	m[code] = id
	f.vals = append(f.vals, value{slots[s], code})
	f.bms = append(f.bms, roaring.New())
	return id
}

// get returns the UOs carrying code in d, nil when none ever did.
func (f *files) get(d dim, code string) *roaring.Bitmap {
	switch d {
	case dimEG:
		return f.egs[code]
	case dimFiliere:
		return f.fils[code]
	}
	s := slotOf(d)
	if s < 0 {
		return nil
	}
	if id, ok := f.ids[s][code]; ok {
		return f.bms[id]
	}
	return nil
}

// row appends to dst the sorted, distinct value ids of UO ord.
func (f *files) row(dst []uint32, cat *ror.Catalog, ord uint32) []uint32 {
	u := &cat.UOs[ord]
	eg := &cat.EGs[cat.EGOf[ord]]
	start := len(dst)
	add := func(s int, code string) { dst = append(dst, f.id(s, code)) }
	add(0, u.TypeUO)
	add(1, u.ChampActivite)
	for _, c := range u.Activites {
		add(2, c)
	}
	for _, c := range u.Actes {
		add(3, c)
	}
	for _, c := range u.Equipements {
		add(4, c)
	}
	for _, c := range u.Modes {
		add(5, c)
	}
	for _, c := range u.Expertises {
		add(6, c)
	}
	if u.Patientele.Enfant {
		add(7, ror.PatienteleEnfant)
	}
	if u.Patientele.Adulte {
		add(7, ror.PatienteleAdulte)
	}
	add(8, string(u.Statut))
	add(9, eg.Department)
	if eg.Geolocated() {
		add(10, ror.OrigineGeo)
	} else {
		add(10, ror.OrigineNonGeo)
	}
	// A code listed twice must count once, as in the bitmaps.
	r := dst[start:]
	slices.Sort(r)
	return append(dst[:start], slices.Compact(r)...)
}

// newFiles files every UO of cat: rows first into one array, then each
// value's UOs, added in increasing order, which is roaring's fast path
// (about 10 times faster at 500,000 UOs than adding UO by UO to bitmaps
// found through maps).
func newFiles(cat *ror.Catalog) *files {
	f := &files{ids: make([]map[string]uint32, len(slots)), egs: map[string]*roaring.Bitmap{}, fils: map[string]*roaring.Bitmap{}}
	for i := range f.ids {
		f.ids[i] = map[string]uint32{}
	}
	n := len(cat.UOs)
	flat := make([]uint32, 0, 12*n)
	ends := make([]int, n)
	for ord := range n {
		flat = f.row(flat, cat, uint32(ord))
		ends[ord] = len(flat)
	}
	// Postings in one array: counted, then placed (a transposition).
	at := make([]int, len(f.vals)+1)
	for _, id := range flat {
		at[id+1]++
	}
	for id := range f.vals {
		at[id+1] += at[id]
	}
	postings := make([]uint32, len(flat))
	next := slices.Clone(at)
	f.rows = make([][]uint32, n)
	start := 0
	for ord, end := range ends {
		f.rows[ord] = flat[start:end:end] // full slice: re-filing allocates anew
		for _, id := range f.rows[ord] {
			postings[next[id]] = uint32(ord)
			next[id]++
		}
		start = end
	}
	for id := range f.vals {
		f.bms[id].AddMany(postings[at[id]:at[id+1]])
	}
	f.egOf = slices.Clone(cat.EGOf)
	for i := range cat.EGs {
		if len(cat.UOsOf[i]) > 0 {
			f.egs[cat.EGs[i].FINESS] = roaring.BitmapOf(cat.UOsOf[i]...)
		}
	}
	return f
}

// refile takes UO ord out of the bitmaps of its old row and EG and files it
// again as cat has it now; ord may be new (past the last row).
func (f *files) refile(cat *ror.Catalog, ord uint32) {
	if int(ord) < len(f.rows) {
		for _, id := range f.rows[ord] {
			f.bms[id].Remove(ord)
		}
		if f.rows[ord] != nil {
			if bm := f.egs[cat.EGs[f.egOf[ord]].FINESS]; bm != nil {
				bm.Remove(ord)
			}
		}
	}
	for int(ord) >= len(f.rows) {
		f.rows = append(f.rows, nil)
		f.egOf = append(f.egOf, 0)
	}
	f.rows[ord] = f.row(nil, cat, ord)
	for _, id := range f.rows[ord] {
		f.bms[id].Add(ord)
	}
	if f.egOf[ord] != cat.EGOf[ord] { // only new UOs
		f.egOf[ord] = cat.EGOf[ord]
	}
	finess := cat.EGs[cat.EGOf[ord]].FINESS
	if f.egs[finess] == nil {
		f.egs[finess] = roaring.New()
	}
	f.egs[finess].Add(ord)
}

// dimOfValueSet is the dimension holding the codes of a value set.
func dimOfValueSet(vs ror.ValueSet) (dim, bool) {
	switch vs {
	case ror.VSTypeUO:
		return dim(ror.FacetTypeUO), true
	case ror.VSChampActivite:
		return dim(ror.FacetTypeOffre), true
	case ror.VSActivite:
		return dim(ror.FacetActivite), true
	case ror.VSActe:
		return dim(ror.FacetActe), true
	case ror.VSEquipement:
		return dim(ror.FacetEquipement), true
	case ror.VSMode:
		return dim(ror.FacetMode), true
	case ror.VSExpertise:
		return dimExpertise, true
	}
	return "", false
}

// set wraps a bitmap as ror.Candidates.
type set struct{ bm *roaring.Bitmap }

func (s set) Contains(ord uint32) bool  { return s.bm.Contains(ord) }
func (s set) Len() int                  { return int(s.bm.GetCardinality()) }
func (s set) Each(fn func(uint32) bool) { s.bm.Iterate(fn) }

// matchSet is the UOs a search matched, handed to the directory. Its
// Contains is asked thousands of times by one search (each EG the R-tree
// walk visits, each établissement gathered), 30 to 50 ns each in a roaring
// bitmap: past a few hundred asks the set is copied once into a plain bit
// array (75 kB at national scale, a few µs) where an ask is one bit test.
// The array is borrowed from densePool and given back by Release (ror.Match.
// Release): made anew for each search it was a third of the bytes the
// service allocated under load, and of the GC's work. A search's own: not
// for concurrent use.
type matchSet struct {
	bm    *roaring.Bitmap
	asks  int
	words []uint64
}

// denseAfter is how many asks a match set answers from its bitmap before
// copying it into words.
const denseAfter = 256

func (s *matchSet) Contains(ord uint32) bool {
	if s.words == nil {
		if s.asks++; s.asks <= denseAfter {
			return s.bm.Contains(ord)
		}
		s.words = dense(s.bm)
	}
	w := ord >> 6
	return int(w) < len(s.words) && s.words[w]&(1<<(ord&63)) != 0
}
func (s *matchSet) Len() int                  { return int(s.bm.GetCardinality()) }
func (s *matchSet) Each(fn func(uint32) bool) { s.bm.Iterate(fn) }

// Release gives the bit array back; the set answers from its bitmap again.
func (s *matchSet) Release() {
	if s.words != nil {
		w := s.words[:0]
		s.words, s.asks = nil, 0
		densePool.Put(&w)
	}
}

// densePool holds bit arrays of the catalog's size, cleared on the way out.
var densePool sync.Pool // *[]uint64

// dense copies bm into a bit array from densePool.
func dense(bm *roaring.Bitmap) []uint64 {
	n := int(bm.DenseSize())
	var w []uint64
	if p, _ := densePool.Get().(*[]uint64); p != nil && cap(*p) >= n {
		w = (*p)[:n]
		clear(w)
	} else {
		w = make([]uint64, n)
	}
	bm.WriteDenseTo(w)
	return w
}

// list is a small set of UO ordinals in increasing order, to hand out a few
// UOs without building a bitmap.
type list []uint32

func (l *list) Contains(ord uint32) bool {
	_, ok := slices.BinarySearch(*l, ord)
	return ok
}
func (l *list) Len() int { return len(*l) }
func (l *list) Each(fn func(uint32) bool) {
	for _, u := range *l {
		if !fn(u) {
			return
		}
	}
}
