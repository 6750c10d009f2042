package index

import (
	"fmt"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"

	"github.com/ror-recherche/ror"
)

// Options configure Build; zero values are sensible.
type Options struct {
	// Dir holds the vocabulary's Bleve index on disk, reused at the next
	// start when it was built from the same vocabulary and Stamp; "" keeps
	// it in memory, rebuilt at every start.
	Dir string
	// Stamp names the offer the index was built from (e.g. its import
	// time): a different stamp rebuilds the vocabulary.
	Stamp    string
	Filieres []ror.Filiere
	Synonyms [][]string // groups of equivalent words, written without accents
	// UsualNames are the names an établissement is also searched by, by
	// FINESS number (data.UsualNames), besides its FINESS name and long name.
	UsualNames map[string][]string
}

// Index implements ror.Index over a Catalog. It is safe for concurrent use;
// Reindex excludes readers while it re-files units.
type Index struct {
	mu           sync.RWMutex
	cat          *ror.Catalog
	nom          *ror.Nomenclature
	f            *files
	all          *roaring.Bitmap
	entries      []entry // the names first (names of them, in EG order), then the codes and filières
	names        int
	byLabelMu    sync.Mutex
	byLabel      []int32 // names by folded label (namesByLabel)
	byLabelUnits []int32 // UOs of each name of byLabel, as at generation byLabelGen
	byLabelGen   uint64
	vocab        bleve.Index
	nameIdx      *nameIndex          // the names' words, found without Bleve
	synonyms     map[string][]string // folded word → its equivalents
	usual        map[string][]string // FINESS → usual names (Options.UsualNames)
	filieres     map[string]filiere
	fb           facetBook
	gen          uint64 // counts Reindexes: cached unions of older generations are redone
	texts        textCache
	facetCounts  genCache[[]ror.FacetCounts]
	suggested    genCache[[]ror.Suggestion]
}

// filiere is a filière with its codes as values.
type filiere struct {
	ror.Filiere
	vals map[value]bool
}

// Build files every UO of cat in bitmaps and indexes the vocabulary. In
// memory, the names of établissements (most of the vocabulary) are indexed
// while the UOs are filed.
func Build(cat *ror.Catalog, nom *ror.Nomenclature, o Options) (*Index, error) {
	x := &Index{cat: cat, nom: nom, all: roaring.New(), synonyms: map[string][]string{}, filieres: map[string]filiere{}}
	x.facetCounts.copy = copyFacets
	x.suggested.copy = slices.Clone[[]ror.Suggestion]
	x.usual = o.UsualNames
	names := nameEntries(cat, x.usual)
	type built struct {
		idx bleve.Index
		err error
	}
	done := make(chan built, 1)
	if o.Dir == "" {
		docs := docsOf(names) // the goroutine's own: names get their bitmaps meanwhile
		go func() {
			idx, err := newMemVocab()
			if err == nil {
				if err = fillVocab(idx, docs, 0); err != nil {
					idx.Close()
				}
			}
			done <- built{idx, err}
		}()
	}
	x.f = newFiles(cat)
	x.fb = facetBook{f: x.f, nom: nom}
	x.fb.labelValues()
	x.all.AddRange(0, uint64(len(cat.UOs)))
	for i := range names {
		names[i].bm = x.f.egs[names[i].code]
	}
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
	for _, fil := range o.Filieres {
		x.addFiliere(fil)
	}
	codes := x.codeEntries(o.Filieres)
	x.entries = append(names, codes...)
	x.names = len(names)
	x.namesByLabel() // sorted now, not by the first user typing a name (40 ms at national scale)
	var err error
	if x.nameIdx, err = newNameIndex(x.entries[:x.names]); err != nil {
		return nil, err
	}
	if o.Dir != "" {
		x.vocab, err = openDiskVocab(x.entries, o.Dir, o.Stamp)
		return x, err
	}
	b := <-done
	if b.err != nil {
		return nil, b.err
	}
	x.vocab = b.idx
	if err := fillVocab(x.vocab, docsOf(codes), len(names)); err != nil {
		x.vocab.Close()
		return nil, fmt.Errorf("index: vocabulary: %w", err)
	}
	return x, nil
}

// addFiliere files a filière: its codes, and its UOs as the union of theirs.
func (x *Index) addFiliere(fil ror.Filiere) {
	f := filiere{Filiere: fil, vals: map[value]bool{}}
	var parts []*roaring.Bitmap
	for vs, codes := range fil.Codes {
		d, ok := dimOfValueSet(vs)
		if !ok {
			continue
		}
		for _, c := range codes {
			f.vals[value{d, c}] = true
			if bm := x.f.get(d, c); bm != nil {
				parts = append(parts, bm)
			}
		}
	}
	x.filieres[fil.ID] = f
	x.f.fils[fil.ID] = roaring.FastOr(parts...)
}

// Reindex (ror.Index) re-files UOs whose codes or statut changed and UOs appended to the
// catalog since Build, so that an offer change is searchable at once
// (microseconds per UO). The other UOs of their EGs are re-filed too, since
// département and origine come from the EG, and a renamed EG is found by its
// new name at once. The rest of the vocabulary is not rebuilt: a code no UO
// carried at Build, or the name of an EG that had no UO, is found by code
// and by filter at once, by text from the next start.
func (x *Index) Reindex(cat *ror.Catalog, ords []uint32) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.cat = cat
	x.gen++
	var todo []uint32
	for _, ord := range ords {
		if int(ord) < len(cat.UOs) {
			todo = append(todo, cat.UOsOf[cat.EGOf[ord]]...)
		}
	}
	slices.Sort(todo)
	x.rename(cat, todo)
	for _, ord := range slices.Compact(todo) {
		x.f.refile(cat, ord)
		x.all.Add(ord)
		for id, fil := range x.filieres {
			bm := x.f.fils[id]
			bm.Remove(ord)
			for _, v := range x.f.rows[ord] {
				if fil.vals[x.f.vals[v]] {
					bm.Add(ord)
					break
				}
			}
		}
	}
	x.fb.labelValues()
}

// Close releases the vocabulary index (and its files when on disk); a
// second Close does nothing, and text searches afterwards are Unavailable.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.vocab == nil {
		return nil
	}
	err := x.vocab.Close()
	x.vocab = nil
	return err
}
