package replica

import (
	"context"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

// The workflows as cmd/ror hands them over (package workflow implements
// them); the wrappers below have the same methods, so that the HTTP layer
// takes either.
type (
	BedWriter interface {
		UpdateCapacite(ctx context.Context, acct *ror.Account, feed ror.Feed, now time.Time) (*ror.FeedReport, error)
	}
	DraftDesk interface {
		CreateDraft(ctx context.Context, acct *ror.Account, dr ror.Draft, now time.Time) (*ror.Draft, error)
		GetDraft(ctx context.Context, acct *ror.Account, id string) (*ror.Draft, error)
		UpdateDraft(ctx context.Context, acct *ror.Account, id string, next ror.Draft, now time.Time) (*ror.Draft, error)
		SubmitDraft(ctx context.Context, acct *ror.Account, id string, version int, now time.Time) (*ror.Draft, error)
		RejectDraft(ctx context.Context, acct *ror.Account, id, reason string, now time.Time) (*ror.Draft, error)
		ValidateDraft(ctx context.Context, acct *ror.Account, id string, effective, now time.Time) (*ror.Draft, error)
		PublishDue(ctx context.Context, now time.Time) (int, error)
	}
	AnomalyDesk interface {
		ReportAnomaly(ctx context.Context, a ror.Anomaly, now time.Time) (*ror.Anomaly, error)
		ListAnomalies(ctx context.Context, acct *ror.Account, f ror.AnomalyFilter) (page []ror.Anomaly, next string, err error)
		GetAnomaly(ctx context.Context, acct *ror.Account, id string) (*ror.Anomaly, error)
		CloseAnomaly(ctx context.Context, acct *ror.Account, id, resolution string, now time.Time) (*ror.Anomaly, error)
	}
)

// Beds is the capacitaire through the log.
type Beds struct {
	n *Node
}

type bedArgs struct {
	Acct *ror.Account
	Feed ror.Feed
}

// NewBeds returns the capacitaire w through the log.
func NewBeds(n *Node, w BedWriter) *Beds {
	register(n, "capacitaire", func(ctx context.Context, at time.Time, a bedArgs) (any, error) {
		return w.UpdateCapacite(ctx, a.Acct, a.Feed, at)
	})
	return &Beds{n}
}

// UpdateCapacite logs a bed figure or a feed; the stale-figure rule runs
// in the applier.
func (b *Beds) UpdateCapacite(ctx context.Context, acct *ror.Account, feed ror.Feed, now time.Time) (*ror.FeedReport, error) {
	return submit[*ror.FeedReport](ctx, b.n, "capacitaire", now, bedArgs{acct, feed})
}

// Dossiers are the dossiers collaboratifs through the log.
type Dossiers struct {
	n *Node
	w DraftDesk
}

type draftArgs struct {
	Acct      *ror.Account
	ID        string
	Draft     ror.Draft
	Version   int
	Reason    string
	Effective time.Time
}

// NewDossiers returns the dossiers w through the log.
func NewDossiers(n *Node, w DraftDesk) *Dossiers {
	register(n, "dossier.ouvrir", func(ctx context.Context, at time.Time, a draftArgs) (any, error) {
		return w.CreateDraft(ctx, a.Acct, a.Draft, at)
	})
	register(n, "dossier.modifier", func(ctx context.Context, at time.Time, a draftArgs) (any, error) {
		return w.UpdateDraft(ctx, a.Acct, a.ID, a.Draft, at)
	})
	register(n, "dossier.soumettre", func(ctx context.Context, at time.Time, a draftArgs) (any, error) {
		return w.SubmitDraft(ctx, a.Acct, a.ID, a.Version, at)
	})
	register(n, "dossier.rejeter", func(ctx context.Context, at time.Time, a draftArgs) (any, error) {
		return w.RejectDraft(ctx, a.Acct, a.ID, a.Reason, at)
	})
	register(n, "dossier.valider", func(ctx context.Context, at time.Time, a draftArgs) (any, error) {
		return w.ValidateDraft(ctx, a.Acct, a.ID, a.Effective, at)
	})
	register(n, "dossier.echeance", func(ctx context.Context, at time.Time, a draftArgs) (any, error) {
		return w.PublishDue(ctx, at)
	})
	return &Dossiers{n, w}
}

func (d *Dossiers) CreateDraft(ctx context.Context, acct *ror.Account, dr ror.Draft, now time.Time) (*ror.Draft, error) {
	return submit[*ror.Draft](ctx, d.n, "dossier.ouvrir", now, draftArgs{Acct: acct, Draft: dr})
}

// GetDraft reads this node's copy.
func (d *Dossiers) GetDraft(ctx context.Context, acct *ror.Account, id string) (*ror.Draft, error) {
	return d.w.GetDraft(ctx, acct, id)
}

func (d *Dossiers) UpdateDraft(ctx context.Context, acct *ror.Account, id string, next ror.Draft, now time.Time) (*ror.Draft, error) {
	return submit[*ror.Draft](ctx, d.n, "dossier.modifier", now, draftArgs{Acct: acct, ID: id, Draft: next})
}

func (d *Dossiers) SubmitDraft(ctx context.Context, acct *ror.Account, id string, version int, now time.Time) (*ror.Draft, error) {
	return submit[*ror.Draft](ctx, d.n, "dossier.soumettre", now, draftArgs{Acct: acct, ID: id, Version: version})
}

func (d *Dossiers) RejectDraft(ctx context.Context, acct *ror.Account, id, reason string, now time.Time) (*ror.Draft, error) {
	return submit[*ror.Draft](ctx, d.n, "dossier.rejeter", now, draftArgs{Acct: acct, ID: id, Reason: reason})
}

func (d *Dossiers) ValidateDraft(ctx context.Context, acct *ror.Account, id string, effective, now time.Time) (*ror.Draft, error) {
	return submit[*ror.Draft](ctx, d.n, "dossier.valider", now, draftArgs{Acct: acct, ID: id, Effective: effective})
}

// PublishDue logs the look for due publications: every node's scheduler
// sends it, the first applied publishes, the others find nothing due.
func (d *Dossiers) PublishDue(ctx context.Context, now time.Time) (int, error) {
	// Nothing due here: nothing to log (every node looks every 30 s).
	if ids, err := d.n.db.Drafts().ScheduledDrafts(ctx, now); err == nil && len(ids) == 0 {
		return 0, nil
	}
	return submit[int](ctx, d.n, "dossier.echeance", now, draftArgs{})
}

// Reports are the reports of anomalies through the log.
type Reports struct {
	n *Node
	w AnomalyDesk
}

type reportArgs struct {
	Acct       *ror.Account
	Anomaly    ror.Anomaly
	ID         string
	Resolution string
}

// NewReports returns the reports w through the log.
func NewReports(n *Node, w AnomalyDesk) *Reports {
	register(n, "signalement", func(ctx context.Context, at time.Time, a reportArgs) (any, error) {
		return w.ReportAnomaly(ctx, a.Anomaly, at)
	})
	register(n, "signalement.clore", func(ctx context.Context, at time.Time, a reportArgs) (any, error) {
		return w.CloseAnomaly(ctx, a.Acct, a.ID, a.Resolution, at)
	})
	return &Reports{n, w}
}

func (r *Reports) ReportAnomaly(ctx context.Context, a ror.Anomaly, now time.Time) (*ror.Anomaly, error) {
	return submit[*ror.Anomaly](ctx, r.n, "signalement", now, reportArgs{Anomaly: a})
}

func (r *Reports) ListAnomalies(ctx context.Context, acct *ror.Account, f ror.AnomalyFilter) ([]ror.Anomaly, string, error) {
	return r.w.ListAnomalies(ctx, acct, f)
}

func (r *Reports) GetAnomaly(ctx context.Context, acct *ror.Account, id string) (*ror.Anomaly, error) {
	return r.w.GetAnomaly(ctx, acct, id)
}

func (r *Reports) CloseAnomaly(ctx context.Context, acct *ror.Account, id, resolution string, now time.Time) (*ror.Anomaly, error) {
	return submit[*ror.Anomaly](ctx, r.n, "signalement.clore", now, reportArgs{Acct: acct, ID: id, Resolution: resolution})
}

// Users are the accounts, sessions and sign-in lockouts through the log.
// A password is checked or hashed on the node that received it: the log
// carries the outcome or the hash, never the password.
type Users struct {
	n  *Node
	db *store.DB
}

type userArgs struct {
	Name, Author, Hash, Identity string
	OK                           bool
	Account                      ror.Account
	Session                      ror.Session
	Cookie                       string
	IDs                          []string
}

type sessionOut struct {
	Cookie  string
	Session ror.Session
}

// NewUsers returns the accounts of db through the log.
func NewUsers(n *Node, db *store.DB) *Users {
	register(n, "connexion", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return db.Accounts().RecordSignin(ctx, a.Name, a.Hash, a.OK, at)
	})
	register(n, "session.ouvrir", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		c, s, err := db.Sessions().CreateSession(ctx, a.Session, at)
		return sessionOut{c, s}, err
	})
	register(n, "session.fermer", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return nil, db.Sessions().EndSession(ctx, a.Cookie)
	})
	register(n, "sessions.revoquer", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return db.Sessions().RevokeSessions(ctx, a.Name, a.IDs, a.Author)
	})
	register(n, "compte.creer", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return nil, db.Accounts().CreateUserHash(ctx, a.Account, a.Hash, a.Author)
	})
	register(n, "compte.mot_de_passe", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return nil, db.Accounts().SetPasswordHash(ctx, a.Name, a.Hash, a.Author)
	})
	register(n, "jeton.creer", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return db.Accounts().NewToken(ctx, a.Name, a.Author)
	})
	register(n, "jetons.revoquer", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return db.Accounts().RevokeTokens(ctx, a.Name, a.Author)
	})
	register(n, "compte.revoquer", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return nil, db.Accounts().Revoke(ctx, a.Name)
	})
	register(n, "identite.lier", func(ctx context.Context, at time.Time, a userArgs) (any, error) {
		return nil, db.Accounts().LinkIdentity(ctx, a.Name, a.Identity, a.Author)
	})
	return &Users{n, db}
}

