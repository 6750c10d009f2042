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
	{"Département", 20}, {"Téléphone", 14}, {"Distance (km)", 13}, {"Durée (min)", 12},
	{"Type d'UO", 44}, {"Nom de l'UO", 34}, {"Patientèle", 11}, {"Statut", 12}, {"Lits disponibles", 15},
}

// handleSearchXLSX is GET /api/v1/search.xlsx?<search parameters>: every
// result of the search (at most MaxResults établissements) as an Excel file.
func (s *Server) handleSearchXLSX(c *fiber.Ctx) error {
	res, err := s.search(c, true)
	if err != nil {
		return err
	}
	body, err := WriteXLSX(res, time.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="ror-recherche-`+time.Now().Format("2006-01-02")+`.xlsx"`)
	return c.Send(body)
}

// WriteXLSX renders every result of res as a workbook: a sheet of results
// with a frozen header row, and a sheet of the search criteria and date.
func WriteXLSX(res *ror.Results, at time.Time) ([]byte, error) {
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
	if err := criteriaSheet(f, res, at); err != nil {
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
	if eg.DurationMin != nil {
		dur = *eg.DurationMin
	}
	if u.LitsDispo != nil {
		lits = *u.LitsDispo
	}
	return []any{eg.Name, eg.FINESS, eg.Address, eg.PostalCode, eg.Commune.Name, eg.Department.Name,
		eg.Phone, dist, dur, u.TypeUO.Label, u.Name, u.Patientele, statutLabel(u.Statut), lits}
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

func criteriaSheet(f *excelize.File, res *ror.Results, at time.Time) error {
	const sheet = "Critères"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	q := res.Query
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
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	return f.SetColWidth(sheet, "A", "B", 30)
}

func originLabel(res *ror.Results) string {
	if res.From == nil {
		return ""
	}
	return res.From.Label()
}
