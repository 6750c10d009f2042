package main

import (
	"context"
	"time"
)

// publishEvery is how often the service looks for drafts whose effective
// date has come: a publication programmée is visible at most this late.
const publishEvery = 30 * time.Second

// dueDesk publishes the due drafts: the workflow, or the same through the
// replicated log.
type dueDesk interface {
	PublishDue(ctx context.Context, now time.Time) (int, error)
}

// publishDue publishes the drafts whose effective date is at or before now.
func (a *App) publishDue(d dueDesk, now time.Time) {
	n, err := d.PublishDue(context.Background(), now)
	if err != nil {
		a.log.Error("publication programmée", "err", err)
	}
	if n > 0 {
		a.log.Info("publication programmée", "brouillons", n)
	}
}

// schedule starts the goroutine that publishes drafts at their effective
// date; Close stops it before closing the store.
func (a *App) schedule(d dueDesk) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		t := time.NewTicker(a.every)
		defer t.Stop()
		for {
			select {
			case <-a.stop:
				return
			case <-t.C:
				a.publishDue(d, a.clock())
			}
		}
	}()
}
