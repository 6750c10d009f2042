package api

import "testing"

// TestFormulaCellsAreNeutralised: a contact or a search text that a
// spreadsheet would run is exported as text.
func TestFormulaCellsAreNeutralised(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://x","clic")`, `'=HYPERLINK("http://x","clic")`}, // the case
		{"@SUM(A1)", "'@SUM(A1)"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"\t=1", "'\t=1"},
		{"+33 4 74 45 46 00", "+33 4 74 45 46 00"}, // a phone stays a phone
		{"-12", "-12"},
		{"Centre hospitalier", "Centre hospitalier"},
	} {
		if got := neutralised([]any{tc.in})[0]; got != tc.want {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}
