package data

import (
	"fmt"
	"sort"
	"strings"
)

// Report says, per source file, what the import took from it, what it
// completed with it and what it dropped, and why.
type Report struct {
	Sources []SourceReport
}

// SourceReport is one file's part of an import.
type SourceReport struct {
	File      string
	Took      int            // records taken as they are (new EGs, units)
	Completed map[string]int // field completed on a record of another source → count
	Dropped   map[string]int // reason → count
	Note      string
}

func (r *Report) source(file string) *SourceReport {
	for i := range r.Sources {
		if r.Sources[i].File == file {
			return &r.Sources[i]
		}
	}
	r.Sources = append(r.Sources, SourceReport{File: file, Completed: map[string]int{}, Dropped: map[string]int{}})
	return &r.Sources[len(r.Sources)-1]
}

// Lines renders the report in French, one line per source.
func (r *Report) Lines() []string {
	var out []string
	for _, s := range r.Sources {
		line := fmt.Sprintf("%s : %d pris", s.File, s.Took)
		if len(s.Completed) > 0 {
			line += ", complété " + counts(s.Completed)
		}
		if len(s.Dropped) > 0 {
			line += ", écarté " + counts(s.Dropped)
		}
		if s.Note != "" {
			line += " (" + s.Note + ")"
		}
		out = append(out, line)
	}
	return out
}

func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%d %s", m[k], k)
	}
	return strings.Join(parts, ", ")
}
