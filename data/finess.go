package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// ReadFINESS reads établissements in either format, detected from the first
// line: the mirror's CSV (header finess_et,finess_ej,name,…) or the official
// etalab-cs1100507 extract (";"-separated structureet and geolocalisation
// lines, positions in Lambert 93). source names the file in errors and in
// EG.Source.
func ReadFINESS(r io.Reader, source string) ([]ror.EG, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(64)
	if bytes.HasPrefix(bytes.TrimPrefix(head, []byte("\ufeff")), []byte("finess;")) {
		return readEtalab(br, source)
	}
	return readMirror(br, source)
}

func readMirror(r io.Reader, source string) ([]ror.EG, error) {
	t, err := newTable(r, source, ',', "finess_et", "finess_ej", "name", "category_code", "commune_insee", "lat", "lon")
	if err != nil {
		return nil, err
	}
	var out []ror.EG
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		eg := ror.EG{
			FINESS: t.get("finess_et"), EJ: t.get("finess_ej"), Name: t.get("name"), LongName: t.get("long_name"),
			Category: t.get("category_code"), Address: t.get("address"), PostalCode: t.get("postal_code"),
			Commune: t.get("commune_insee"), Department: t.get("department"), Phone: t.get("phone"), Source: source,
		}
		if eg.Point, err = point(t.get("lat"), t.get("lon")); err != nil {
			return nil, t.errorf("%v", err)
		}
		if eg.UpdatedAt, err = factDate(t.get("updated")); err != nil {
			return nil, t.errorf("date de mise à jour « %s » illisible", t.get("updated"))
		}
		if err := checkEG(&eg); err != nil {
			return nil, t.errorf("%s", err.Error())
		}
		out = append(out, eg)
	}
}

// factDate reads a FINESS date (datemaj: the date of the fact), zero when
// the source has none.
func factDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.Parse(time.DateOnly, s)
}

func checkEG(eg *ror.EG) error {
	if !ror.ValidFINESS(eg.FINESS) {
		return fmt.Errorf("FINESS ET « %s » mal formé", eg.FINESS)
	}
	if eg.EJ != "" && !ror.ValidFINESS(eg.EJ) {
		return fmt.Errorf("FINESS EJ « %s » mal formé", eg.EJ)
	}
	if len(eg.Commune) != 5 {
		return fmt.Errorf("commune INSEE « %s » absente ou mal formée", eg.Commune)
	}
	if eg.Name == "" {
		return fmt.Errorf("raison sociale vide")
	}
	if eg.Department == "" {
		eg.Department = departmentOf(eg.Commune)
	}
	return nil
}

// departmentOf derives the département from an INSEE code (97x for the DOM).
func departmentOf(insee string) string {
	if strings.HasPrefix(insee, "97") {
		return insee[:3]
	}
	return insee[:2]
}

// Columns of the etalab-cs1100507 extract (documented by the FINESS
// "Extraction du fichier des établissements" on data.gouv.fr).
const (
	etNofinesset   = 1
	etNofinessej   = 2
	etRs           = 3
	etRslongue     = 4
	etNumvoie      = 7
	etTypvoie      = 8
	etVoie         = 9
	etCommune      = 12
	etDepartement  = 13
	etAcheminement = 15
	etTelephone    = 16
	etCategetab    = 18
	etDatemaj      = 30
	etMinColumns   = 19
	geoX, geoY     = 2, 3
)

