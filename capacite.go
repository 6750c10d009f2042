package ror

import (
	"context"
	"encoding/json"
	"sort"
	"time"
)

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

// check validates the figures as the ROR National relates them: available
// beds are at most the open beds (installed + extra − closed − unknown).
func (c *CapaciteUpdate) check() error {
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
	Kind    Kind   `json:"-"`
}

// UpdateCapacite applies a feed of figures on behalf of acct. Each line is
// checked (the UO exists, acct may change it, the figures hold together);
// bad lines are reported and, unless allOrNothing, the good ones applied in
// one durable transaction. A line equal to the current figure changes
// nothing, so a replayed feed is a no-op. Search and proximity see the new
// figures as soon as this returns.
func (d *Directory) UpdateCapacite(ctx context.Context, acct *Account, feed Feed, now time.Time) (*FeedReport, error) {
	if d.store == nil {
		return nil, Errorf(Unavailable, "", "Les mises à jour ne sont pas possibles sur ce service.")
	}
	d.wmu.Lock() // one writer at a time keeps the store and the catalog in the same order
	defer d.wmu.Unlock()
	rep := &FeedReport{Rejected: append([]LineError{}, feed.Rejected...)}
	var uos []UO
	var changes []Change
	var ords []uint32
	seen := map[string]bool{}
	d.mu.RLock()
	for i, up := range feed.Updates {
		line := up.Line
		if line == 0 {
			line = i + 1
		}
		if up.At.IsZero() {
			up.At = now
		}
		reject := func(err error) {
			le := LineError{Line: line, UO: clip(up.UO), Message: err.Error(), Kind: ErrorKind(err)}
			if e, ok := err.(*Error); ok {
				le.Field, le.Message = e.Field, e.Message
			}
			rep.Rejected = append(rep.Rejected, le)
		}
		if err := up.check(); err != nil {
			reject(err)
			continue
		}
		ord, ok := d.cat.UOOrdinal(up.UO)
		if !ok {
			reject(Errorf(NotFound, "uo", "L'UO « %s » n'existe pas.", clip(up.UO)))
			continue
		}
		cur := d.cat.UOs[ord]
		eg := d.cat.EGs[d.cat.EGOf[ord]]
		if !acct.MayWriteBeds(eg.FINESS, eg.EJ) {
			reject(Errorf(Forbidden, "uo", "Le compte « %s » ne peut pas modifier les lits de l'établissement %s.", acct.Name, eg.FINESS))
			continue
		}
		if seen[up.UO] {
			reject(Errorf(Invalid, "uo", "L'UO « %s » figure deux fois dans le flux.", up.UO))
			continue
		}
		seen[up.UO] = true
		next := cur.Capacite
		next.Installes, next.Fermes, next.Indetermines = up.Installes, up.Fermes, up.Indetermines
		next.Supplementaires, next.Disponibles, next.Known = up.Supplementaires, up.Disponibles, true
		next.UpdatedAt, next.UpdatedBy = up.At.UTC(), acct.Name
		if sameFigures(cur.Capacite, next) {
			rep.Unchanged++
			continue
		}
		before, _ := json.Marshal(cur.Capacite)
		after, _ := json.Marshal(next)
		cur.Capacite = next
		uos = append(uos, cur)
		ords = append(ords, ord)
		changes = append(changes, Change{At: now.UTC(), Author: acct.Name, Kind: "capacitaire", ID: cur.ID, EG: eg.FINESS, Before: before, After: after})
	}
	d.mu.RUnlock()
	sort.Slice(rep.Rejected, func(i, j int) bool { return rep.Rejected[i].Line < rep.Rejected[j].Line })
	if feed.AllOrNothing && len(rep.Rejected) > 0 {
		rep.Unchanged = 0
		return rep, nil
	}
	if len(uos) > 0 {
		if err := d.store.PutUOs(ctx, uos, changes); err != nil {
			return nil, err
		}
		d.mu.Lock()
		for i, ord := range ords {
			d.cat.UOs[ord].Capacite = uos[i].Capacite
		}
		d.mu.Unlock()
	}
	rep.Applied = len(uos)
	return rep, nil
}

// sameFigures reports whether two capacitaires carry the same figures at
// the same time: a replayed line.
func sameFigures(a, b Capacite) bool {
	return a.Known == b.Known && a.Installes == b.Installes && a.Fermes == b.Fermes &&
		a.Indetermines == b.Indetermines && a.Supplementaires == b.Supplementaires &&
		a.Disponibles == b.Disponibles && a.UpdatedAt.Equal(b.UpdatedAt)
}

// Changes returns the audit trail of a UO or an EG, newest first.
func (d *Directory) Changes(ctx context.Context, id string, limit int) ([]Change, error) {
	if d.store == nil {
		return nil, nil
	}
	return d.store.Changes(ctx, id, limit)
}
