package index

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/ror-recherche/ror"
)

// vocabDoc is what Bleve indexes of an entry. Names and codes have fields
// of their own: a search among the codes (the suggestions' second search,
// its typo retry above all) then never reads the terms of 100,000 names.
type vocabDoc struct {
	Dans      string `json:"dans"`
	Label     string `json:"label,omitempty"` // a name, French analysis: folding, elision, stop words, light stemming
	Raw       string `json:"raw,omitempty"`   // a name, folding only: prefixes and typos
	CodeLabel string `json:"code_label,omitempty"`
	CodeRaw   string `json:"code_raw,omitempty"`
}

// fields are the two fields of one kind of entry: French analysis, and
// folding only.
type fields struct{ label, raw string }

var (
	nameFields = fields{"label", "raw"}
	codeFields = fields{"code_label", "code_raw"}
)

const (
	analyzerFR   = "fr_plie" // French with accent folding
	analyzerFold = "plie"    // folding and lower case only
)

func vocabMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	err := im.AddCustomAnalyzer(analyzerFR, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{fr.ElisionName, lowercase.Name, fr.StopName, fr.LightStemmerName},
	})
	if err != nil {
		return nil, err
	}
	err = im.AddCustomAnalyzer(analyzerFold, map[string]any{
		"type":          custom.Name,
		"char_filters":  []string{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []string{fr.ElisionName, lowercase.Name},
	})
	if err != nil {
		return nil, err
	}
	// Only the inverted index is used: the entries themselves live in
	// Index.entries, so nothing is stored, no doc values, no _all field
	// (each would double the cost of indexing 100,000 names).
	lean := func(fm *mapping.FieldMapping, analyzer string) *mapping.FieldMapping {
		fm.Analyzer = analyzer
		fm.Store, fm.IncludeInAll, fm.IncludeTermVectors, fm.DocValues = false, false, false, false
		return fm
	}
	doc := bleve.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("dans", lean(bleve.NewKeywordFieldMapping(), keyword.Name))
	for _, f := range []fields{nameFields, codeFields} {
		doc.AddFieldMappingsAt(f.label, lean(bleve.NewTextFieldMapping(), analyzerFR))
		raw := lean(bleve.NewTextFieldMapping(), analyzerFold)
		raw.IncludeTermVectors = true // positions: a synonym of several words is a phrase
		doc.AddFieldMappingsAt(f.raw, raw)
	}
	im.DefaultMapping = doc
	im.DefaultAnalyzer = analyzerFold
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im, nil
}

// textQuery builds the Bleve query of a typed text: every word must match
// (stemmed, exactly, as a prefix for the last one, or within one typo for
// words of 4 letters or more, two from 7); a word of a synonym group matches
// any of its group. Names are searched in their fields, codes in theirs.
func textQuery(synonyms map[string][]string, text string, dans ror.Dans, fuzzy bool) query.Query {
	var fs []fields
	switch dans {
	case ror.DansTout, "":
		fs = []fields{nameFields, codeFields}
	case ror.DansNoms:
		fs = []fields{nameFields}
	default:
		fs = []fields{codeFields}
	}
	words := strings.Fields(ror.Fold(text))
	var must []query.Query
	for i, w := range words {
		last := i == len(words)-1
		var alts []query.Query
		for _, f := range fs {
			alts = append(alts, wordQuery(w, last, fuzzy, f))
			for _, syn := range synonyms[w] {
				alts = append(alts, phraseQuery(syn, f))
			}
		}
		must = append(must, bleve.NewDisjunctionQuery(alts...))
	}
	all := bleve.NewConjunctionQuery(must...)
	switch dans {
	case ror.DansTout, "", ror.DansNoms, dansNotNames:
		return all // the fields say the kind
	}
	t := bleve.NewTermQuery(string(dans))
	t.SetField("dans")
	all.AddQuery(t)
	return all
}

// dansNotNames searches every category but the names of établissements,
// which are many and would crowd out the codes.
const dansNotNames ror.Dans = "-noms"

func wordQuery(w string, last, fuzzy bool, f fields) query.Query {
	m := bleve.NewMatchQuery(w)
	m.SetField(f.label)
	m.Analyzer = analyzerFR
	t := bleve.NewTermQuery(w)
	t.SetField(f.raw)
	t.SetBoost(1.5)
	alts := []query.Query{m, t}
	if last && len(w) >= 2 {
		p := bleve.NewPrefixQuery(w)
		p.SetField(f.raw)
		alts = append(alts, p)
	}
	if n := len([]rune(w)); fuzzy && n >= 4 {
		fz := bleve.NewFuzzyQuery(w)
		fz.SetField(f.raw)
		fz.SetFuzziness(1)
		if n >= 7 { // "urgense" for "urgences"
			fz.SetFuzziness(2)
		}
		fz.SetBoost(0.3)
		alts = append(alts, fz)
	}
	return bleve.NewDisjunctionQuery(alts...)
}

