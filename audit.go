package ror

import (
	"encoding/json"
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

// Account is a named user of the write API. Tokens are stored hashed.
type Account struct {
	Name      string    `json:"nom"`
	Role      Role      `json:"role"`
	Scope     []string  `json:"perimetre,omitempty"` // FINESS of EJ or EG the account may change
	Expires   time.Time `json:"expire,omitempty"`
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
)

// ValidRole reports whether r is one of the roles.
func ValidRole(r Role) bool {
	switch r {
	case RoleLecteur, RoleReferent, RoleGestionnaire, RoleAdmin:
		return true
	}
	return false
}

// MayWriteBeds reports whether a may change the capacitaire of a UO of the
// EG eg (FINESS) belonging to the EJ ej.
func (a *Account) MayWriteBeds(eg, ej string) bool {
	switch a.Role {
	case RoleAdmin:
		return true
	case RoleGestionnaire, RoleReferent:
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
