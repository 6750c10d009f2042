package workflow

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// UpdateCapacite applies a feed of figures on behalf of acct. Each line is
// checked (the UO exists, acct may change it, the figures hold together,
// its fact time lies in the window of ror.CheckTime); bad lines are
// reported and, unless allOrNothing, the good ones applied in one durable
// transaction. Writes are ordered by their fact time: a line older than the
// stored figure is refused (Conflict, with the stored time), so replaying
// yesterday's feed never rolls today's beds back; a line equal to the
// current figure changes nothing, so a replayed feed is a no-op. Search and
// proximity see the new figures as soon as this returns.
func (b *Beds) UpdateCapacite(ctx context.Context, acct *ror.Account, feed ror.Feed, now time.Time) (*ror.FeedReport, error) {
	if b.store == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Les mises à jour ne sont pas possibles sur ce service.")
	}
	if !acct.MayWriteSomeBeds() {
		return nil, ror.Errorf(ror.Forbidden, "", "Le compte « %s » (%s) ne peut pas modifier les lits : c'est le rôle des gestionnaires de lits et des administrateurs.", acct.Name, acct.Role)
	}
	var rep *ror.FeedReport
	err := b.live.Update(ctx, func(r ror.Records) (*ror.Update, error) {
		rep = &ror.FeedReport{Rejected: append([]ror.LineError{}, feed.Rejected...)}
		var uos []ror.UO
		var changes []ror.Change
		seen := map[string]bool{}
		for i, up := range feed.Updates {
			line := up.Line
			if line == 0 {
				line = i + 1
			}
			if up.At.IsZero() {
				up.At = now
			}
			reject := func(err error) {
				le := ror.LineError{Line: line, UO: ror.Clip(up.UO), Message: err.Error(), Kind: ror.ErrorKind(err)}
				if e := ror.AsError(err); e != nil {
					le.Field, le.Message = e.Field, e.Message
				}
				if e := ror.AsError(err); e != nil {
					if at, ok := e.Current.(time.Time); ok {
						le.Current = at.UTC().Format(time.RFC3339)
					}
				}
				rep.Rejected = append(rep.Rejected, le)
			}
			if err := up.Check(); err != nil {
				reject(err)
				continue
			}
			if err := up.CheckTime(now); err != nil {
				reject(err)
				continue
			}
			cur, eg, ok := r.UO(up.UO)
			if !ok {
				reject(ror.Errorf(ror.NotFound, "uo", "L'UO « %s » n'existe pas.", ror.Clip(up.UO)))
				continue
			}
			if !acct.MayWriteBeds(eg.FINESS, eg.EJ) {
				reject(ror.Errorf(ror.Forbidden, "uo", "Le compte « %s » ne peut pas modifier les lits de l'établissement %s.", acct.Name, eg.FINESS))
				continue
			}
			if seen[up.UO] {
				reject(ror.Errorf(ror.Invalid, "uo", "L'UO « %s » figure deux fois dans le flux.", up.UO))
				continue
			}
			seen[up.UO] = true
			if ordered(cur.Capacite) && up.At.Before(cur.Capacite.UpdatedAt) {
				stored := cur.Capacite.UpdatedAt.UTC()
				reject(&ror.Error{Kind: ror.Conflict, Field: "maj", Current: stored,
					Message: "Le chiffre envoyé (" + up.At.UTC().Format(time.RFC3339) + ") est plus ancien que le chiffre enregistré (" +
						stored.Format(time.RFC3339) + ") : il n'est pas appliqué."})
				continue
			}
			next := cur.Capacite
			next.Installes, next.Fermes, next.Indetermines = up.Installes, up.Fermes, up.Indetermines
			next.Supplementaires, next.Disponibles, next.Known = up.Supplementaires, up.Disponibles, true
			next.UpdatedAt, next.UpdatedBy, next.Source = up.At.UTC(), acct.Name, "" // a write's own figures
			if sameFigures(cur.Capacite, next) {
				rep.Unchanged++
				continue
			}
			c, err := ror.ChangeOf(ror.Change{At: now.UTC(), Author: acct.Name, Kind: "capacitaire", ID: cur.ID, EG: eg.FINESS}, cur.Capacite, next)
			if err != nil {
				return nil, err
			}
			cur.Capacite = next
			uos = append(uos, cur)
			changes = append(changes, c)
		}
		sort.Slice(rep.Rejected, func(i, j int) bool { return rep.Rejected[i].Line < rep.Rejected[j].Line })
		if feed.AllOrNothing && len(rep.Rejected) > 0 {
			rep.Unchanged = 0
			return nil, nil
		}
		rep.Applied = len(uos)
		if len(uos) == 0 {
			return nil, nil
		}
		return &ror.Update{Beds: uos, Commit: func(ctx context.Context) error { return b.store.PutUOs(ctx, uos, changes) }}, nil
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// ordered reports whether a stored figure takes part in the fact-time
// order: one a gestionnaire or a feed wrote (no Source: a write's own). An
// imported figure (the SAE 2020 installed beds, the generator's synthetic
// ones, an older import's stamped "import …") is a survey's, not an
// observation: any fresh figure replaces it.
func ordered(c ror.Capacite) bool {
	return c.Known && !c.UpdatedAt.IsZero() && c.Source == "" && !strings.HasPrefix(c.UpdatedBy, "import ")
}

// sameFigures reports whether two capacitaires carry the same figures at
// the same time: a replayed line.
func sameFigures(a, b ror.Capacite) bool {
	return a.Known == b.Known && a.Installes == b.Installes && a.Fermes == b.Fermes &&
		a.Indetermines == b.Indetermines && a.Supplementaires == b.Supplementaires &&
		a.Disponibles == b.Disponibles && a.UpdatedAt.Equal(b.UpdatedAt)
}

// Changes returns the audit trail of a UO or an EG, newest first.
func (b *Beds) Changes(ctx context.Context, id string, limit int) ([]ror.Change, error) {
	if b.store == nil {
		return nil, nil
	}
	return b.store.Changes(ctx, id, limit)
}
