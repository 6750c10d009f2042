package workflow

import (
	"cmp"
	"context"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/ror-recherche/ror"
)

// CreateDraft opens a dossier collaboratif for an EG on behalf of one of
// its référents (or an administrator): every code is checked now.
func (w *Dossiers) CreateDraft(ctx context.Context, acct *ror.Account, dr ror.Draft, now time.Time) (*ror.Draft, error) {
	if err := w.mayEdit(acct, dr.EG); err != nil {
		return nil, err
	}
	if err := dr.Check(w.nom); err != nil {
		return nil, err
	}
	b := make([]byte, 8)
	ror.Random(ctx, b)
	dr.ID, dr.Author, dr.Status, dr.Reason, dr.ValidatedBy = hex.EncodeToString(b), acct.Name, ror.DraftOpen, "", ""
	dr.CreatedAt, dr.UpdatedAt, dr.Version = now.UTC(), now.UTC(), 1
	c, err := draftChange(acct.Name, "", dr, now)
	if err != nil {
		return nil, err
	}
	if err := w.drafts.PutDraft(ctx, dr, 0, c); err != nil {
		return nil, err
	}
	return &dr, nil
}

// UpdateDraft replaces the operations of an editable draft; next.Version
// must be the version the référent edited (409 otherwise).
func (w *Dossiers) UpdateDraft(ctx context.Context, acct *ror.Account, id string, next ror.Draft, now time.Time) (*ror.Draft, error) {
	cur, err := w.editableDraft(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	if next.Version != cur.Version {
		return nil, versionConflict(ror.Errorf(ror.Conflict, "/version", "Le brouillon a changé entre-temps : version %d, votre modification part de la version %d.", cur.Version, next.Version), cur.Version)
	}
	next.EG = cur.EG
	if err := next.Check(w.nom); err != nil {
		return nil, err
	}
	was := cur.Status
	cur.Ops, cur.EffectiveAt, cur.UpdatedAt, cur.Status, cur.ValidatedBy = next.Ops, next.EffectiveAt, now.UTC(), ror.DraftOpen, ""
	return w.saveDraft(ctx, acct, was, cur, now)
}

// SubmitDraft sends an editable draft for validation.
func (w *Dossiers) SubmitDraft(ctx context.Context, acct *ror.Account, id string, version int, now time.Time) (*ror.Draft, error) {
	cur, err := w.editableDraft(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	if version != cur.Version {
		return nil, versionConflict(ror.Errorf(ror.Conflict, "/version", "Le brouillon a changé entre-temps : version %d.", cur.Version), cur.Version)
	}
	was := cur.Status
	cur.Status, cur.UpdatedAt = ror.DraftSubmitted, now.UTC()
	return w.saveDraft(ctx, acct, was, cur, now)
}

// RejectDraft sends a submitted draft back to its référents with a reason;
// on a draft validated for a later date, it cancels the publication.
func (w *Dossiers) RejectDraft(ctx context.Context, acct *ror.Account, id, reason string, now time.Time) (*ror.Draft, error) {
	cur, err := w.submittedDraft(ctx, acct, id, true)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, ror.Errorf(ror.Invalid, "/motif", "Un rejet demande un motif.")
	}
	was := cur.Status
	cur.Status, cur.Reason, cur.UpdatedAt = ror.DraftRejected, reason, now.UTC()
	return w.saveDraft(ctx, acct, was, cur, now)
}

// ValidateDraft publishes a submitted draft: every operation is checked
// against the current version of its record (409 when a record moved since
// the référent edited it), then the records, their audit entries and the
// draft are written in one transaction and the search sees them at once.
// With an effective date after now, the draft is only marked validated,
// publication programmée: PublishDue publishes it when the date comes.
func (w *Dossiers) ValidateDraft(ctx context.Context, acct *ror.Account, id string, effective, now time.Time) (*ror.Draft, error) {
	cur, err := w.submittedDraft(ctx, acct, id, false)
	if err != nil {
		return nil, err
	}
	if effective.After(now.Add(ror.MaxEffectiveDelay)) {
		return nil, ror.Errorf(ror.Invalid, "/date_effet", "La date d'effet %s est à plus de 5 ans : vérifier l'année.", effective.Format("02/01/2006"))
	}
	cur.ValidatedBy = acct.Name
	var out *ror.Draft
	err = w.live.Update(ctx, func(r ror.Records) (*ror.Update, error) {
		pub, err := publication(r, cur, now)
		if err != nil {
			return nil, err
		}
		if effective.After(now) {
			// Checked now, published at its date: only the draft changes.
			was := cur.Status
			cur.Status, cur.EffectiveAt, cur.Reason, cur.UpdatedAt = ror.DraftValidated, effective.UTC(), "", now.UTC()
			return &ror.Update{Commit: func(ctx context.Context) (err error) {
				out, err = w.saveDraft(ctx, acct, was, cur, now)
				return err
			}}, nil
		}
		pub.Draft.EffectiveAt = now.UTC()
		out = &pub.Draft
		return w.published(pub), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// published is the update of a publication: its records, audit entries and
// draft in one transaction, then the search.
func (w *Dossiers) published(pub *ror.Publication) *ror.Update {
	return &ror.Update{EG: pub.EG, UOs: pub.UOs, Lieux: pub.Lieux, Commit: func(ctx context.Context) error { return w.drafts.Publish(ctx, *pub) }}
}

// publication computes what publishing dr at now writes, on behalf of the
// administrator who validated it, from the live records r.
func publication(r ror.Records, dr ror.Draft, now time.Time) (*ror.Publication, error) {
	eg, ok := r.EG(dr.EG)
	if !ok {
		return nil, ror.Errorf(ror.NotFound, "/finess_eg", "L'établissement %s n'existe plus.", dr.EG)
	}
	pub := &ror.Publication{Prev: dr.Version}
	var bad error // the first audit entry that could not be encoded
	change := func(kind, id string, before, after any) {
		c, err := ror.ChangeOf(ror.Change{At: now.UTC(), Author: dr.ValidatedBy + " (brouillon " + dr.ID + " de " + dr.Author + ")", Kind: kind, ID: id, EG: dr.EG}, before, after)
		bad = cmp.Or(bad, err)
		pub.Changes = append(pub.Changes, c)
	}
	lp := &lieuPub{r: r, dr: dr, pub: pub, now: now}
	for i, op := range dr.Ops {
		at := "/operations/" + itoa(i)
		switch op.Op {
		case ror.OpCreateLieu, ror.OpModifyLieu, ror.OpCloseLieu:
			if err := lp.op(at, op, change); err != nil {
				return nil, err
			}
		case ror.OpCreateUO:
			if _, _, exists := r.UO(op.UO.ID); exists {
				return nil, ror.Errorf(ror.Conflict, at+"/uo/id", "L'UO « %s » existe déjà.", op.UO.ID)
			}
			u := *op.UO
			// A dossier never sets beds, authors or dates: a new unit's
			// capacity is « Saisie non activée » until its gestionnaire writes it.
			u.Capacite = ror.Capacite{}
			u.Version, u.UpdatedAt = 1, now.UTC()
			u.Provenance = ror.Provenance{Kind: ror.ProvenanceValidee, Source: "dossier " + dr.ID}
			pub.UOs = append(pub.UOs, u)
			change("uo", u.ID, nil, u)
		case ror.OpModifyUO, ror.OpCloseUO:
			old, oldEG, exists := r.UO(op.UO.ID)
			if !exists || oldEG.FINESS != dr.EG {
				return nil, ror.Errorf(ror.NotFound, at+"/uo/id", "L'UO « %s » n'existe pas dans cet établissement.", op.UO.ID)
			}
			if op.Base != old.Version {
				return nil, versionConflict(ror.Errorf(ror.Conflict, at+"/version_base", "L'UO « %s » a changé depuis votre saisie : version actuelle %d, la vôtre part de la version %d.", old.ID, old.Version, op.Base), old.Version)
			}
			u := *op.UO
			if op.Op == ror.OpCloseUO {
				u = old
				u.Statut = ror.StatutFerme
			}
			u.Capacite = old.Capacite // beds are the gestionnaires' business, not the dossier's
			if u.Lieux == nil {
				u.Lieux = lp.lieuxOf(old) // a dossier that does not name lieux keeps them
			}
			u.Version, u.UpdatedAt = old.Version+1, now.UTC()
			u.Provenance = ror.Provenance{Kind: ror.ProvenanceValidee, Source: "dossier " + dr.ID}
			pub.UOs = append(pub.UOs, u)
			change("uo", u.ID, old, u)
		case ror.OpModifyEG:
			if op.Base != eg.Version {
				return nil, versionConflict(ror.Errorf(ror.Conflict, at+"/version_base", "L'établissement a changé depuis votre saisie : version actuelle %d, la vôtre part de la version %d.", eg.Version, op.Base), eg.Version)
			}
			old := eg
			eg.Phone, eg.Email, eg.Horaires = op.EG.Phone, op.EG.Email, op.EG.Horaires
			eg.Version++
			change("eg", eg.FINESS, old, eg)
		}
	}
	if err := lp.finish(change); err != nil {
		return nil, err
	}
	if bad != nil {
		return nil, bad
	}
	eg.Validated, eg.UpdatedAt = now.UTC(), now.UTC()
	pub.EG = &eg
	was := dr.Status
	dr.Status, dr.Reason, dr.UpdatedAt, dr.Version = ror.DraftPublished, "", now.UTC(), dr.Version+1
	pub.Draft = dr
	c, err := draftChange(dr.ValidatedBy, was, dr, now)
	if err != nil {
		return nil, err
	}
	pub.Changes = append(pub.Changes, c)
	return pub, nil
}

// saveDraft stores the next step of a draft (its status was was) on
// behalf of acct, with its audit entry.
func (w *Dossiers) saveDraft(ctx context.Context, acct *ror.Account, was ror.DraftStatus, dr ror.Draft, now time.Time) (*ror.Draft, error) {
	prev := dr.Version
	dr.Version++
	c, err := draftChange(acct.Name, was, dr, now)
	if err != nil {
		return nil, err
	}
	if err := w.drafts.PutDraft(ctx, dr, prev, c); err != nil {
		return nil, err
	}
	return &dr, nil
}

// draftChange is the audit entry of a draft's step, filed under the draft
// and its EG: who, when, the status before (none when opened) and after,
// with the reason of a rejection and the count of operations.
func draftChange(author string, was ror.DraftStatus, dr ror.Draft, now time.Time) (ror.Change, error) {
	var before any
	if was != "" {
		before = map[string]any{"statut": was}
	}
	after := map[string]any{"statut": dr.Status, "operations": len(dr.Ops), "version": dr.Version}
	if dr.Reason != "" {
		after["motif"] = dr.Reason
	}
	if !dr.EffectiveAt.IsZero() {
		after["date_effet"] = dr.EffectiveAt
	}
	return ror.ChangeOf(ror.Change{At: now.UTC(), Author: author, Kind: "brouillon", ID: dr.ID, EG: dr.EG}, before, after)
}

// GetDraft returns a draft to its référents and the administrators.
func (w *Dossiers) GetDraft(ctx context.Context, acct *ror.Account, id string) (*ror.Draft, error) {
	if w.drafts == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Les brouillons ne sont pas disponibles sur ce service.")
	}
	dr, err := w.drafts.Draft(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := w.mayEdit(acct, dr.EG); err != nil {
		return nil, err
	}
	return &dr, nil
}

func (w *Dossiers) editableDraft(ctx context.Context, acct *ror.Account, id string) (ror.Draft, error) {
	dr, err := w.GetDraft(ctx, acct, id)
	if err != nil {
		return ror.Draft{}, err
	}
	if !dr.Editable() {
		return ror.Draft{}, ror.Errorf(ror.Conflict, "/statut", "Le brouillon est « %s » : il n'est plus modifiable.", dr.Status.Label())
	}
	return *dr, nil
}

// submittedDraft returns a draft an administrator may decide on: a submitted
// one, or with scheduled also one waiting for its effective date.
func (w *Dossiers) submittedDraft(ctx context.Context, acct *ror.Account, id string, scheduled bool) (ror.Draft, error) {
	if acct.Role != ror.RoleAdmin {
		return ror.Draft{}, ror.Errorf(ror.Forbidden, "", "Seul un administrateur valide ou rejette un brouillon.")
	}
	dr, err := w.GetDraft(ctx, acct, id)
	if err != nil {
		return ror.Draft{}, err
	}
	if dr.Status != ror.DraftSubmitted && !(scheduled && dr.Scheduled()) {
		return ror.Draft{}, ror.Errorf(ror.Conflict, "/statut", "Le brouillon est « %s » : seul un brouillon soumis se valide ou se rejette.", dr.Status.Label())
	}
	return *dr, nil
}

// mayEdit says whether acct may change the offer of the EG finess.
func (w *Dossiers) mayEdit(acct *ror.Account, finess string) error {
	if w.drafts == nil {
		return ror.Errorf(ror.Unavailable, "", "Les brouillons ne sont pas disponibles sur ce service.")
	}
	eg, ok := egOf(w.live, finess)
	if !ok {
		return ror.Errorf(ror.Invalid, "/finess_eg", "Aucun établissement n'a le numéro FINESS « %s ».", ror.Clip(finess))
	}
	if !acct.MayEditOffer(finess, eg.EJ) {
		return ror.Errorf(ror.Forbidden, "", "Le compte « %s » n'est pas référent de l'établissement %s.", acct.Name, finess)
	}
	return nil
}

// versionConflict is e carrying the current version, for the 409's "actuel".
func versionConflict(e *ror.Error, version int) *ror.Error {
	e.Current = map[string]int{"version": version}
	return e
}

func itoa(i int) string { return strconv.Itoa(i) }
