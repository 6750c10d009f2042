package ror

import "time"

// CapaciteUpdate is a new capacitaire figure for one UO, as a bed-management
// system or a gestionnaire de lits sends it.
type CapaciteUpdate struct {
	UO              string    `json:"uo"`
	Installes       int       `json:"lits_installes"`
	Fermes          int       `json:"lits_fermes"`
	Indetermines    int       `json:"lits_indetermines"`
	Supplementaires int       `json:"lits_supplementaires"`
	Disponibles     int       `json:"lits_disponibles"`
	At              time.Time `json:"maj"` // when the figure was observed; zero: now
	Line            int       `json:"-"`   // line in the feed, for the report; 0: position + 1
}

// Feed is a batch of figures: the parsed lines, the lines that did not
// parse, and whether one bad line voids the whole feed.
type Feed struct {
	Updates      []CapaciteUpdate
	Rejected     []LineError
	AllOrNothing bool
}

// Check validates the figures as the ROR National relates them: available
// beds are at most the open beds (installed + extra − closed − unknown).
func (c *CapaciteUpdate) Check() error {
	if c.UO == "" {
		return Errorf(Invalid, "uo", "L'identifiant de l'UO est vide.")
	}
	for _, f := range []struct {
		name string
		n    int
	}{{"lits_installes", c.Installes}, {"lits_fermes", c.Fermes}, {"lits_indetermines", c.Indetermines},
		{"lits_supplementaires", c.Supplementaires}, {"lits_disponibles", c.Disponibles}} {
		if f.n < 0 || f.n > 10000 {
			return Errorf(Invalid, f.name, "Le nombre de lits doit être entre 0 et 10000.")
		}
	}
	if c.Fermes+c.Indetermines > c.Installes+c.Supplementaires {
		return Errorf(Invalid, "lits_fermes", "Plus de lits fermés ou indéterminés que de lits installés et supplémentaires.")
	}
	if open := c.Installes + c.Supplementaires - c.Fermes - c.Indetermines; c.Disponibles > open {
		return Errorf(Invalid, "lits_disponibles", "Plus de lits disponibles (%d) que de lits ouverts (%d).", c.Disponibles, open)
	}
	return nil
}

// FeedReport says what a capacitaire feed did, line by line.
type FeedReport struct {
	Applied   int         `json:"appliquees"`
	Unchanged int         `json:"inchangees"`
	Rejected  []LineError `json:"rejetees"`
}

// LineError is one rejected line of a feed (1-based, as the sender counts).
type LineError struct {
	Line    int    `json:"ligne"`
	UO      string `json:"uo,omitempty"`
	Field   string `json:"champ,omitempty"`
	Message string `json:"message"`
	// Current is the stored figure's fact time (RFC 3339) when the line was
	// refused for being older: the sender's starting point.
	Current string `json:"maj_actuelle,omitempty"`
	Kind    Kind   `json:"-"`
}

// MaxFeedLines bounds one capacitaire feed.
const MaxFeedLines = 5000

// The window of a figure's fact time (maj): a bed count observed more than
// MaxFactAge ago is no longer news (a week: a weekend's backlog of a feed
// that was down, and more), one dated more than MaxFactAhead after the
// server's clock is a wrong clock or a typo (2099), never "always fresh".
const (
	MaxFactAge   = 7 * 24 * time.Hour
	MaxFactAhead = 5 * time.Minute
)

// CheckTime refuses a fact time outside [now − MaxFactAge, now + MaxFactAhead].
func (c *CapaciteUpdate) CheckTime(now time.Time) error {
	switch {
	case c.At.Before(now.Add(-MaxFactAge)):
		return Errorf(Invalid, "maj", "La date du chiffre (%s) a plus de 7 jours : un chiffre aussi ancien n'est plus une disponibilité.", c.At.UTC().Format(time.RFC3339))
	case c.At.After(now.Add(MaxFactAhead)):
		return Errorf(Invalid, "maj", "La date du chiffre (%s) est dans le futur : vérifier l'horloge de l'émetteur.", c.At.UTC().Format(time.RFC3339))
	}
	return nil
}