// domDepartments maps the FINESS codes of the overseas départements to the
// COG ones.
var domDepartments = map[string]string{"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}

func readEtalab(r io.Reader, source string) ([]ror.EG, error) {
	cr := csv.NewReader(r)
	cr.Comma = ';'
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	byFINESS := map[string]*ror.EG{}
	var order []string
	type xy struct{ x, y float64 }
	pos := map[string]xy{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		bad := func(format string, args ...any) error {
			return &ror.Error{Kind: ror.Invalid, Field: fmt.Sprintf("%s:%d", source, line),
				Message: fmt.Sprintf("%s, ligne %d : %s", source, line, fmt.Sprintf(format, args...))}
		}
		if err != nil {
			return nil, bad("ligne illisible : %v", err)
		}
		switch rec[0] {
		case "finess":
			continue
		case "structureet":
			if len(rec) < etMinColumns {
				return nil, bad("%d colonnes, %d attendues au moins", len(rec), etMinColumns)
			}
			eg := etalabEG(rec, source)
			eg.UpdatedAt = etalabDate(rec)
			if err := checkEG(eg); err != nil {
				return nil, bad("%v", err)
			}
			if _, dup := byFINESS[eg.FINESS]; !dup {
				order = append(order, eg.FINESS)
			}
			byFINESS[eg.FINESS] = eg
		case "geolocalisation":
			if len(rec) <= geoY {
				return nil, bad("ligne geolocalisation incomplète")
			}
			x, err1 := strconv.ParseFloat(strings.TrimSpace(rec[geoX]), 64)
			y, err2 := strconv.ParseFloat(strings.TrimSpace(rec[geoY]), 64)
			if err1 != nil || err2 != nil {
				return nil, bad("coordonnées « %s;%s » illisibles", rec[geoX], rec[geoY])
			}
			pos[rec[1]] = xy{x, y}
		default:
			return nil, bad("type de ligne « %s » inconnu", clip(rec[0]))
		}
	}
	out := make([]ror.EG, 0, len(order))
	for _, f := range order {
		eg := byFINESS[f]
		// Lambert 93 for mainland France and Corsica, UTM overseas.
		if p, ok := pos[f]; ok {
			if lon, lat, ok := FINESSToWGS84(eg.Department, p.x, p.y); ok {
				eg.Point = ror.Point{Lon: lon, Lat: lat}
			}
		}
		out = append(out, *eg)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].FINESS < out[j].FINESS })
	return out, nil
}

func etalabEG(rec []string, source string) *ror.EG {
	f := func(i int) string { return strings.TrimSpace(rec[i]) }
	dep := f(etDepartement)
	insee := dep + f(etCommune)
	if cog, ok := domDepartments[dep]; ok {
		insee, dep = "97"+f(etCommune), cog
	}
	acheminement := f(etAcheminement)
	pc, _, _ := strings.Cut(acheminement, " ")
	addr := strings.Join(strings.Fields(f(etNumvoie)+" "+f(etTypvoie)+" "+f(etVoie)), " ")
	return &ror.EG{
		FINESS: f(etNofinesset), EJ: f(etNofinessej), Name: f(etRs), LongName: f(etRslongue),
		Category: f(etCategetab), Address: addr, PostalCode: pc, Commune: insee, Department: dep,
		Phone: f(etTelephone), Source: source,
	}
}

// etalabDate reads the datemaj column when the line has it, zero otherwise.
func etalabDate(rec []string) time.Time {
	if len(rec) <= etDatemaj {
		return time.Time{}
	}
	t, _ := factDate(strings.TrimSpace(rec[etDatemaj]))
	return t
}

func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// EJs derives the Entités Juridiques from the FINESS EJ of the EGs. No EJ
// extract is in the sources, so no EJ has a named source: each is shown by
// its FINESS number (« Entité juridique 750712184 »), never by the name of
// one of its sites.
func EJs(egs []ror.EG) []ror.EJ {
	seen := map[string]bool{}
	var order []string
	for _, eg := range egs {
		if eg.EJ != "" && !seen[eg.EJ] {
			seen[eg.EJ] = true
			order = append(order, eg.EJ)
		}
	}
	sort.Strings(order)
	out := make([]ror.EJ, 0, len(order))
	for _, ej := range order {
		out = append(out, ror.EJ{FINESS: ej, Name: "Entité juridique " + ej})
	}
	return out
}
