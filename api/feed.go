package api

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// feedColumns are the columns of a CSV capacitaire feed; "maj" is optional.
// An empty lits_installes or lits_disponibles cell refuses the line (never
// 0); an empty lits_fermes, lits_indetermines or lits_supplementaires is none.
var feedColumns = []string{"uo", "lits_installes", "lits_fermes", "lits_indetermines", "lits_supplementaires", "lits_disponibles", "maj"}

// ParseFeedCSV reads a CSV capacitaire feed (comma or semicolon separated,
// header row naming the columns of feedColumns in any order). A line that
// does not parse is reported, not fatal; a missing header or a feed too
// long is an Invalid error.
func ParseFeedCSV(r io.Reader) ([]ror.CapaciteUpdate, []ror.LineError, error) {
	br := &sniffReader{r: r}
	cr := csv.NewReader(br)
	cr.Comma = br.separator()
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, nil, ror.Errorf(ror.Invalid, "/", "Le flux CSV est vide ou illisible : une ligne d'en-tête est attendue.")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range feedColumns[:6] {
		if _, ok := col[c]; !ok {
			return nil, nil, ror.Errorf(ror.Invalid, "/", "La colonne « %s » manque dans l'en-tête du flux CSV.", c)
		}
	}
	var ups []ror.CapaciteUpdate
	var bad []ror.LineError
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if len(ups)+len(bad) >= ror.MaxFeedLines {
			return nil, nil, ror.Errorf(ror.Invalid, "/", "Le flux dépasse %d lignes : le découper.", ror.MaxFeedLines)
		}
		if err != nil {
			bad = append(bad, ror.LineError{Line: line, Message: "Ligne CSV illisible."})
			continue
		}
		up, le := feedLine(rec, col)
		if le != nil {
			le.Line = line
			bad = append(bad, *le)
			continue
		}
		up.Line = line
		ups = append(ups, up)
	}
	return ups, bad, nil
}

func feedLine(rec []string, col map[string]int) (ror.CapaciteUpdate, *ror.LineError) {
	get := func(name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	up := ror.CapaciteUpdate{UO: get("uo")}
	nums := []*int{&up.Installes, &up.Fermes, &up.Indetermines, &up.Supplementaires, &up.Disponibles}
	for i, name := range feedColumns[1:6] {
		s := get(name)
		if s == "" {
			if name == "lits_installes" || name == "lits_disponibles" {
				return up, &ror.LineError{UO: ror.Clip(up.UO), Field: name, Message: "Le champ « " + name + " » est vide : un chiffre absent n'est jamais compté 0."}
			}
			continue // no closed, unknown or extra bed
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return up, &ror.LineError{UO: ror.Clip(up.UO), Field: name, Message: "« " + ror.Clip(s) + " » n'est pas un nombre de lits."}
		}
		*nums[i] = n
	}
	if s := get("maj"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return up, &ror.LineError{UO: ror.Clip(up.UO), Field: "maj", Message: "La date doit être au format RFC 3339 (2026-11-22T08:30:00+01:00)."}
		}
		up.At = t
	}
	return up, nil
}

// sniffReader peeks at the first line to choose the separator.
type sniffReader struct {
	r    io.Reader
	head []byte
}

func (s *sniffReader) separator() rune {
	buf := make([]byte, 512)
	n, _ := io.ReadFull(s.r, buf)
	s.head = buf[:n]
	first, _, _ := strings.Cut(string(s.head), "\n")
	if strings.Count(first, ";") > strings.Count(first, ",") {
		return ';'
	}
	return ','
}

func (s *sniffReader) Read(p []byte) (int, error) {
	if len(s.head) > 0 {
		n := copy(p, s.head)
		s.head = s.head[n:]
		return n, nil
	}
	return s.r.Read(p)
}
