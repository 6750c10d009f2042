package api

import (
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

// FuzzEffectiveDate feeds hostile date_effet values: never a panic; either
// a date that prints back to an equal one, or an Invalid on /date_effet.
func FuzzEffectiveDate(f *testing.F) {
	for _, s := range []string{"", "2026-12-01T00:00:00+01:00", "2026-12-01", "2026-12-01T00:00:00Z", "1er décembre", "9999-99-99T99:99:99Z", "2026-12-01T00:00:00.123456789+14:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := effectiveDate(s)
		if err != nil {
			if e := ror.AsError(err); e == nil || e.Kind != ror.Invalid || e.Field != "/date_effet" {
				t.Fatalf("%q: got %#v, want an Invalid on /date_effet", s, err)
			}
			return
		}
		if s == "" {
			if !at.IsZero() {
				t.Fatalf("an absent date gave %v", at)
			}
			return
		}
		back, err := time.Parse(time.RFC3339Nano, at.Format(time.RFC3339Nano))
		if err != nil || !back.Equal(at) {
			t.Fatalf("%q: %v does not round-trip (%v)", s, at, err)
		}
	})
}
