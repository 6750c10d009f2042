package data

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/ror-recherche/ror"
)

// sourceDates are the dates of state of the mirror's FINESS files
// (SOURCES.md): a record kept from an older file carries its date.
var sourceDates = map[string]string{
	FileFINESS2021: "2021-01-08",
	FileFINESS:     "2020-03-06",
	FileFINESSIDF:  "2013",
}

// readEstablishments reads the FINESS files of dir. The base is the newest
// national file present: an official etalab-cs1100507 extract (the newest
// by name), else finess_etablissements_2021.csv (every category), else
// finess_etablissements.csv (hospital-type, or a generated set). Every
// other file only completes it:
//
//   - a record of the base keeps its own position, commune, address and
//     category; an older file gives it a long or usual name it lacks
//     (« HOP EUROPEEN GEORGES POMPIDOU HEGP ») and an EJ link it lacks;
//   - a record absent from the base is closed or renumbered since, and is
//     dropped, except when the base is the 2021 file and the FINESS number
//     falls in one of the rows its conversion skipped (SOURCES.md: the
//     10,000th, 20,000th… rows of the extract): such a record is kept, marked
//     with its source's date.
func readEstablishments(dir string, o *ror.Offer, rep *Report) error {
	var files []string
	extracts, _ := filepath.Glob(filepath.Join(dir, "etalab-cs1100507-stock-*.csv"))
	sort.Sort(sort.Reverse(sort.StringSlice(extracts)))
	for _, e := range extracts {
		files = append(files, filepath.Base(e))
	}
	// Names complete from the Île-de-France file first: its names are the
	// usual ones (« HOP EUROPEEN GEORGES POMPIDOU »), the 2020 file's long
	// names the administrative ones.
	files = append(files, FileFINESS2021, FileFINESSIDF, FileFINESS)
	var present []string
	for _, f := range files {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			present = append(present, f)
		}
	}
	if len(present) == 0 {
		return fmt.Errorf("sources: aucun fichier FINESS dans %s (%s attendu)", dir, FileFINESS2021)
	}
	base := present[0]
	if err := readFile(dir, base, true, o, func(r io.Reader) (err error) {
		o.EGs, err = ReadFINESS(r, base)
		return
	}); err != nil {
		return err
	}
	br := rep.source(base)
	br.Took = len(o.EGs)
	br.Note = "base nationale"
	at := make(map[string]int, len(o.EGs))
	for i := range o.EGs {
		at[o.EGs[i].FINESS] = i
	}
	var gaps [][2]string
	if base == FileFINESS2021 {
		gaps = skippedSlices(o.EGs)
	}
	for _, name := range present[1:] {
		sr := rep.source(name)
		var kept []ror.EG
		err := readFile(dir, name, false, o, func(r io.Reader) error {
			egs, err := ReadFINESS(r, name)
			for _, old := range egs {
				if i, ok := at[old.FINESS]; ok {
					complete(&o.EGs[i], &old, sr)
					continue
				}
				if inGap(gaps, old.FINESS) {
					old.SourceDate = sourceDates[name]
					kept = append(kept, old)
					continue
				}
				sr.Dropped["absents de "+base+" (fermés ou renumérotés depuis)"]++
			}
			return err
		})
		if err != nil {
			return err
		}
		for _, eg := range kept {
			at[eg.FINESS] = len(o.EGs)
			o.EGs = append(o.EGs, eg)
		}
		sr.Took = len(kept)
		if len(kept) > 0 {
			sr.Note = fmt.Sprintf("%d absents de %s parce que sa conversion a sauté leur ligne, gardés avec leur date", len(kept), base)
		}
	}
	sort.SliceStable(o.EGs, func(i, j int) bool { return o.EGs[i].FINESS < o.EGs[j].FINESS })
	return nil
}

// complete gives eg what old has and eg lacks: a name other than its own
// and an EJ link. Position, commune, address and category stay the base's.
func complete(eg, old *ror.EG, sr *SourceReport) {
	name := old.LongName
	if name == "" {
		name = old.Name
	}
	if eg.LongName == "" && name != "" && foldName(name) != foldName(eg.Name) {
		eg.LongName = name
		sr.Completed["noms longs ou usuels"]++
	}
	if eg.EJ == "" && old.EJ != "" {
		eg.EJ = old.EJ
		sr.Completed["liens EJ"]++
	}
	if eg.Point.Valid() && old.Point.Valid() && farKm(eg.Point, old.Point, 25) {
		sr.Dropped["positions à plus de 25 km de celle de la base (la base gardée)"]++
	}
}

// completeFromSAE gives an EG without an EJ the one its SAE 2020 row names.
func completeFromSAE(egs []ror.EG, sae map[string]SAE, sr *SourceReport) {
	sr.Took = len(sae)
	for i := range egs {
		if s, ok := sae[egs[i].FINESS]; ok && egs[i].EJ == "" && ror.ValidFINESS(s.EJ) {
			egs[i].EJ = s.EJ
			sr.Completed["liens EJ"]++
		}
	}
}

func foldName(s string) string { return strings.Join(strings.Fields(ror.Fold(s)), " ") }

// skippedSlices returns the gaps of the 2021 file where its conversion
// skipped a row: the FHIR generator cut the extract into slices of 10,000
// rows and lost one row at each cut, so the missing FINESS numbers lie
// between the sorted numbers around each multiple of 10,000. The window of
// a few rows covers how the slices count their first row.
func skippedSlices(egs []ror.EG) [][2]string {
	var out [][2]string
	for k := 1; k*10000 <= len(egs)+k; k++ {
		for j := k*10000 - k - 1; j <= k*10000; j++ {
			if j >= 1 && j < len(egs) {
				out = append(out, [2]string{egs[j-1].FINESS, egs[j].FINESS})
			}
		}
	}
	return out
}

func inGap(gaps [][2]string, finess string) bool {
	for _, g := range gaps {
		if g[0] < finess && finess < g[1] {
			return true
		}
	}
	return false
}

// farKm reports whether a and b are more than km apart (equirectangular:
// exact enough for a check).
func farKm(a, b ror.Point, km float64) bool {
	dx := (a.Lon - b.Lon) * 111.32 * math.Cos(a.Lat*math.Pi/180)
	dy := (a.Lat - b.Lat) * 110.57
	return dx*dx+dy*dy > km*km
}
