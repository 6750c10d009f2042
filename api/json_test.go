package api

import (
	"testing"

	"github.com/ror-recherche/ror"
)

// FuzzDecodeJSON feeds hostile bodies to the decoder of every JSON write:
// it never panics, and refuses with an Invalid error naming a JSON pointer.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"lits_installes":12,"lits_disponibles":3}`,
		`[{"uo":"010000024-REA","lits_installes":1,"lits_disponibles":1}]`,
		`{"finess_eg":"010000024","operations":[{"op":"creer_uo","uo":{"id":"x"}}]}`,
		`{"finess":"010000024","description":"x","email":"a@b.fr"}`,
		`{"resolution":"Numéro corrigé"}`, `{"date_effet":"2026-12-01T00:00:00+01:00"}`,
		`{"lits_installes":"douze"}`, `{} {}`, `[`, `{"inconnu":1}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		targets := []any{&ror.CapaciteUpdate{}, &[]ror.CapaciteUpdate{}, &ror.Draft{}, &ror.Anomaly{}, &draftAction{}, &anomalyClosing{}}
		for _, v := range targets {
			err := decodeJSON([]byte(body), v)
			if err == nil {
				continue
			}
			e := ror.AsError(err)
			if e == nil || e.Kind != ror.Invalid || e.Field == "" || e.Field[0] != '/' {
				t.Fatalf("body %q: got %#v, want an Invalid error with a JSON pointer", body, err)
			}
		}
	})
}

func TestDecodeJSONNamesTheField(t *testing.T) {
	var up ror.CapaciteUpdate
	err := decodeJSON([]byte(`{"lits_installes":"douze"}`), &up)
	if e := ror.AsError(err); e == nil || e.Field != "/lits_installes" {
		t.Errorf("got %v, want an error on /lits_installes", err)
	}
	if err := decodeJSON([]byte(`{"lits_installes":1} {"x":2}`), &up); err == nil {
		t.Error("trailing data was accepted")
	}
	if err := decodeJSON([]byte(`{"lits":1}`), &up); err == nil {
		t.Error("an unknown field was accepted")
	}
}
