package ror_test

import (
	"fmt"
	"testing"

	"github.com/ror-recherche/ror"
)

// A domain error wrapped by an adapter is still found, and prefixing its
// field for the record that holds it leaves the original untouched.
func TestAsErrorAndUnder(t *testing.T) {
	inner := ror.Errorf(ror.Invalid, "type_uo", "Le code « x » n'existe pas.")
	wrapped := fmt.Errorf("store: put UO: %w", inner)
	e := ror.AsError(wrapped)
	if e != inner {
		t.Fatalf("AsError(wrapped) = %v, want the inner *Error", e)
	}
	got := e.Under("/operations/0/uo/")
	if got.Field != "/operations/0/uo/type_uo" || got.Kind != ror.Invalid || got.Message != inner.Message {
		t.Errorf("Under: got %+v, want field /operations/0/uo/type_uo, same kind and message", got)
	}
	if inner.Field != "type_uo" {
		t.Errorf("Under changed the original's field to %q", inner.Field)
	}
	if ror.AsError(fmt.Errorf("plain")) != nil {
		t.Error("AsError found a domain error in a plain error")
	}
}
