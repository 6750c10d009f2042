package index_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/internal/sources"
)

// loadNomenclature reads the national value sets once for the package.
func loadNomenclature(tb testing.TB) *ror.Nomenclature {
	tb.Helper()
	dir := filepath.Join(sources.Dir(tb), "nomenclatures")
	nomOnce.Do(func() { nom, nomErr = data.LoadNomenclature(dir) })
	if nomErr != nil {
		tb.Fatal(nomErr)
	}
	return nom
}

var (
	nomOnce sync.Once
	nom     *ror.Nomenclature
	nomErr  error
)

// zipf draws from keys with a skew: the first few are very common, most
// are rare, like the codes of the national offer.
type zipf struct {
	keys []string
	z    *rand.Zipf
}

func newZipf(r *rand.Rand, n *ror.Nomenclature, vs ror.ValueSet) zipf {
	var keys []string
	for _, c := range n.Concepts(vs) {
		keys = append(keys, c.Key)
	}
	// Shuffled with the fixed seed so the common codes are not simply the
	// first of the file.
	r.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	return zipf{keys: keys, z: rand.NewZipf(r, 1.2, 2, uint64(len(keys)-1))}
}

func (z zipf) draw() string { return z.keys[z.z.Uint64()] }

func (z zipf) some(r *rand.Rand, max int) []string {
	n := r.IntN(max + 1)
	out := make([]string, 0, n)
	for range n {
		out = append(out, z.draw())
	}
	return out
}

// nameWords make the names of generated établissements.
var nameWords = []string{"Centre", "Hospitalier", "Clinique", "Saint", "Joseph", "Marie", "Pasteur",
	"Les", "Tilleuls", "Résidence", "Soleil", "Val", "Loire", "Médical", "Polyclinique", "Parc",
	"Fondation", "Rothschild", "EHPAD", "Les Lilas", "Bellevue", "Sainte-Anne", "Université", "Nord"}

// synthCatalog generates egs établissements with uos units over real codes
// of n, deterministically from seed.
func synthCatalog(tb testing.TB, n *ror.Nomenclature, egs, uos int, seed uint64) *ror.Catalog {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, seed+1))
	types, champs := newZipf(r, n, ror.VSTypeUO), newZipf(r, n, ror.VSChampActivite)
	activites, actes := newZipf(r, n, ror.VSActivite), newZipf(r, n, ror.VSActe)
	equipements, modes := newZipf(r, n, ror.VSEquipement), newZipf(r, n, ror.VSMode)
	expertises := newZipf(r, n, ror.VSExpertise)
	eg := make([]ror.EG, egs)
	for i := range eg {
		dep := fmt.Sprintf("%02d", 1+int(math.Min(94, r.ExpFloat64()*20)))
		name := nameWords[r.IntN(len(nameWords))] + " " + nameWords[r.IntN(len(nameWords))] + " " + nameWords[r.IntN(len(nameWords))]
		eg[i] = ror.EG{FINESS: fmt.Sprintf("%s%07d", dep, i), Name: name, Commune: dep + "001", Department: dep}
		if r.Float64() > 0.03 {
			eg[i].Point = ror.Point{Lon: -4 + 12*r.Float64(), Lat: 42 + 9*r.Float64()}
		}
	}
	units := make([]ror.UO, uos)
	statuts := []ror.Statut{ror.StatutActif, ror.StatutActif, ror.StatutActif, ror.StatutActif, ror.StatutFermeTemporair, ror.StatutFerme}
	for j := range units {
		e := &eg[r.IntN(egs)]
		units[j] = ror.UO{ID: fmt.Sprintf("%s-%07d", e.FINESS, j), EG: e.FINESS, TypeUO: types.draw(),
			ChampActivite: champs.draw(), Activites: activites.some(r, 3), Actes: actes.some(r, 2),
			Equipements: equipements.some(r, 2), Modes: modes.some(r, 2), Expertises: expertises.some(r, 1),
			Patientele: ror.Patientele{Enfant: r.IntN(3) == 0, Adulte: r.IntN(5) != 0},
			Statut:     statuts[r.IntN(len(statuts))]}
	}
	return ror.NewCatalog(eg, units)
}

