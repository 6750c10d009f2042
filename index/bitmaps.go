package index

import (
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

// facetDims are the dimensions of the refine panel, in ror.AllFacets order.
var facetDims = func() []dim {
	out := make([]dim, len(ror.AllFacets))
	for i, f := range ror.AllFacets {
		out[i] = dim(f)
	}
	return out
}()

// bitmaps maps (dimension, code) to the UO ordinals carrying it.
type bitmaps map[dim]map[string]*roaring.Bitmap

func (b bitmaps) add(d dim, code string, ord uint32) {
	m := b[d]
	if m == nil {
		m = map[string]*roaring.Bitmap{}
		b[d] = m
	}
	bm := m[code]
	if bm == nil {
		bm = roaring.New()
		m[code] = bm
	}
	bm.Add(ord)
}

func (b bitmaps) get(d dim, code string) *roaring.Bitmap { return b[d][code] }

// addUO files every code of UO ord.
func (b bitmaps) addUO(cat *ror.Catalog, ord uint32) {
	u := &cat.UOs[ord]
	eg := &cat.EGs[cat.EGOf[ord]]
	b.add(dim(ror.FacetTypeUO), u.TypeUO, ord)
	b.add(dim(ror.FacetTypeOffre), u.ChampActivite, ord)
	for _, c := range u.Activites {
		b.add(dim(ror.FacetActivite), c, ord)
	}
	for _, c := range u.Actes {
		b.add(dim(ror.FacetActe), c, ord)
	}
	for _, c := range u.Equipements {
		b.add(dim(ror.FacetEquipement), c, ord)
	}
	for _, c := range u.Modes {
		b.add(dim(ror.FacetMode), c, ord)
	}
	for _, c := range u.Expertises {
		b.add(dimExpertise, c, ord)
	}
	if u.Patientele.Enfant {
		b.add(dim(ror.FacetPatientele), ror.PatienteleEnfant, ord)
	}
	if u.Patientele.Adulte {
		b.add(dim(ror.FacetPatientele), ror.PatienteleAdulte, ord)
	}
	b.add(dim(ror.FacetStatut), string(u.Statut), ord)
	b.add(dim(ror.FacetDepartement), eg.Department, ord)
	if eg.Geolocated() {
		b.add(dim(ror.FacetOrigine), ror.OrigineGeo, ord)
	} else {
		b.add(dim(ror.FacetOrigine), ror.OrigineNonGeo, ord)
	}
	b.add(dimEG, eg.FINESS, ord)
}

// removeUO takes ord out of every bitmap (before re-filing a changed UO).
func (b bitmaps) removeUO(ord uint32) {
	for _, m := range b {
		for _, bm := range m {
			bm.Remove(ord)
		}
	}
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

func (s set) Contains(ord uint32) bool { return s.bm.Contains(ord) }
func (s set) Len() int                 { return int(s.bm.GetCardinality()) }
func (s set) Each(fn func(uint32) bool) {
	it := s.bm.Iterator()
	for it.HasNext() {
		if !fn(it.Next()) {
			return
		}
	}
}
