package index

import (
	"sort"
	"strings"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"

	"github.com/ror-recherche/ror"
)

// Options configure Build; zero values are sensible.
type Options struct {
	Filieres []ror.Filiere
	Synonyms [][]string // groups of equivalent words, written without accents
}

// Index implements ror.Index over a Catalog.
type Index struct {
	mu       sync.RWMutex
	cat      *ror.Catalog
	nom      *ror.Nomenclature
	bms      bitmaps
	all      *roaring.Bitmap
	entries  []entry
	byKey    map[string]*entry // "types-uo:20", "noms:750000341"
	vocab    bleve.Index
	synonyms map[string][]string // folded word → its equivalents
	filieres map[string]ror.Filiere
}

// Build files every UO of cat in bitmaps and indexes the vocabulary.
func Build(cat *ror.Catalog, nom *ror.Nomenclature, o Options) (*Index, error) {
	x := &Index{cat: cat, nom: nom, bms: bitmaps{}, all: roaring.New(), byKey: map[string]*entry{},
		synonyms: map[string][]string{}, filieres: map[string]ror.Filiere{}}
	for ord := range cat.UOs {
		x.bms.addUO(cat, uint32(ord))
	}
	x.all.AddRange(0, uint64(len(cat.UOs)))
	for _, g := range o.Synonyms {
		for _, w := range g {
			fw := ror.Fold(w)
			for _, other := range g {
				if fo := ror.Fold(other); fo != fw {
					x.synonyms[fw] = append(x.synonyms[fw], fo)
				}
			}
		}
	}
	for _, f := range o.Filieres {
		x.filieres[f.ID] = f
		bm := x.filiereBitmap(f)
		x.bms[dimFiliere] = mapOr(x.bms[dimFiliere])
		x.bms[dimFiliere][f.ID] = bm
	}
	x.entries = x.vocabEntries(o.Filieres)
	for i := range x.entries {
		e := &x.entries[i]
		x.byKey[string(e.dans)+":"+e.code] = e
	}
	var err error
	if x.vocab, err = buildVocab(x.entries); err != nil {
		return nil, err
	}
	return x, nil
}

func mapOr(m map[string]*roaring.Bitmap) map[string]*roaring.Bitmap {
	if m == nil {
		return map[string]*roaring.Bitmap{}
	}
	return m
}

// filiereBitmap is the union of the bitmaps of a filière's codes.
func (x *Index) filiereBitmap(f ror.Filiere) *roaring.Bitmap {
	var parts []*roaring.Bitmap
	for vs, codes := range f.Codes {
		d, ok := dimOfValueSet(vs)
		if !ok {
			continue
		}
		for _, c := range codes {
			if bm := x.bms.get(d, c); bm != nil {
				parts = append(parts, bm)
			}
		}
	}
	return roaring.FastOr(parts...)
}

// vocabEntries lists what suggestions and text criteria can match: the
// codes some UO carries, the filières, the names of the EGs.
func (x *Index) vocabEntries(filieres []ror.Filiere) []entry {
	var out []entry
	for _, c := range []struct {
		dans ror.Dans
		vs   ror.ValueSet
	}{{ror.DansTypesUO, ror.VSTypeUO}, {ror.DansActes, ror.VSActe}, {ror.DansEquipements, ror.VSEquipement}, {ror.DansActivites, ror.VSActivite}} {
		d, _ := dimOfValueSet(c.vs)
		for _, concept := range x.nom.Concepts(c.vs) {
			bm := x.bms.get(d, concept.Key)
			if bm == nil || bm.IsEmpty() {
				continue
			}
			out = append(out, newEntry(c.dans, concept.Key, concept.Label, "", nil, bm))
		}
	}
	for _, f := range filieres {
		out = append(out, newEntry(ror.DansFilieres, f.ID, f.Label, "", f.Synonyms, x.bms.get(dimFiliere, f.ID)))
	}
	for i := range x.cat.EGs {
		eg := &x.cat.EGs[i]
		bm := x.bms.get(dimEG, eg.FINESS)
		if bm == nil {
			continue
		}
		out = append(out, newEntry(ror.DansNoms, eg.FINESS, eg.Name, eg.Commune, nil, bm))
	}
	return out
}

func newEntry(dans ror.Dans, code, label, detail string, synonyms []string, bm *roaring.Bitmap) entry {
	if bm == nil {
		bm = roaring.New()
	}
	folded := ror.Fold(label)
	words := strings.Fields(folded)
	for _, s := range synonyms {
		words = append(words, strings.Fields(ror.Fold(s))...)
	}
	return entry{dans: dans, code: code, label: label, detail: detail, folded: folded, words: words, bm: bm}
}

// Update re-files UOs whose codes changed and UOs appended to the catalog
// since Build, so that an offer change is searchable at once. The
// vocabulary is not rebuilt: a code no UO carried before becomes searchable
// by code, and by text at the next start.
func (x *Index) Update(cat *ror.Catalog, ords []uint32) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.cat = cat
	sort.Slice(ords, func(i, j int) bool { return ords[i] < ords[j] })
	for _, ord := range ords {
		x.bms.removeUO(ord)
		x.bms.addUO(cat, ord)
		x.all.Add(ord)
	}
	for id, f := range x.filieres {
		x.bms[dimFiliere][id] = x.filiereBitmap(f)
	}
	for i := range x.entries {
		e := &x.entries[i]
		switch e.dans {
		case ror.DansFilieres:
			e.bm = x.bms.get(dimFiliere, e.code)
		}
	}
}

// Reindex implements ror.Index with Update.
func (x *Index) Reindex(cat *ror.Catalog, ords []uint32) { x.Update(cat, ords) }

// Close releases the vocabulary index.
func (x *Index) Close() error { return x.vocab.Close() }
