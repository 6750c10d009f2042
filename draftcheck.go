package ror

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The bounds of a dossier collaboratif: a draft changes one EG, so a few
// dozen operations are a big one; texts are the lengths a fiche shows.
const (
	MaxDraftOps      = 200
	MaxNameLen       = 200  // characters of a UO's name
	MaxHorairesLen   = 1000 // characters of opening hours
	MaxUOCodesPerSet = 500  // codes in one list of a UO (actes, équipements…)
)

// uoCodeRE is the importer's rule for the part of a UO id after its EG's
// FINESS: the unit rules' codes (REA, MAT2, X1), upper-case letters and
// digits, so every id is addressable in a URL path.
var uoCodeRE = regexp.MustCompile(`^[A-Z0-9]{1,16}$`)

// ValidUOID reports whether id is "<eg>-<code>", the shape of every UO id.
func ValidUOID(id, eg string) bool {
	code, ok := strings.CutPrefix(id, eg+"-")
	return ok && uoCodeRE.MatchString(code)
}

// phoneRE: a French number of ten digits (0X XX XX XX XX), its
// international form (+33 X XX XX XX XX), or a short number (15, 112, 3966).
var phoneRE = regexp.MustCompile(`^(0[1-9][0-9]{8}|\+33[1-9][0-9]{8}|1[0-9]{1,2}|3[0-9]{3})$`)

// ValidPhone reports whether s is a telephone number once spaces, dots and
// dashes are dropped; "" is valid (no number).
func ValidPhone(s string) bool {
	if s == "" {
		return true
	}
	s = strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
	return phoneRE.MatchString(s)
}

// ValidEmail reports whether s looks like an e-mail address: one @, a
// dotted domain, no space, quote or angle bracket, at most 254 bytes.
func ValidEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && !strings.Contains(domain, "@") && strings.Contains(domain, ".") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".") && len(s) <= 254 &&
		!strings.ContainsFunc(s, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune("<>\"'=(),;:\\[]", r)
		})
}

// checkText refuses a text longer than max characters, or holding control
// characters other than line breaks and tabs.
func checkText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return Errorf(Invalid, field, "Le texte n'est pas de l'UTF-8 valide.")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Errorf(Invalid, field, "Le texte fait %d caractères : %d au plus.", n, max)
	}
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' && r != '\r' }) {
		return Errorf(Invalid, field, "Le texte contient des caractères de contrôle.")
	}
	return nil
}

// checkDraftLimits bounds a draft: its number of operations, the sizes of
// its texts and lists, the shape of its phones and addresses.
func (d *Draft) checkLimits() error {
	if len(d.Ops) > MaxDraftOps {
		return Errorf(Invalid, "/operations", "Le brouillon compte %d opérations : %d au plus, le découper.", len(d.Ops), MaxDraftOps)
	}
	for i, op := range d.Ops {
		at := "/operations/" + strconv.Itoa(i)
		if u := op.UO; u != nil {
			if err := checkText(at+"/uo/nom", u.Name, MaxNameLen); err != nil {
				return err
			}
			if err := checkText(at+"/uo/horaires", u.Horaires, MaxHorairesLen); err != nil {
				return err
			}
			if !ValidPhone(u.Phone) {
				return Errorf(Invalid, at+"/uo/telephone", "« %s » n'est pas un numéro de téléphone (10 chiffres, ou +33 et 9 chiffres).", Clip(u.Phone))
			}
			for name, l := range map[string][]string{"activites": u.Activites, "actes": u.Actes, "equipements": u.Equipements,
				"modes": u.Modes, "professions": u.Professions, "expertises": u.Expertises, "publics": u.Publics, "zone_intervention": u.Zone} {
				if len(l) > MaxUOCodesPerSet {
					return Errorf(Invalid, at+"/uo/"+name, "%d codes : %d au plus.", len(l), MaxUOCodesPerSet)
				}
			}
		}
		if e := op.EG; e != nil {
			if !ValidPhone(e.Phone) {
				return Errorf(Invalid, at+"/eg/telephone", "« %s » n'est pas un numéro de téléphone (10 chiffres, ou +33 et 9 chiffres).", Clip(e.Phone))
			}
			if e.Email != "" && !ValidEmail(e.Email) {
				return Errorf(Invalid, at+"/eg/email", "« %s » n'est pas une adresse électronique.", Clip(e.Email))
			}
			if err := checkText(at+"/eg/horaires", e.Horaires, MaxHorairesLen); err != nil {
				return err
			}
		}
	}
	return nil
}
