package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ror-recherche/ror"
)

// PublishDue publishes the drafts validated for an effective date at or
// before now, earliest first, exactly as an immediate validation would:
// records, audit entries and draft in one transaction, then the search.
// A draft whose records moved since it was validated is not published: it
// goes to DraftFailed with the reason, recorded in the EG's history, and
// its référents may edit and submit it again. It returns how many were
// published; a failure of the store leaves the draft scheduled for the next
// call. Calling it twice publishes nothing twice.
func (w *Dossiers) PublishDue(ctx context.Context, now time.Time) (int, error) {
	if w.drafts == nil {
		return 0, nil
	}
	ids, err := w.drafts.ScheduledDrafts(ctx, now)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, id := range ids {
		ok, err := w.publishScheduled(ctx, id, now)
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
func (w *Dossiers) publishScheduled(ctx context.Context, id string, now time.Time) (bool, error) {
	published := false
	err := w.live.Update(ctx, func(r ror.Records) (*ror.Update, error) {
		dr, err := w.drafts.Draft(ctx, id)
		if err != nil {
			return nil, err
		}
		if !dr.Scheduled() || dr.EffectiveAt.After(now) {
			return nil, nil // published, rejected or moved meanwhile
		}
		pub, err := publication(r, dr, now)
		switch ror.ErrorKind(err) {
		case ror.Conflict, ror.NotFound:
			return &ror.Update{Commit: func(ctx context.Context) error { return w.failScheduled(ctx, dr, err, now) }}, nil
		}
		if err != nil {
			return nil, err
		}
		published = true
		return w.published(pub), nil
	})
	return published && err == nil, err
}

// failScheduled records that a scheduled draft could not be published: the
// draft goes back to its référents with the reason, and the EG's history
// says so, in one transaction.
func (w *Dossiers) failScheduled(ctx context.Context, dr ror.Draft, cause error, now time.Time) error {
	msg := cause.Error()
	if e := ror.AsError(cause); e != nil {
		msg = e.Message
	}
	prev := dr.Version
	dr.Status, dr.UpdatedAt, dr.Version = ror.DraftFailed, now.UTC(), dr.Version+1
	dr.Reason = fmt.Sprintf("Publication programmée au %s impossible : %s", dr.EffectiveAt.UTC().Format(time.RFC3339), msg)
	after, err := json.Marshal(map[string]string{"brouillon": dr.ID, "statut": string(dr.Status), "motif": dr.Reason})
	if err != nil {
		return fmt.Errorf("audit brouillon %s: %w", dr.ID, err)
	}
	return w.drafts.Publish(ctx, ror.Publication{Draft: dr, Prev: prev, Changes: []ror.Change{{
		At: now.UTC(), Author: dr.ValidatedBy + " (publication programmée du brouillon " + dr.ID + ")",
		Kind: "brouillon", ID: dr.ID, EG: dr.EG, After: after,
	}}})
}
