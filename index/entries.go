package index

import (
	"cmp"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/ror-recherche/ror"
)

// entry is one thing a user can pick in "Rechercher dans": a code in use, a
// filière, an établissement's name; bm holds its UOs.
type entry struct {
	dans   ror.Dans
	code   string
	label  string
	detail string
	words  []string // folded words of the label and synonyms, for ranking
	also   string   // a name's other names (long, usual): searched, never shown
	folded string   // folded label
	eg     uint32   // a name's EG ordinal
	bm     *roaring.Bitmap
}

// nameEntries lists the names of the EGs that have UOs ("Noms"); their
// bitmaps are set once the UOs are filed.
func nameEntries(cat *ror.Catalog, usual map[string][]string) []entry {
	out := make([]entry, 0, len(cat.EGs))
	for i := range cat.EGs {
		if eg := &cat.EGs[i]; len(cat.UOsOf[i]) > 0 {
			out = append(out, nameEntry(eg, uint32(i), usual, nil))
		}
	}
	return out
}

// nameEntry is the entry of an EG's name, also found by its long name (an
// older source's, « HEGP GH UNIVERSITAIRE… ») and its usual names.
func nameEntry(eg *ror.EG, ord uint32, usual map[string][]string, bm *roaring.Bitmap) entry {
	var also []string
	if eg.LongName != "" && eg.LongName != eg.Name {
		also = append(also, eg.LongName)
	}
	also = append(also, usual[eg.FINESS]...)
	e := newEntry(ror.DansNoms, eg.FINESS, eg.Name, eg.Commune, also, bm)
	e.also = strings.Join(also, " ")
	e.eg = ord
	return e
}

// analysed is what the French analysis reads of an entry: its label, and a
// name's other names.
func (e *entry) analysed() string {
	if e.also == "" {
		return e.label
	}
	return e.label + " " + e.also
}

