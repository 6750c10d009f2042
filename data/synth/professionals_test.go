package synth_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/data/synth"
	"github.com/ror-recherche/ror/internal/sources"
)

// The generated professionals read back through the RPPS importer, at the
// density asked, placed by population.
func TestGeneratedProfessionalsReadAsAnExtract(t *testing.T) {
	src := sources.Dir(t)
	f, _ := os.Open(filepath.Join(src, "communes.csv"))
	communes, err := data.ReadCommunes(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	nom, err := data.LoadNomenclature(filepath.Join(src, "nomenclatures"))
	if err != nil {
		t.Fatal(err)
	}
	list := synth.Professionals(communes, nom, synth.ProOptions{Kines: 900, SagesFemmes: 230, Generalistes: 1000, Seed: 3})
	if len(list) != 2130 {
		t.Fatalf("%d professionals, want 2130", len(list))
	}
	out := t.TempDir()
	if err := synth.WriteRPPS(out, "PS_LibreAcces_Personne_activite_synthetique.txt", list); err != nil {
		t.Fatal(err)
	}
	byINSEE := map[string]ror.Commune{}
	for _, c := range communes {
		byINSEE[c.INSEE] = c
	}
	r, err := os.Open(filepath.Join(out, "PS_LibreAcces_Personne_activite_synthetique.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	read, rep, err := data.ReadRPPS(r, "synth", data.RPPSOptions{Communes: byINSEE, Now: time.Now()})
	if err != nil || len(rep.Malformed) != 0 || len(read) != len(list) {
		t.Fatalf("read back %d of %d, %v, %v", len(read), len(list), rep.Malformed, err)
	}
	paris := 0
	for _, p := range read {
		if p.Lieux[0].Commune[:2] == "75" {
			paris++
		}
	}
	// Paris holds about 3 % of the population: a population draw puts a
	// few dozen of 2,130 there, a uniform one by commune almost none.
	if paris < 25 || paris > 120 {
		t.Errorf("%d professionals in Paris, want about 3 %%", paris)
	}
}
