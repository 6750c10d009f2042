package ror

import (
	"encoding/json"
	"fmt"
	"time"
)

// Change is one entry of the audit trail: who changed what, when, with the
// record before and after (JSON). The store writes it in the same
// transaction as the change itself.
type Change struct {
	At     time.Time       `json:"date"`
	Author string          `json:"auteur"`
	Kind   string          `json:"type"` // "capacitaire", "uo", "eg", "compte", "anomalie", "brouillon"
	ID     string          `json:"id"`   // UO id, EG FINESS, account name, report or draft id
	EG     string          `json:"finess_eg,omitempty"`
	Before json.RawMessage `json:"avant,omitempty"`
	After  json.RawMessage `json:"apres,omitempty"`
}

// ChangeOf returns c with before and after encoded as JSON (nil as null);
// an encoding failure is Internal, never an entry silently without its
// record.
func ChangeOf(c Change, before, after any) (Change, error) {
	for _, f := range []struct {
		v   any
		dst *json.RawMessage
	}{{before, &c.Before}, {after, &c.After}} {
		b, err := json.Marshal(f.v)
		if err != nil {
			return c, &Error{Kind: Internal, Message: "Historique illisible.", Err: fmt.Errorf("audit %s %s: %w", c.Kind, c.ID, err)}
		}
		*f.dst = b
	}
	return c, nil
}

// Account is a named user of the write API. Tokens are stored hashed.
type Account struct {
	Name      string    `json:"nom"`
	Role      Role      `json:"role"`
	Scope     []string  `json:"perimetre,omitempty"` // FINESS of EJ or EG the account may change
	Expires   time.Time `json:"expire,omitzero"`
	Revoked   bool      `json:"revoque,omitempty"`
	CreatedAt time.Time `json:"cree"`
}

// Role is what an account may do.
type Role string

// The roles of the ROR.
const (
	RoleLecteur      Role = "lecteur"           // reads the directory
	RoleReferent     Role = "referent"          // keeps the offer of its EJ/EG true
	RoleGestionnaire Role = "gestionnaire_lits" // updates the beds of its EJ/EG
	RoleAdmin        Role = "administrateur"    // anything
	// RoleProfessionnel is a liberal professional describing their own
	// offer: Scope holds their RPPS number (professional.go).
	RoleProfessionnel Role = "professionnel"
)

// ValidRole reports whether r is one of the roles.
func ValidRole(r Role) bool {
	switch r {
	case RoleLecteur, RoleReferent, RoleGestionnaire, RoleAdmin, RoleProfessionnel:
		return true
	}
	return false
}

// MayWriteSomeBeds reports whether a's role writes beds at all: the
// gestionnaires de lits (the ROR's « Responsable de disponibilités en
// lits ») and the administrators; référents keep the offer, not the beds.
func (a *Account) MayWriteSomeBeds() bool {
	return a.Role == RoleAdmin || a.Role == RoleGestionnaire
}

// MayWriteBeds reports whether a may change the capacitaire of a UO of the
// EG eg (FINESS) belonging to the EJ ej.
func (a *Account) MayWriteBeds(eg, ej string) bool {
	switch a.Role {
	case RoleAdmin:
		return true
	case RoleGestionnaire:
		for _, s := range a.Scope {
			if s == eg || (ej != "" && s == ej) {
				return true
			}
		}
	}
	return false
}

// MayEditOffer reports whether a may change the offer of the EG eg of the
// EJ ej: its référents and the administrators.
func (a *Account) MayEditOffer(eg, ej string) bool {
	switch a.Role {
	case RoleAdmin:
		return true
	case RoleReferent:
		for _, s := range a.Scope {
			if s == eg || (ej != "" && s == ej) {
				return true
			}
		}
	}
	return false
}

// Active reports whether the account may act at now.
func (a *Account) Active(now time.Time) bool {
	return !a.Revoked && (a.Expires.IsZero() || now.Before(a.Expires))
}
