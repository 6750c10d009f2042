package api

import (
	"bytes"

	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/ror-recherche/ror"
)

// xlsxColumns are the columns of the export, one row per UO with its EG.
var xlsxColumns = []struct {
	title string
	width float64
}{
	{"Établissement", 40}, {"FINESS", 12}, {"Adresse", 34}, {"Code postal", 11}, {"Commune", 22},
	{"Département", 20}, {"Téléphone", 14}, {"Distance (km)", 13}, {"Durée estimée (min)", 12},
	{"Type d'UO", 44}, {"Nom de l'UO", 34}, {"Patientèle", 11}, {"Statut", 12}, {"Lits disponibles", 15},
	{"Intervient à", 22}, // a mobile unit whose zone holds the commune searched: its distance is its base's
	{"Provenance de la description", 60},
}

// handleSearchXLSX is GET /api/v1/search.xlsx?<search parameters>: every
// result of the search (at most MaxResults établissements) as an Excel file.
func (s reads) handleSearchXLSX(c *fiber.Ctx) error {
	res, q, err := s.search(c, true)
	if err != nil {
		return err
	}
	body, err := WriteXLSX(res, q, time.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="ror-recherche-`+time.Now().Format("2006-01-02")+`.xlsx"`)
	return c.Send(body)
}

// WriteXLSX renders every result of res as a workbook: a sheet of results
// with a frozen header row, and a sheet of the search criteria q and date.
func WriteXLSX(res *ror.Answer, q ror.Query, at time.Time) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Résultats"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	header := make([]any, len(xlsxColumns))
	for i, col := range xlsxColumns {
		header[i] = col.title
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, name, name, col.width); err != nil {
			return nil, err
		}
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, Split: false, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: bold}); err != nil {
		return nil, err
	}
	row := 2
	for _, eg := range append(append([]ror.EGResult{}, res.All...), res.NonGeolocalisees...) {
		for _, u := range eg.UOs {
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, xlsxRow(eg, u)); err != nil {
				return nil, err
			}
			row++
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	if err := criteriaSheet(f, res, q, at); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func xlsxRow(eg ror.EGResult, u ror.UOResult) []any {
	var dist, dur, lits any = "", "", ""
	if eg.DistanceKm != nil {
		dist = *eg.DistanceKm
	}
	switch {
	case eg.DurationMin != nil:
		dur = *eg.DurationMin // a number, to sort by; the column says it is an estimate
	case eg.NoRoad:
		dur = "hors réseau routier"
	}
	if u.LitsDispo != nil {
		lits = *u.LitsDispo
	} else {
		lits = disponibilite(false, 0) // no figure entered: said, not left blank
	}
	return neutralised([]any{eg.Name, eg.FINESS, eg.Address, eg.PostalCode, eg.Commune.Name, eg.Department.Name,
		eg.Phone, dist, dur, u.TypeUO.Label, u.Name, u.Patientele, statutLabel(u.Statut), lits, u.Intervient, provenanceText(u.Provenance)})
}

// provenanceText is the export's provenance cell: the page's wording, then
// the rule and what it rests on (« règle EHPAD ; FINESS 2021-01-08 »), or
// the dossier that validated the unit.
func provenanceText(p ror.Provenance) string {
	t := p.Label()
	if t == "" {
		return "inconnue"
	}
	var on []string
	if p.Rule != "" {
		on = append(on, "règle "+p.Rule)
	}
	if p.Source != "" {
		on = append(on, p.Source)
	}
	if len(on) > 0 {
		t += " (" + strings.Join(on, " ; ") + ")"
	}
	return t
}

// neutralised returns row with every text that a spreadsheet would read as
// a formula (=HYPERLINK(…), +cmd, -2+3, @SUM, a leading tab or CR) prefixed
// with an apostrophe, as OWASP advises for CSV/XLSX injection: the cell
// shows the text, never runs it. A phone number (+33 4 74…) or a plain
// negative number is left alone.
func neutralised(row []any) []any {
	for i, v := range row {
		if s, ok := v.(string); ok && formulaLike(s) {
			row[i] = "'" + s
		}
	}
	return row
}

func formulaLike(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return true
	case '+', '-':
		return strings.TrimLeft(s[1:], "0123456789 .") != ""
	}
	return false
}

func statutLabel(s ror.Statut) string {
	switch s {
	case ror.StatutActif:
		return "Actif"
	case ror.StatutFermeTemporair:
		return "Fermé temporairement"
	case ror.StatutFerme:
		return "Fermé"
	}
	return string(s)
}

func criteriaSheet(f *excelize.File, res *ror.Answer, q ror.Query, at time.Time) error {
	const sheet = "Critères"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	rows := [][]any{
		{"Recherche ROR Recherche", ""},
		{"Date", at.Format("02/01/2006 15:04")},
		{"Où ?", originLabel(res)},
		{"Rechercher dans", q.Dans.Title()},
		{"Texte", q.Text},
		{"Codes", strings.Join(q.Codes, ", ")},
		{"Tri", string(res.Tri)},
		{"Résumé", res.Summary.Text},
	}
	if q.RayonKm > 0 {
		rows = append(rows, []any{"Rayon (km)", q.RayonKm})
	}
	for _, facet := range ror.AllFacets {
		if v := q.Filters[facet]; len(v) > 0 {
			rows = append(rows, []any{facet.Title(), strings.Join(v, ", ")})
		}
	}
	for i, r := range rows {
		r = neutralised(r)
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheet, "A", "B", 30)
}

func originLabel(res *ror.Answer) string {
	if res.From == nil {
		return ""
	}
	return res.From.Label()
}
