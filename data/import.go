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
	"slices"
	"sort"
	"time"

	"github.com/ror-recherche/ror"
)

// The files of a sources directory (sources.json has their official URLs).
const (
	FileCommunes    = "communes.csv"
	FileDepartments = "departements.geojson"
	FileFINESS2021  = "finess_etablissements_2021.csv" // national, every category, 2021-01-08
	FileFINESS      = "finess_etablissements.csv"      // national, hospital-type, 2020-03-06

	FileFINESSIDF   = "finess_etablissements_idf_ars.csv"
	FileSAE         = "sae2020_capacites.csv"
	FileUO          = "uo.jsonl" // optional: explicit unit descriptions
	DirNomenclature = "nomenclatures"
)

// Import reads every official file of dir into an Offer (see ImportWith).
func Import(ctx context.Context, dir string, now time.Time) (*ror.Offer, error) {
	o, _, err := ImportWith(ctx, dir, now, Options{})
	return o, err
}

// Options narrow an import.
type Options struct {
	// Departments, when set, keeps the établissements of these
	// départements only (COG codes: "75", "2A", "971"): tests that need a
	// slice of France rather than all of it.
	Departments []string
}

// ImportWith reads every official file of dir into an Offer: nomenclature,
// communes, départements, établissements (the newest national FINESS file
// is the base, the older ones only complete it: see readEstablishments),
// SAE figures, derived units, and the optional uo.jsonl. Nothing is
// written: a bad file fails the whole import, so nothing of it is
// half-stored. The report says per source what was taken, completed and
// dropped.
func ImportWith(ctx context.Context, dir string, now time.Time, opt Options) (*ror.Offer, *Report, error) {
	o := &ror.Offer{ImportedAt: now}
	rep := &Report{}
	var err error
	if o.Nomenclature, err = LoadNomenclature(filepath.Join(dir, DirNomenclature)); err != nil {
		return nil, nil, err
	}
	o.Sources = append(o.Sources, DirNomenclature+"/")
	if err := readFile(dir, FileCommunes, true, o, func(r io.Reader) (err error) { o.Communes, err = ReadCommunes(r); return }); err != nil {
		return nil, nil, err
	}
	if err := readFile(dir, FileDepartments, true, o, func(r io.Reader) (err error) { o.Departments, err = ReadDepartments(r); return }); err != nil {
		return nil, nil, err
	}
	if err := readEstablishments(dir, o, rep); err != nil {
		return nil, nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if len(opt.Departments) > 0 {
		keep := map[string]bool{}
		for _, d := range opt.Departments {
			keep[d] = true
		}
		o.EGs = slices.DeleteFunc(o.EGs, func(eg ror.EG) bool { return !keep[eg.Department] })
	}
	for i := range o.EGs {
		o.EGs[i].Version = 1
	}
	sae := map[string]SAE{}
	if err := readFile(dir, FileSAE, false, o, func(r io.Reader) (err error) { sae, err = ReadSAE(r); return }); err != nil {
		return nil, nil, err
	}
	if err := readFile(dir, FileSAESSR, false, o, func(r io.Reader) error { return ReadSAESSR(r, sae) }); err != nil {
		return nil, nil, err
	}
	for _, s := range sae {
		if s.Flags["smr"] {
			rep.source(FileSAESSR).Took++
		}
	}
	if sr := rep.source(FileSAESSR); sr.Took > 0 {
		sr.Note = "établissements et leurs mentions SMR autorisées (2020)"
	}
	completeFromSAE(o.EGs, sae, rep.source(FileSAE))
	if o.UOs, err = DeriveUnits(o.EGs, sae, o.Communes, o.Nomenclature, now); err != nil {
		return nil, nil, err
	}
	if err := readFile(dir, FileUO, false, o, func(r io.Reader) error { return mergeUOs(r, o, now) }); err != nil {
		return nil, nil, err
	}
	o.EJs = EJs(o.EGs)
	return o, rep, nil
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
		if u.Provenance.Kind == "" {
			u.Provenance = ror.Provenance{Kind: ror.ProvenanceDeclaree, Source: FileUO}
		}
		if len(u.Lieux) > 0 {
			// A lieu de réalisation is the établissement's declaration: a
			// load has no lieu to point to, and never invents one.
			return bad("« lieux » : les lieux de réalisation se déclarent par un dossier collaboratif, pas au chargement")
		}
		if err := u.Validate(o.Nomenclature); err != nil {
			if e := ror.AsError(err); e != nil {
				return bad(e.Message + " (champ " + e.Field + ")")
			}
			return bad(err.Error())
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
