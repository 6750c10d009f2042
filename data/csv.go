package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/ror-recherche/ror"
)

// table reads a CSV file with a header row, giving access to columns by name
// and errors that name the file and the line.
type table struct {
	name string
	r    *csv.Reader
	col  map[string]int
	rec  []string
	line int
}

func newTable(r io.Reader, name string, comma rune, required ...string) (*table, error) {
	cr := csv.NewReader(r)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	t := &table{name: name, r: cr, col: map[string]int{}}
	head, err := cr.Read()
	if err != nil {
		return nil, t.errorf("en-tête illisible : %v", err)
	}
	t.line = 1
	for i, h := range head {
		t.col[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	for _, c := range required {
		if _, ok := t.col[c]; !ok {
			return nil, t.errorf("colonne « %s » absente", c)
		}
	}
	return t, nil
}

// next reads the next row; false at the end.
func (t *table) next() (bool, error) {
	rec, err := t.r.Read()
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	t.line++
	if err != nil {
		return false, t.errorf("ligne illisible : %v", err)
	}
	t.rec = rec
	return true, nil
}

func (t *table) get(name string) string {
	i, ok := t.col[name]
	if !ok || i >= len(t.rec) {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// errorf is an Invalid error naming the file and the current line.
func (t *table) errorf(format string, args ...any) error {
	return &ror.Error{Kind: ror.Invalid, Field: fmt.Sprintf("%s:%d", t.name, t.line),
		Message: fmt.Sprintf("%s, ligne %d : %s", t.name, t.line, fmt.Sprintf(format, args...))}
}