// VerifyPassword checks the password here (argon2id, once), then logs the
// outcome: the lockout count moves in the applier, the same everywhere.
func (u *Users) VerifyPassword(ctx context.Context, name, password string, now time.Time) (*ror.Account, error) {
	seen, ok, err := u.db.Accounts().PasswordMatch(ctx, name, password)
	if err != nil {
		return nil, err
	}
	return submit[*ror.Account](ctx, u.n, "connexion", now, userArgs{Name: name, Hash: seen, OK: ok})
}

func (u *Users) CreateSession(ctx context.Context, s ror.Session, now time.Time) (string, ror.Session, error) {
	out, err := submit[sessionOut](ctx, u.n, "session.ouvrir", now, userArgs{Session: s})
	return out.Cookie, out.Session, err
}

func (u *Users) Session(ctx context.Context, cookie string, now time.Time) (*ror.Account, ror.Session, error) {
	return u.db.Sessions().Session(ctx, cookie, now)
}

func (u *Users) EndSession(ctx context.Context, cookie string) error {
	_, err := submit[any](ctx, u.n, "session.fermer", time.Now(), userArgs{Cookie: cookie})
	return err
}

func (u *Users) Sessions(ctx context.Context, name string) ([]ror.Session, error) {
	return u.db.Sessions().Sessions(ctx, name)
}

