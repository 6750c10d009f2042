package ror

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// PublishDue publishes the drafts validated for an effective date at or
// before now, earliest first, exactly as an immediate validation would:
// records, audit entries and draft in one transaction, then the search.
// A draft whose records moved since it was validated is not published: it
// goes to DraftFailed with the reason, recorded in the EG's history, and
// its référents may edit and submit it again. It returns how many were
// published; a failure of the store leaves the draft scheduled for the next
// call. Calling it twice publishes nothing twice.
func (d *Directory) PublishDue(ctx context.Context, now time.Time) (int, error) {
	if d.drafts == nil {
		return 0, nil
	}
	ids, err := d.drafts.ScheduledDrafts(ctx, now)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, id := range ids {
		ok, err := d.publishScheduled(ctx, id, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("brouillon %s: %w", id, err))
		}
		if ok {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// publishScheduled publishes one scheduled draft if it is (still) due.
func (d *Directory) publishScheduled(ctx context.Context, id string, now time.Time) (bool, error) {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	dr, err := d.drafts.Draft(ctx, id)
	if err != nil {
		return false, err
	}
	if !dr.Scheduled() || dr.EffectiveAt.After(now) {
		return false, nil // published, rejected or moved meanwhile
	}
	d.mu.RLock()
	pub, err := d.publication(dr, now)
	d.mu.RUnlock()
	switch ErrorKind(err) {
	case Conflict, NotFound:
		return false, d.failScheduled(ctx, dr, err, now)
	}
	if err != nil {
		return false, err
	}
	if err := d.drafts.Publish(ctx, *pub); err != nil {
		return false, err
	}
	d.apply(pub)
	return true, nil
}

// failScheduled records that a scheduled draft could not be published: the
// draft goes back to its référents with the reason, and the EG's history
// says so, in one transaction.
func (d *Directory) failScheduled(ctx context.Context, dr Draft, cause error, now time.Time) error {
	var e *Error
	errors.As(cause, &e)
	prev := dr.Version
	dr.Status, dr.UpdatedAt, dr.Version = DraftFailed, now.UTC(), dr.Version+1
	dr.Reason = fmt.Sprintf("Publication programmée au %s impossible : %s", dr.EffectiveAt.UTC().Format(time.RFC3339), e.Message)
	after, _ := json.Marshal(map[string]string{"brouillon": dr.ID, "statut": string(dr.Status), "motif": dr.Reason})
	return d.drafts.Publish(ctx, Publication{Draft: dr, Prev: prev, Changes: []Change{{
		At: now.UTC(), Author: dr.ValidatedBy + " (publication programmée du brouillon " + dr.ID + ")",
		Kind: "brouillon", ID: dr.ID, EG: dr.EG, After: after,
	}}})
}
