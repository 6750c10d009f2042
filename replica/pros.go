package replica

import (
	"context"
	"time"

	"github.com/ror-recherche/ror"
)

// ProDesk is the professionals' self-description and their reports
// (workflow.ProDesk).
type ProDesk interface {
	Check(ctx context.Context, acct *ror.Account, o ror.ProOffer, step int) error
	Describe(ctx context.Context, acct *ror.Account, o ror.ProOffer, now time.Time) (*ror.Professional, error)
	Report(ctx context.Context, a ror.ProAnomaly, now time.Time) (*ror.ProAnomaly, error)
	Reports(ctx context.Context, acct *ror.Account) ([]ror.ProAnomaly, error)
}

// Pros are the professionals' writes through the log: a description
// (« Mon offre ») and a report on a professional are messages; a check
// and the reading of one's reports are not writes.
type Pros struct {
	n *Node
	w ProDesk
}

type proArgs struct {
	Acct    *ror.Account
	Offer   ror.ProOffer
	Anomaly ror.ProAnomaly
}

// NewPros returns the professionals' desk w through the log.
func NewPros(n *Node, w ProDesk) *Pros {
	register(n, "professionnel.offre", func(ctx context.Context, at time.Time, a proArgs) (any, error) {
		return w.Describe(ctx, a.Acct, a.Offer, at)
	})
	register(n, "professionnel.signalement", func(ctx context.Context, at time.Time, a proArgs) (any, error) {
		return w.Report(ctx, a.Anomaly, at)
	})
	return &Pros{n, w}
}

func (p *Pros) Check(ctx context.Context, acct *ror.Account, o ror.ProOffer, step int) error {
	return p.w.Check(ctx, acct, o, step)
}

func (p *Pros) Describe(ctx context.Context, acct *ror.Account, o ror.ProOffer, now time.Time) (*ror.Professional, error) {
	return submit[*ror.Professional](ctx, p.n, "professionnel.offre", now, proArgs{Acct: acct, Offer: o})
}

func (p *Pros) Report(ctx context.Context, a ror.ProAnomaly, now time.Time) (*ror.ProAnomaly, error) {
	return submit[*ror.ProAnomaly](ctx, p.n, "professionnel.signalement", now, proArgs{Anomaly: a})
}

func (p *Pros) Reports(ctx context.Context, acct *ror.Account) ([]ror.ProAnomaly, error) {
	return p.w.Reports(ctx, acct)
}
