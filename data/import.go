package data

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/ror-recherche/ror"
)

// The files of a sources directory (sources.json has their official URLs).
const (
	FileCommunes    = "communes.csv"
	FileDepartments = "departements.geojson"
	FileFINESS      = "finess_etablissements.csv"
	FileFINESSIDF   = "finess_etablissements_idf_ars.csv"
	FileSAE         = "sae2020_capacites.csv"
	FileUO          = "uo.jsonl" // optional: explicit unit descriptions
	DirNomenclature = "nomenclatures"
)

// Import reads every official file of dir into an Offer: nomenclature,
// communes, départements, établissements (the national file first: it wins
// over the older Île-de-France one on a shared FINESS; any official
// etalab-cs1100507 extract present is read too), SAE figures, derived units,
// and the optional uo.jsonl. Nothing is written: a bad file fails the whole
// import, so nothing of it is half-stored.
func Import(ctx context.Context, dir string, now time.Time) (*ror.Offer, error) {
	o := &ror.Offer{ImportedAt: now}
	var err error
	if o.Nomenclature, err = LoadNomenclature(filepath.Join(dir, DirNomenclature)); err != nil {
		return nil, err
	}
	o.Sources = append(o.Sources, DirNomenclature+"/")
	if err := readFile(dir, FileCommunes, true, o, func(r io.Reader) (err error) { o.Communes, err = ReadCommunes(r); return }); err != nil {
		return nil, err
	}
	if err := readFile(dir, FileDepartments, true, o, func(r io.Reader) (err error) { o.Departments, err = ReadDepartments(r); return }); err != nil {
		return nil, err
	}
	finess := []string{FileFINESS, FileFINESSIDF}
	extracts, _ := filepath.Glob(filepath.Join(dir, "etalab-cs1100507-stock-*.csv"))
	for _, e := range extracts {
		finess = append(finess, filepath.Base(e))
	}
	seen := map[string]bool{}
	for i, name := range finess {
		err := readFile(dir, name, i == 0, o, func(r io.Reader) error {
			egs, err := ReadFINESS(r, name)
			for _, eg := range egs {
				if !seen[eg.FINESS] {
					seen[eg.FINESS] = true
					o.EGs = append(o.EGs, eg)
				}
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for i := range o.EGs {
		o.EGs[i].UpdatedAt, o.EGs[i].Version = now, 1
	}
	sae := map[string]SAE{}
	if err := readFile(dir, FileSAE, false, o, func(r io.Reader) (err error) { sae, err = ReadSAE(r); return }); err != nil {
		return nil, err
	}
	if o.UOs, err = DeriveUnits(o.EGs, sae, o.Communes, o.Nomenclature, now); err != nil {
		return nil, err
	}
	if err := readFile(dir, FileUO, false, o, func(r io.Reader) error { return mergeUOs(r, o, now) }); err != nil {
		return nil, err
	}
	o.EJs = EJs(o.EGs)
	return o, nil
}

// readFile opens dir/name and hands it to read; a missing optional file is
// skipped, a missing required one is an error.
func readFile(dir, name string, required bool, o *ror.Offer, read func(io.Reader) error) error {
	f, err := os.Open(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) && !required {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	defer f.Close()
	if err := read(bufio.NewReaderSize(f, 1<<16)); err != nil {
		return err
	}
	o.Sources = append(o.Sources, name)
	return nil
}

// mergeUOs reads uo.jsonl: one ror.UO per line, replacing a derived unit of
// the same id or adding one. A line with an unknown code or an unknown EG
// fails the import, naming the file, the line and the code.
func mergeUOs(r io.Reader, o *ror.Offer, now time.Time) error {
	egs := make(map[string]bool, len(o.EGs))
	for _, eg := range o.EGs {
		egs[eg.FINESS] = true
	}
	byID := make(map[string]int, len(o.UOs))
	for i, u := range o.UOs {
		byID[u.ID] = i
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		bad := func(msg string) error {
			return &ror.Error{Kind: ror.Invalid, Field: fmt.Sprintf("%s:%d", FileUO, line),
				Message: fmt.Sprintf("%s, ligne %d : %s", FileUO, line, msg)}
		}
		var u ror.UO
		if err := json.Unmarshal(b, &u); err != nil {
			return bad("JSON illisible : " + err.Error())
		}
		if u.Statut == "" {
			u.Statut = ror.StatutActif
		}
		if u.UpdatedAt.IsZero() {
			u.UpdatedAt = now
		}
		if err := u.Validate(o.Nomenclature); err != nil {
			return bad(err.(*ror.Error).Message + " (champ " + err.(*ror.Error).Field + ")")
		}
		if !egs[u.EG] {
			return bad("l'EG « " + u.EG + " » n'existe pas dans les fichiers FINESS")
		}
		if i, ok := byID[u.ID]; ok {
			o.UOs[i] = u
		} else {
			byID[u.ID] = len(o.UOs)
			o.UOs = append(o.UOs, u)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", FileUO, err)
	}
	sort.SliceStable(o.UOs, func(i, j int) bool { return o.UOs[i].ID < o.UOs[j].ID })
	return nil
}
