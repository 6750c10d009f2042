package ror

import (
	"errors"
	"fmt"
)

// Kind classifies a domain failure; api maps each kind to one HTTP status.
// The list is append-only.
type Kind int

const (
	Internal     Kind = iota // a bug or an unexpected failure: 500
	Invalid                  // bad input from the user: 400
	NotFound                 // no such resource: 404
	Conflict                 // the resource changed meanwhile: 409
	Unavailable              // not ready yet (still loading): 503
	Forbidden                // authenticated but outside one's scope: 403
	Unauthorized             // no or bad credentials: 401
	Limited                  // a bound reached (reports per client, per EG): 429
)

// Error is a domain failure. Message is French and safe to show to a user;
// Field names the offending query parameter or JSON pointer; Err is the cause,
// logged but never sent.
type Error struct {
	Kind    Kind
	Field   string
	Message string
	Err     error
	// Current is what the caller should start again from when Kind is
	// Conflict: the stored version, the stored figure's date. api sends it
	// as the problem's "actuel".
	Current any
}

func (e *Error) Error() string {
	s := e.Message
	if e.Field != "" {
		s = e.Field + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error of kind k about field, with a French message.
func Errorf(k Kind, field, format string, args ...any) *Error {
	return &Error{Kind: k, Field: field, Message: fmt.Sprintf(format, args...)}
}

// AsError returns the first *Error in err's chain, nil when there is none.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Under returns a copy of e whose Field is prefix + e.Field: a record's
// check says "nom", the draft holding it answers "/operations/2/uo/nom".
func (e *Error) Under(prefix string) *Error {
	c := *e
	c.Field = prefix + e.Field
	return &c
}

// ErrorKind returns the kind of err: that of the first *Error in its chain,
// Internal otherwise.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// IsNotFound reports whether err is a NotFound domain error.
func IsNotFound(err error) bool { return err != nil && ErrorKind(err) == NotFound }