func (u *Users) RevokeSessions(ctx context.Context, name string, ids []string, author string) (int, error) {
	return submit[int](ctx, u.n, "sessions.revoquer", time.Now(), userArgs{Name: name, IDs: ids, Author: author})
}

func (u *Users) CreateUser(ctx context.Context, a ror.Account, password, author string) error {
	a, hash, err := store.PrepareUser(ctx, a, password)
	if err != nil {
		return err
	}
	_, err = submit[any](ctx, u.n, "compte.creer", time.Now(), userArgs{Account: a, Hash: hash, Author: author})
	return err
}

func (u *Users) SetPassword(ctx context.Context, name, password, author string) error {
	hash, err := store.HashPassword(ctx, password)
	if err != nil {
		return err
	}
	_, err = submit[any](ctx, u.n, "compte.mot_de_passe", time.Now(), userArgs{Name: name, Hash: hash, Author: author})
	return err
}

func (u *Users) ListAccounts(ctx context.Context, now time.Time) ([]ror.AccountInfo, error) {
	return u.db.Accounts().ListAccounts(ctx, now)
}

// NewToken logs the token's creation; the token derives from the logged
// seed, the same on every node (see the README on what the log holds).
func (u *Users) NewToken(ctx context.Context, name, author string) (string, error) {
	return submit[string](ctx, u.n, "jeton.creer", time.Now(), userArgs{Name: name, Author: author})
}

func (u *Users) RevokeTokens(ctx context.Context, name, author string) (int, error) {
	return submit[int](ctx, u.n, "jetons.revoquer", time.Now(), userArgs{Name: name, Author: author})
}

func (u *Users) Revoke(ctx context.Context, name string) error {
	_, err := submit[any](ctx, u.n, "compte.revoquer", time.Now(), userArgs{Name: name})
	return err
}

func (u *Users) LinkIdentity(ctx context.Context, name, identity, author string) error {
	_, err := submit[any](ctx, u.n, "identite.lier", time.Now(), userArgs{Name: name, Identity: identity, Author: author})
	return err
}

func (u *Users) AccountByIdentity(ctx context.Context, identity string, now time.Time) (*ror.Account, error) {
	return u.db.Accounts().AccountByIdentity(ctx, identity, now)
}
