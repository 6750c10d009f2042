package main

import (
	"context"
	"time"

	"github.com/ror-recherche/ror"
)

// publishEvery is how often the service looks for drafts whose effective
// date has come: a publication programmée is visible at most this late.
const publishEvery = 30 * time.Second

// publishDue publishes the drafts whose effective date is at or before now.
func (a *App) publishDue(d *ror.Directory, now time.Time) {
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
func (a *App) schedule(d *ror.Directory) {
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