// synthIndex builds the index of a national-scale generated catalog once.
func synthIndex(b testing.TB) (*index.Index, *ror.Catalog) {
	b.Helper()
	n := loadNomenclature(b)
	synthOnce.Do(func() {
		synthCat = synthCatalog(b, n, 100_000, 500_000, 42)
		fil, err := data.Filieres(n)
		if err != nil {
			b.Fatal(err)
		}
		synthIdx, synthErr = index.Build(synthCat, n, index.Options{Filieres: fil, Synonyms: data.Synonyms()})
	})
	if synthErr != nil {
		b.Fatal(synthErr)
	}
	return synthIdx, synthCat
}

var (
	synthOnce sync.Once
	synthCat  *ror.Catalog
	synthIdx  *index.Index
	synthErr  error
)

// BenchmarkBuild measures the start: 500,000 UOs of 100,000 EGs in bitmaps
// and the vocabulary in Bleve.
func BenchmarkBuild(b *testing.B) {
	n := loadNomenclature(b)
	c := synthCatalog(b, n, 100_000, 500_000, 42)
	fil, err := data.Filieres(n)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("bitmaps", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			index.FileAll(c)
		}
	})
	b.Run("reopened", func(b *testing.B) {
		dir := filepath.Join(b.TempDir(), "vocab")
		opts := index.Options{Dir: dir, Stamp: "1", Filieres: fil, Synonyms: data.Synonyms()}
		x, err := index.Build(c, n, opts)
		if err != nil {
			b.Fatal(err)
		}
		x.Close()
		b.ReportAllocs()
		for b.Loop() {
			x, err := index.Build(c, n, opts)
			if err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			if _, err := x.Suggest(context.Background(), "obes", ror.DansTout, 8); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			x.Close()
		}
	})
	b.Run("all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			x, err := index.Build(c, n, index.Options{Filieres: fil, Synonyms: data.Synonyms()})
			if err != nil {
				b.Fatal(err)
			}
			x.Close()
		}
	})
}

// BenchmarkMatchNational runs the three kinds of query on the generated
// national-scale catalog.
func BenchmarkMatchNational(b *testing.B) {
	x, _ := synthIndex(b)
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    ror.Query
	}{
		{"code", ror.Query{Dans: ror.DansTypesUO, Codes: []string{"20"}}},
		{"broad-text", ror.Query{Dans: ror.DansTout, Text: "centre"}},
		{"3-filters", ror.Query{Dans: ror.DansTout, Text: "medecine", Filters: ror.Filters{ror.FacetDepartement: {"75", "01"}, ror.FacetStatut: {"actif"}}}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				m, err := x.Match(ctx, &bc.q)
				if err != nil {
					b.Fatal(err)
				}
				if m.Score != nil { // the first page's scores, as a search asks them
					n := 0
					m.Units.Each(func(o uint32) bool { m.Score(o); n++; return n < 200 })
				}
			}
		})
	}
}

// BenchmarkSuggestNational suggests for a prefix, a typo and a name on the
// generated national-scale catalog, with the vocabulary in memory and on
// disk.
func BenchmarkSuggestNational(b *testing.B) {
	mem, c := synthIndex(b)
	n := loadNomenclature(b)
	fil, err := data.Filieres(n)
	if err != nil {
		b.Fatal(err)
	}
	disk, err := index.Build(c, n, index.Options{Dir: filepath.Join(b.TempDir(), "vocab"), Filieres: fil, Synonyms: data.Synonyms()})
	if err != nil {
		b.Fatal(err)
	}
	defer disk.Close()
	for _, x := range []struct {
		name string
		idx  *index.Index
	}{{"memory", mem}, {"disk", disk}} {
		for _, text := range []string{"obes", "urgense", "clinique saint"} {
			b.Run(x.name+"/"+text, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := x.idx.Suggest(context.Background(), text, ror.DansTout, ror.SuggestLimit); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkFacets compares the two ways of counting facets on match sets
// from 0.1 % to 100 % of the national-scale catalog: scanShare comes from
// here.
func BenchmarkFacets(b *testing.B) {
	x, c := synthIndex(b)
	for _, share := range []float64{0.001, 0.01, 0.05, 0.2, 0.5, 0.8, 1} {
		r := rand.New(rand.NewPCG(3, 4))
		var ords []uint32
		for o := range c.UOs {
			if r.Float64() < share {
				ords = append(ords, uint32(o))
			}
		}
		for _, way := range []string{"rows", "bitmaps"} {
			b.Run(fmt.Sprintf("%g%%/%s", share*100, way), func(b *testing.B) {
				set := index.Subset(ords)
				for b.Loop() {
					x.CountFacets(set, way == "rows")
				}
			})
		}
	}
}
