package api

import "github.com/ror-recherche/ror"

// Records is what the pages of the espace de gestion read of the offer
// besides fiches (search.Directory): the établissements an account's scope
// names and the nomenclature of the pickers.
type Records interface {
	// EGRecord returns an EG and its UOs; false when there is none.
	EGRecord(finess string) (ror.EG, []ror.UO, bool)
	// EachEG calls fn with every EG until it returns false.
	EachEG(fn func(eg *ror.EG) bool)
	// Nomenclature is the national value sets.
	Nomenclature() *ror.Nomenclature
}

// scopeEGs returns the EGs a scope names: an EG itself, or every EG of an
// EJ (one pass over the EGs for all the EJs of the scope).
func scopeEGs(rec Records, scope []string) []string {
	var out []string
	ejs := map[string]bool{}
	for _, f := range scope {
		if _, _, ok := rec.EGRecord(f); ok {
			out = append(out, f)
		} else {
			ejs[f] = true
		}
	}
	if len(ejs) > 0 {
		rec.EachEG(func(eg *ror.EG) bool {
			if ejs[eg.EJ] {
				out = append(out, eg.FINESS)
			}
			return true
		})
	}
	return out
}

// pages are the handlers of the reads of the espace de gestion's pages:
// a bed manager's units, the dossiers, the nomenclature of the pickers.
type pages struct {
	services func() (*Services, error)
	auth     *auth
	drafts   DraftLister // nil: no list of dossiers
}

// records returns the Records, or Unavailable while loading.
func (s pages) records() (*Services, error) {
	v, err := s.services()
	if err != nil {
		return nil, err
	}
	if v.Records == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Les pages de gestion ne sont pas disponibles sur ce service.")
	}
	return v, nil
}
