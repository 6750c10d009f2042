package search_test

import (
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

// An EJ is dated by its EGs' earliest dated record: an undated EG (the
// Île-de-France records of about 2013 carry none) does not make it undated,
// so AP-HP, one of whose sites is such a record, has a date in FHIR.
func TestEJDatedByItsDatedEGs(t *testing.T) {
	raw := directory(t).Raw()
	earliest := map[string]time.Time{}
	raw.EachEG(func(eg *ror.EG) bool {
		if t0, ok := earliest[eg.EJ]; !eg.UpdatedAt.IsZero() && (!ok || eg.UpdatedAt.Before(t0)) {
			earliest[eg.EJ] = eg.UpdatedAt
		}
		return true
	})
	n := 0
	raw.EachEJ(func(ej ror.EJ, since time.Time) bool {
		n++
		if !since.Equal(earliest[ej.FINESS]) {
			t.Errorf("EJ %s dated %v, its earliest dated EG %v", ej.FINESS, since, earliest[ej.FINESS])
		}
		return true
	})
	if _, since, ok := raw.EJ("750712184"); !ok || since.IsZero() {
		t.Errorf("AP-HP (750712184): found %v, dated %v", ok, since)
	}
	if n == 0 {
		t.Fatal("no EJ")
	}
}
