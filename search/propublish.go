package search

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/ror-recherche/ror"
)

// visibleWait is how long a change waits for the searches to see it before
// it answers: on a few thousand professionals a snapshot is built in
// milliseconds, so the next search finds the change; at national scale
// (200,000, seconds of CPU) it answers first, and the searches follow.
const visibleWait = time.Second

// proPublisher orders the changes of the professionals and publishes
// them. A change is planned on the latest state, written to the store and
// recorded as pending, one at a time; a single builder folds every pending
// change into a new snapshot while the next ones are written, so changes
// arriving together cost one build, not one each (a national build takes
// seconds: one per change queued the writers behind one another).
type proPublisher struct {
	order sync.Mutex // one change at a time, in the order of their facts

	mu       sync.Mutex // guards the fields below; held briefly
	pending  map[string]pendingPro
	seq      uint64        // of the last change written
	built    uint64        // the last change the snapshot holds
	gen      uint64        // bumped by replace: a build started before is dropped
	building bool          // a builder runs
	builds   int           // snapshots built by the builder (tests)
	newSnap  chan struct{} // closed when a snapshot is stored, then replaced
}

// pendingPro is a change written but not yet in the snapshot.
type pendingPro struct {
	p   ror.Professional
	seq uint64
}

// pendingOf returns the professional of rpps as last written when the
// snapshot does not hold it yet.
func (pp *proPublisher) pendingOf(rpps string) (ror.Professional, bool) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	c, ok := pp.pending[rpps]
	return c.p, ok
}

func (pp *proPublisher) change(ctx context.Context, ps *Professionals, rpps string, plan func(cur ror.Professional, ok bool) (ror.Professional, func(context.Context) error, error)) (ror.Professional, error) {
	pp.order.Lock()
	cur, ok := ps.Professional(rpps)
	next, commit, err := plan(cur, ok)
	if err == nil && commit != nil {
		err = commit(ctx)
	}
	if err != nil {
		pp.order.Unlock()
		return ror.Professional{}, err
	}
	pp.mu.Lock()
	pp.seq++
	mine := pp.seq
	if pp.pending == nil {
		pp.pending = map[string]pendingPro{}
	}
	pp.pending[rpps] = pendingPro{p: cloneProfessional(next), seq: mine}
	if !pp.building {
		pp.building = true
		go pp.buildLoop(ps)
	}
	pp.mu.Unlock()
	pp.order.Unlock()
	pp.waitBuilt(mine, visibleWait)
	return next, nil
}

// waitBuilt waits until the snapshot holds change seq, at most d.
func (pp *proPublisher) waitBuilt(seq uint64, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		pp.mu.Lock()
		if pp.built >= seq {
			pp.mu.Unlock()
			return
		}
		ch := pp.snapChan()
		pp.mu.Unlock()
		select {
		case <-ch:
		case <-t.C:
			return
		}
	}
}

// snapChan is the channel closed at the next snapshot; pp.mu held.
func (pp *proPublisher) snapChan() chan struct{} {
	if pp.newSnap == nil {
		pp.newSnap = make(chan struct{})
	}
	return pp.newSnap
}

// stored records a snapshot holding the changes up to upto; pp.mu held.
func (pp *proPublisher) stored(upto uint64) {
	pp.built = upto
	for rpps, c := range pp.pending {
		if c.seq <= upto {
			delete(pp.pending, rpps)
		}
	}
	if pp.newSnap != nil {
		close(pp.newSnap)
		pp.newSnap = nil
	}
}

// buildLoop folds the pending changes into snapshots until none is left.
func (pp *proPublisher) buildLoop(ps *Professionals) {
	for {
		pp.mu.Lock()
		if pp.built >= pp.seq {
			pp.building = false
			pp.mu.Unlock()
			return
		}
		upto, gen := pp.seq, pp.gen
		changes := maps.Clone(pp.pending)
		base := ps.snap.Load()
		pp.mu.Unlock()

		list := slices.Clone(base.pros)
		for rpps, c := range changes {
			if i, ok := base.byRPPS[rpps]; ok {
				list[i] = c.p
			} else {
				list = append(list, c.p)
			}
		}
		s := ps.build(list)

		pp.mu.Lock()
		if pp.gen == gen { // else replaced meanwhile: this build is stale
			ps.snap.Store(s)
			pp.stored(upto)
			pp.builds++
		}
		pp.mu.Unlock()
	}
}

// replace publishes a whole new list, written already, at once: the
// changes pending before it are in the store it was read from.
func (pp *proPublisher) replace(ps *Professionals, list []ror.Professional) {
	pp.order.Lock()
	defer pp.order.Unlock()
	s := ps.build(list)
	pp.mu.Lock()
	defer pp.mu.Unlock()
	pp.gen++
	ps.snap.Store(s)
	pp.stored(pp.seq)
}
