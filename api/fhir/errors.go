package fhir

import (
	"fmt"
	"net/http"
)

// fhirError is a refusal the FHIR way: an HTTP status and one issue of an
// OperationOutcome naming the parameter.
type fhirError struct {
	status int
	code   string // OperationOutcome issue type: invalid, not-supported, not-found…
	param  string
	msg    string
}

func (e *fhirError) Error() string { return e.msg }

func invalid(param, format string, args ...any) *fhirError {
	return &fhirError{status: http.StatusBadRequest, code: "invalid", param: param, msg: fmt.Sprintf(format, args...)}
}

func unsupported(param, format string, args ...any) *fhirError {
	return &fhirError{status: http.StatusBadRequest, code: "not-supported", param: param, msg: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *fhirError {
	return &fhirError{status: http.StatusNotFound, code: "not-found", msg: fmt.Sprintf(format, args...)}
}

func outcome(severity string, errs ...*fhirError) *OperationOutcome {
	oo := &OperationOutcome{Type_: "OperationOutcome"}
	for _, e := range errs {
		is := Issue{Severity: severity, Code: e.code, Diagnostics: e.msg, Details: &CodeableConcept{Text: e.msg}}
		if e.param != "" {
			is.Expression = []string{e.param}
		}
		oo.Issue = append(oo.Issue, is)
	}
	return oo
}
