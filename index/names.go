package index

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"
)

// nameIndex finds the names of établissements having words, the way the
// vocabulary's Bleve query would (the same analyzers, the same rules: every
// word, stemmed or exact, the last one as a prefix, or a synonym) but from
// posting lists of its own. A frequent word ("psychiatrique", "sainte") is
// in 10,000 to 25,000 of the 100,000 names: Bleve scored and collected them
// one by one in 25 to 50 ms, here they are a union of bitmaps. Bleve keeps
// the codes (a few thousand labels) and the typo retry.
type nameIndex struct {
	fold, fr analysis.Analyzer
	raw      map[string]*roaring.Bitmap // folded word → entries (positions in Index.entries)
	stem     map[string]*roaring.Bitmap // French stem → entries
	terms    []string                   // the keys of raw, sorted: prefixes
	lens     []uint8                    // by entry: number of words, for the length norm
	n        float64                    // names, for the idf
}

func newNameIndex(entries []entry) (*nameIndex, error) {
	im, err := vocabMapping()
	if err != nil {
		return nil, err
	}
	ni := &nameIndex{fold: im.AnalyzerNamed(analyzerFold), fr: im.AnalyzerNamed(analyzerFR),
		raw: map[string]*roaring.Bitmap{}, stem: map[string]*roaring.Bitmap{}, lens: make([]uint8, len(entries)), n: float64(len(entries))}
	for i := range entries {
		ni.add(int32(i), &entries[i])
	}
	for t := range ni.raw {
		ni.terms = append(ni.terms, t)
	}
	slices.Sort(ni.terms)
	return ni, nil
}

// tokens are the terms analyzer a makes of s.
func tokens(a analysis.Analyzer, s string) []string {
	ts := a.Analyze([]byte(s))
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

// add files entry i under the terms Bleve indexes of it (docsOf).
func (ni *nameIndex) add(i int32, e *entry) {
	raw := tokens(ni.fold, strings.Join(e.words, " "))
	ni.lens[i] = uint8(min(len(raw), 255))
	for _, t := range raw {
		if ni.raw[t] == nil {
			ni.raw[t] = roaring.New()
			if ni.terms != nil { // after the start: keep the terms sorted
				j, _ := slices.BinarySearch(ni.terms, t)
				ni.terms = slices.Insert(ni.terms, j, t)
			}
		}
		ni.raw[t].Add(uint32(i))
	}
	for _, t := range tokens(ni.fr, e.analysed()) {
		if ni.stem[t] == nil {
			ni.stem[t] = roaring.New()
		}
		ni.stem[t].Add(uint32(i))
	}
}

// remove unfiles entry i (before it is filed again under a new name).
func (ni *nameIndex) remove(i int32, e *entry) {
	for _, t := range tokens(ni.fold, strings.Join(e.words, " ")) {
		if bm := ni.raw[t]; bm != nil {
			bm.Remove(uint32(i))
		}
	}
	for _, t := range tokens(ni.fr, e.analysed()) {
		if bm := ni.stem[t]; bm != nil {
			bm.Remove(uint32(i))
		}
	}
}

// match returns the names having every word of the folded text, each with
// a score that ranks them as Bleve's would roughly: the rarer the words
// and the shorter the name, the higher; an exact word over a stem over a
// prefix. syn gives each word's synonyms. The caller holds the read lock.
func (ni *nameIndex) match(entries []entry, words []string, syn map[string][]string) []hit {
	if len(words) == 0 {
		return nil
	}
	type alt struct {
		bm     *roaring.Bitmap
		weight float64 // of the kind of match, times the idf of its term
	}
	perWord := make([][]alt, len(words))
	var all *roaring.Bitmap
	for i, w := range words {
		var alts []alt
		if bm := ni.raw[w]; bm != nil {
			alts = append(alts, alt{bm, 1.5})
		}
		for _, t := range tokens(ni.fr, w) {
			if bm := ni.stem[t]; bm != nil {
				alts = append(alts, alt{bm, 1})
			}
		}
		if i == len(words)-1 && len(w) >= 2 {
			lo := sort.SearchStrings(ni.terms, w)
			var parts []*roaring.Bitmap
			for _, t := range ni.terms[lo:] {
				if !strings.HasPrefix(t, w) {
					break
				}
				parts = append(parts, ni.raw[t])
			}
			if len(parts) > 0 {
				alts = append(alts, alt{roaring.FastOr(parts...), 0.5})
			}
		}
		for _, s := range syn[w] {
			if bm := ni.phrase(entries, s); bm != nil {
				alts = append(alts, alt{bm, 1})
			}
		}
		if len(alts) == 0 {
			return nil
		}
		parts := make([]*roaring.Bitmap, len(alts))
		for j := range alts {
			parts[j] = alts[j].bm
			alts[j].weight *= ni.idf(alts[j].bm)
		}
		slices.SortFunc(alts, func(a, b alt) int { return cmp.Compare(b.weight, a.weight) })
		u := roaring.FastOr(parts...)
		if all == nil {
			all = u
		} else {
			all.And(u)
		}
		if all.IsEmpty() {
			return nil
		}
		perWord[i] = alts
	}
	out := make([]hit, 0, all.GetCardinality())
	all.Iterate(func(i uint32) bool {
		s := 0.0
		for _, alts := range perWord {
			for j, a := range alts { // best first: the first holding i
				if j == len(alts)-1 || a.bm.Contains(i) {
					s += a.weight
					break
				}
			}
		}
		s /= math.Sqrt(float64(max(ni.lens[i], 1)))
		out = append(out, hit{e: &entries[i], score: min(s, 50)})
		return true
	})
	return out
}

// idf is the inverse document frequency of a term having the names of bm.
func (ni *nameIndex) idf(bm *roaring.Bitmap) float64 {
	return 1 + math.Log(ni.n/float64(1+bm.GetCardinality()))
}

// phrase returns the names having the words of a synonym in sequence.
func (ni *nameIndex) phrase(entries []entry, s string) *roaring.Bitmap {
	ws := tokens(ni.fold, s)
	if len(ws) == 0 {
		return nil
	}
	var parts []*roaring.Bitmap
	for _, w := range ws {
		bm := ni.raw[w]
		if bm == nil {
			return nil
		}
		parts = append(parts, bm)
	}
	cands := roaring.FastAnd(parts...)
	if len(ws) == 1 {
		return cands
	}
	out := roaring.New()
	cands.Iterate(func(i uint32) bool {
		if hasSequence(tokens(ni.fold, strings.Join(entries[i].words, " ")), ws) {
			out.Add(i)
		}
		return true
	})
	return out
}

func hasSequence(words, seq []string) bool {
	for i := 0; i+len(seq) <= len(words); i++ {
		if slices.Equal(words[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}