// codeEntries lists the codes some UO carries and the filières. An entry's
// bitmap is the index's own, so re-filed UOs are found through it at once.
func (x *Index) codeEntries(filieres []ror.Filiere) []entry {
	var out []entry
	for _, d := range []ror.Dans{ror.DansTypesUO, ror.DansActes, ror.DansEquipements, ror.DansActivites} {
		vd, _ := dimOfValueSet(d.ValueSet())
		for _, concept := range x.nom.Concepts(d.ValueSet()) {
			bm := x.f.get(vd, concept.Key)
			if bm == nil || bm.IsEmpty() {
				continue
			}
			out = append(out, newEntry(d, concept.Key, concept.Label, "", nil, bm))
		}
	}
	for _, f := range filieres {
		out = append(out, newEntry(ror.DansFilieres, f.ID, f.Label, "", f.Synonyms, x.f.fils[f.ID]))
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

// vocabVersion changes with the mapping or the documents, so that an index
// on disk written by an older build is rebuilt.
const vocabVersion = "3" // 2: names and codes in fields of their own; 3: positions for phrases

// stampKey is the internal key under which the index on disk records what
// it was built from; it is written last, so a build cut short is redone.
var stampKey = []byte("ror:stamp")

// fingerprint names the vocabulary exactly: the document ids are positions
// in entries, so an index on disk is reused only for the same entries.
func fingerprint(entries []entry, stamp string) string {
	h := fnv.New64a()
	for i := range entries {
		e := &entries[i]
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\n", e.dans, e.code, e.label, strings.Join(e.words, " "))
	}
	return vocabVersion + "/" + stamp + "/" + strconv.FormatUint(h.Sum64(), 16)
}

// newMemVocab returns an empty vocabulary index in memory. Scorch without
// a path keeps its segments in memory; it indexes and searches a
// 100,000-name vocabulary several times faster than NewMemOnly's
// upsidedown/gtreap store.
func newMemVocab() (bleve.Index, error) {
	im, err := vocabMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing("", im, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: vocabulary: %w", err)
	}
	return idx, nil
}

// openDiskVocab returns the vocabulary index in dir when it was built from
// the same entries and stamp, else builds it there anew.
func openDiskVocab(entries []entry, dir, stamp string) (bleve.Index, error) {
	want := fingerprint(entries, stamp)
	if idx, err := bleve.Open(dir); err == nil {
		got, err := idx.GetInternal(stampKey)
		if err == nil && string(got) == want {
			return idx, nil
		}
		idx.Close()
	}
	if err := clearVocabDir(dir); err != nil {
		return nil, err
	}
	im, err := vocabMapping()
	if err != nil {
		return nil, err
	}
	idx, err := bleve.NewUsing(dir, im, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("index: vocabulary in %s: %w", dir, err)
	}
	// The stamp goes last and only after every document: a build cut short
	// (or failing, e.g. a full disk) is redone at the next start.
	err = fillVocab(idx, docsOf(entries), 0)
	if err == nil {
		err = idx.SetInternal(stampKey, []byte(want))
	}
	if err != nil {
		idx.Close()
		return nil, fmt.Errorf("index: vocabulary in %s: %w", dir, err)
	}
	return idx, nil
}

// clearVocabDir removes an outdated index, refusing to empty a directory
// that is not one: Dir is configuration, and a wrong value must not wipe
// other data.
func clearVocabDir(dir string) error {
	names, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(names) == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("index: vocabulary in %s: %w", dir, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index_meta.json")); err != nil {
		return fmt.Errorf("index: %s is neither empty nor a Bleve index: not overwritten", dir)
	}
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("index: remove outdated vocabulary: %w", err)
	}
	return nil
}

// docsOf is what Bleve indexes of entries.
func docsOf(entries []entry) []vocabDoc {
	out := make([]vocabDoc, len(entries))
	for i, e := range entries {
		raw := strings.Join(e.words, " ")
		if e.dans == ror.DansNoms {
			out[i] = vocabDoc{Dans: string(e.dans), Label: e.analysed(), Raw: raw}
		} else {
			out[i] = vocabDoc{Dans: string(e.dans), CodeLabel: e.label, CodeRaw: raw}
		}
	}
	return out
}

// fillVocab indexes docs, doc i under the id first+i: the position of its
// entry in Index.entries.
func fillVocab(idx bleve.Index, docs []vocabDoc, first int) error {
	b := idx.NewBatch()
	for i, doc := range docs {
		if err := b.Index(strconv.Itoa(first+i), doc); err != nil {
			return err
		}
		if b.Size() >= 2000 {
			if err := idx.Batch(b); err != nil {
				return err
			}
			b = idx.NewBatch()
		}
	}
	return idx.Batch(b)
}

// rename re-indexes the names of the EGs of UOs ords (sorted) that changed
// in cat. The entries are copied, not changed in place: matches taken
// before keep reading the old ones without the lock.
func (x *Index) rename(cat *ror.Catalog, ords []uint32) {
	var entries []entry
	var renamed []int // positions in entries
	b := x.vocab.NewBatch()
	last := uint32(math.MaxUint32)
	for _, ord := range ords {
		eg := cat.EGOf[ord]
		if eg == last {
			continue
		}
		last = eg
		i, ok := slices.BinarySearchFunc(x.entries[:x.names], eg, func(e entry, eg uint32) int { return cmp.Compare(e.eg, eg) })
		if !ok || x.entries[i].label == cat.EGs[eg].Name && x.entries[i].also == nameEntry(&cat.EGs[eg], eg, x.usual, nil).also {
			continue
		}
		if entries == nil {
			entries = slices.Clone(x.entries)
		}
		old := &entries[i]
		entries[i] = nameEntry(&cat.EGs[eg], eg, x.usual, old.bm)
		renamed = append(renamed, i)
		if err := b.Index(strconv.Itoa(i), docsOf(entries[i : i+1])[0]); err != nil {
			return // the old name stays until the next start
		}
	}
	if entries == nil {
		return
	}
	// On disk, the index no longer matches its stamp: the next start
	// rebuilds it rather than trust it.
	if x.vocab.DeleteInternal(stampKey) != nil || x.vocab.Batch(b) != nil {
		return
	}
	for _, i := range renamed {
		x.nameIdx.remove(int32(i), &x.entries[i])
		x.nameIdx.add(int32(i), &entries[i])
	}
	x.entries = entries
	x.texts.clear()
	x.byLabelMu.Lock()
	x.byLabel = nil
	x.byLabelMu.Unlock()
}