// phraseQuery matches a synonym: one word or several in sequence.
func phraseQuery(s string, f fields) query.Query {
	if !strings.Contains(s, " ") {
		t := bleve.NewTermQuery(s)
		t.SetField(f.raw)
		return t
	}
	p := bleve.NewMatchPhraseQuery(s)
	p.SetField(f.raw)
	p.Analyzer = analyzerFold
	return p
}

// hit is an entry found for a text, with its rank.
type hit struct {
	e     *entry
	tier  int     // 0: the label starts with the text, 1: every word starts a label word, 2: other (stem, synonym), 3: typo
	score float64 // for ordering criteria results: higher is better
}

// search returns the entries matching text in dans, at most size, best
// first. The names are found by their own posting lists (nameIndex), the
// codes by Bleve; typos are tried, by Bleve over all, only when the words
// as typed find fewer than enough entries: fuzzy matching costs ten times
// more.
func (x *Index) search(text string, dans ror.Dans, size, enough int) ([]hit, error) {
	if x.vocab == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "L'index de recherche est fermé.")
	}
	folded := ror.Fold(text)
	words := strings.Fields(folded)
	var out []hit
	if dans == ror.DansTout || dans == "" || dans == ror.DansNoms {
		out = x.nameIdx.match(x.entries, words, x.synonyms)
	}
	if dans != ror.DansNoms {
		codes := dans
		if dans == ror.DansTout || dans == "" {
			codes = dansNotNames
		}
		hits, err := x.bleveSearch(text, codes, false, size)
		if err != nil {
			return nil, err
		}
		out = append(out, hits...)
	}
	var asTyped map[*entry]bool // with a typo retry: what the words as typed found
	if len(out) < enough {
		asTyped = make(map[*entry]bool, len(out))
		for _, h := range out {
			asTyped[h.e] = true
		}
		var err error
		if out, err = x.bleveSearch(text, dans, true, size); err != nil {
			return nil, err
		}
	}
	for i := range out {
		h := &out[i]
		h.tier = tierOf(h.e, folded, words, x.synonyms)
		if h.tier == 2 && asTyped != nil && !asTyped[h.e] {
			h.tier = tierTypo // found only with a letter changed: below every word as typed
		}
		h.score = categoryBoost[h.e.dans]*tierWeight[h.tier] + h.score/100
	}
	slices.SortStableFunc(out, func(a, b hit) int { return cmp.Compare(b.score, a.score) }) // typed: sort.SliceStable's reflection was most of a broad word's cost
	return out[:min(len(out), size)], nil
}

// bleveSearch returns the size best entries Bleve finds for text in dans,
// with Bleve's score.
func (x *Index) bleveSearch(text string, dans ror.Dans, fuzzy bool, size int) ([]hit, error) {
	req := bleve.NewSearchRequestOptions(textQuery(x.synonyms, text, dans, fuzzy), size, 0, false)
	res, err := x.vocab.Search(req)
	if err != nil {
		return nil, fmt.Errorf("index: search %q: %w", text, err)
	}
	out := make([]hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		i, err := strconv.Atoi(h.ID)
		if err != nil || i >= len(x.entries) {
			continue
		}
		out = append(out, hit{e: &x.entries[i], score: h.Score})
	}
	return out, nil
}

// categoryBoost ranks a type d'UO, acte or filière match over a name match.
var categoryBoost = map[ror.Dans]float64{
	ror.DansTypesUO: 1.5, ror.DansFilieres: 1.5, ror.DansActes: 1.4,
	ror.DansEquipements: 1.2, ror.DansActivites: 1.1, ror.DansNoms: 0.8,
}

// tierWeight ranks all words over some, and a label starting with the text
// first; a typo last.
var tierWeight = [4]float64{3, 2, 1, 0.5}

// tierTypo is the tier of an entry found only with a letter changed.
const tierTypo = 3

func tierOf(e *entry, folded string, words []string, syn map[string][]string) int {
	if strings.HasPrefix(e.folded, folded) {
		return 0
	}
	for _, w := range words {
		if !startsAWord(e.words, w) && !anySynonym(e.words, syn[w]) {
			return 2
		}
	}
	return 1
}

func startsAWord(words []string, w string) bool {
	for _, x := range words {
		if strings.HasPrefix(x, w) {
			return true
		}
	}
	return false
}

func anySynonym(words []string, syns []string) bool {
	for _, s := range syns {
		first, _, _ := strings.Cut(s, " ")
		if startsAWord(words, first) {
			return true
		}
	}
	return false
}
