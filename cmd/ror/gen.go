package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/data/synth"
	"github.com/ror-recherche/ror/internal/wire"
)

// generate writes a national-scale sources directory at cfg.GenOut: the
// reference files (communes, départements, nomenclatures) copied from
// cfg.Sources, and generated établissements and units in the importer's
// formats. `ror import -sources <out>` then imports it like the real one.
func generate(cfg Config, stdout io.Writer) error {
	if cfg.Sources == "" || cfg.GenOut == "" {
		return fmt.Errorf("ror gen demande -sources (fichiers de référence) et -out (répertoire à écrire)")
	}
	start := time.Now()
	if err := os.MkdirAll(filepath.Join(cfg.GenOut, "nomenclatures"), 0o755); err != nil {
		return err
	}
	for _, name := range []string{"communes.csv", "departements.geojson"} {
		if err := copyFile(filepath.Join(cfg.Sources, name), filepath.Join(cfg.GenOut, name)); err != nil {
			return err
		}
	}
	noms, err := filepath.Glob(filepath.Join(cfg.Sources, "nomenclatures", "*.csv"))
	if err != nil {
		return err
	}
	for _, src := range noms {
		if err := copyFile(src, filepath.Join(cfg.GenOut, "nomenclatures", filepath.Base(src))); err != nil {
			return err
		}
	}
	f, err := os.Open(filepath.Join(cfg.Sources, "communes.csv"))
	if err != nil {
		return err
	}
	communes, err := data.ReadCommunes(f)
	f.Close()
	if err != nil {
		return err
	}
	nom, err := data.LoadNomenclature(filepath.Join(cfg.Sources, "nomenclatures"))
	if err != nil {
		return err
	}
	if err := synth.Generate(cfg.GenOut, communes, nom, synth.Options{EGs: cfg.GenEGs, Seed: cfg.GenSeed}); err != nil {
		return err
	}
	// The liberal professionals at national density, as an RPPS extract
	// named so that the import says « ror gen (synthétique) ».
	pros := synth.Professionals(communes, nom, synth.ProOptions{Seed: cfg.GenSeed})
	if err := synth.WriteRPPS(cfg.GenOut, wire.SynthRPPS, pros); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "jeu national écrit dans %s en %s\n", cfg.GenOut, time.Since(start).Round(time.Millisecond))
	return nil
}
