package ror

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// CreateDraft opens a dossier collaboratif for an EG on behalf of one of
// its référents (or an administrator): every code is checked now.
func (d *Directory) CreateDraft(ctx context.Context, acct *Account, dr Draft, now time.Time) (*Draft, error) {
	if err := d.mayEdit(acct, dr.EG); err != nil {
		return nil, err
	}
	if err := dr.Check(d.nom); err != nil {
		return nil, err
	}
	b := make([]byte, 8)
	rand.Read(b)
	dr.ID, dr.Author, dr.Status, dr.Reason, dr.ValidatedBy = hex.EncodeToString(b), acct.Name, DraftOpen, "", ""
	dr.CreatedAt, dr.UpdatedAt, dr.Version = now.UTC(), now.UTC(), 1
	if err := d.drafts.PutDraft(ctx, dr, 0); err != nil {
		return nil, err
	}
	return &dr, nil
}

// UpdateDraft replaces the operations of an editable draft; next.Version
// must be the version the référent edited (409 otherwise).
func (d *Directory) UpdateDraft(ctx context.Context, acct *Account, id string, next Draft, now time.Time) (*Draft, error) {
	cur, err := d.editableDraft(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	if next.Version != cur.Version {
		return nil, Errorf(Conflict, "/version", "Le brouillon a changé entre-temps : version %d, votre modification part de la version %d.", cur.Version, next.Version)
	}
	next.EG = cur.EG
	if err := next.Check(d.nom); err != nil {
		return nil, err
	}
	cur.Ops, cur.EffectiveAt, cur.UpdatedAt, cur.Status, cur.ValidatedBy = next.Ops, next.EffectiveAt, now.UTC(), DraftOpen, ""
	return d.saveDraft(ctx, cur)
}

// SubmitDraft sends an editable draft for validation.
func (d *Directory) SubmitDraft(ctx context.Context, acct *Account, id string, version int, now time.Time) (*Draft, error) {
	cur, err := d.editableDraft(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	if version != cur.Version {
		return nil, Errorf(Conflict, "/version", "Le brouillon a changé entre-temps : version %d.", cur.Version)
	}
	cur.Status, cur.UpdatedAt = DraftSubmitted, now.UTC()
	return d.saveDraft(ctx, cur)
}

// RejectDraft sends a submitted draft back to its référents with a reason;
// on a draft validated for a later date, it cancels the publication.
func (d *Directory) RejectDraft(ctx context.Context, acct *Account, id, reason string, now time.Time) (*Draft, error) {
	cur, err := d.submittedDraft(ctx, acct, id, true)
	if err != nil {
		return nil, err
	}
	if reason == "" {
		return nil, Errorf(Invalid, "/motif", "Un rejet demande un motif.")
	}
	cur.Status, cur.Reason, cur.UpdatedAt = DraftRejected, reason, now.UTC()
	return d.saveDraft(ctx, cur)
}

// MaxEffectiveDelay is how far ahead a publication may be programmed.
const MaxEffectiveDelay = 5 * 365 * 24 * time.Hour

// ValidateDraft publishes a submitted draft: every operation is checked
// against the current version of its record (409 when a record moved since
// the référent edited it), then the records, their audit entries and the
// draft are written in one transaction and the search sees them at once.
// With an effective date after now, the draft is only marked validated,
// publication programmée: PublishDue publishes it when the date comes.
func (d *Directory) ValidateDraft(ctx context.Context, acct *Account, id string, effective, now time.Time) (*Draft, error) {
	cur, err := d.submittedDraft(ctx, acct, id, false)
	if err != nil {
		return nil, err
	}
	if effective.After(now.Add(MaxEffectiveDelay)) {
		return nil, Errorf(Invalid, "/date_effet", "La date d'effet %s est à plus de 5 ans : vérifier l'année.", effective.Format("02/01/2006"))
	}
	cur.ValidatedBy = acct.Name
	d.wmu.Lock()
	defer d.wmu.Unlock()
	d.mu.RLock()
	pub, err := d.publication(cur, now)
	d.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	if effective.After(now) {
		cur.Status, cur.EffectiveAt, cur.Reason, cur.UpdatedAt = DraftValidated, effective.UTC(), "", now.UTC()
		return d.saveDraft(ctx, cur)
	}
	pub.Draft.EffectiveAt = now.UTC()
	if err := d.drafts.Publish(ctx, *pub); err != nil {
		return nil, err
	}
	d.apply(pub)
	return &pub.Draft, nil
}

// publication computes what publishing dr at now writes, on behalf of the
// administrator who validated it. The caller holds d.mu for reading.
func (d *Directory) publication(dr Draft, now time.Time) (*Publication, error) {
	egOrd, ok := d.cat.EGOrdinal(dr.EG)
	if !ok {
		return nil, Errorf(NotFound, "/finess_eg", "L'établissement %s n'existe plus.", dr.EG)
	}
	eg := d.cat.EGs[egOrd]
	pub := &Publication{Prev: dr.Version}
	change := func(kind, id string, before, after any) {
		b, _ := json.Marshal(before)
		a, _ := json.Marshal(after)
		pub.Changes = append(pub.Changes, Change{At: now.UTC(), Author: dr.ValidatedBy + " (brouillon " + dr.ID + " de " + dr.Author + ")", Kind: kind, ID: id, EG: dr.EG, Before: b, After: a})
	}
	for i, op := range dr.Ops {
		at := "/operations/" + itoa(i)
		switch op.Op {
		case OpCreateUO:
			if _, exists := d.cat.UOOrdinal(op.UO.ID); exists {
				return nil, Errorf(Conflict, at+"/uo/id", "L'UO « %s » existe déjà.", op.UO.ID)
			}
			u := *op.UO
			u.Version, u.UpdatedAt = 1, now.UTC()
			pub.UOs = append(pub.UOs, u)
			change("uo", u.ID, nil, u)
		case OpModifyUO, OpCloseUO:
			ord, exists := d.cat.UOOrdinal(op.UO.ID)
			if !exists || d.cat.EGOf[ord] != egOrd {
				return nil, Errorf(NotFound, at+"/uo/id", "L'UO « %s » n'existe pas dans cet établissement.", op.UO.ID)
			}
			old := d.cat.UOs[ord]
			if op.Base != old.Version {
				return nil, Errorf(Conflict, at+"/version_base", "L'UO « %s » a changé depuis votre saisie : version actuelle %d, la vôtre part de la version %d.", old.ID, old.Version, op.Base)
			}
			u := *op.UO
			if op.Op == OpCloseUO {
				u = old
				u.Statut = StatutFerme
			}
			u.Capacite = old.Capacite // beds are the gestionnaires' business, not the dossier's
			u.Version, u.UpdatedAt = old.Version+1, now.UTC()
			pub.UOs = append(pub.UOs, u)
			change("uo", u.ID, old, u)
		case OpModifyEG:
			if op.Base != eg.Version {
				return nil, Errorf(Conflict, at+"/version_base", "L'établissement a changé depuis votre saisie : version actuelle %d, la vôtre part de la version %d.", eg.Version, op.Base)
			}
			old := eg
			eg.Phone, eg.Email, eg.Horaires = op.EG.Phone, op.EG.Email, op.EG.Horaires
			eg.Version++
			change("eg", eg.FINESS, old, eg)
		}
	}
	eg.Validated, eg.UpdatedAt = now.UTC(), now.UTC()
	pub.EG = &eg
	dr.Status, dr.Reason, dr.UpdatedAt, dr.Version = DraftPublished, "", now.UTC(), dr.Version+1
	pub.Draft = dr
	return pub, nil
}

// apply makes a publication visible to searches: catalog, then index.
func (d *Directory) apply(p *Publication) {
	d.mu.Lock()
	var ords []uint32
	egOrd, _ := d.cat.EGOrdinal(p.EG.FINESS)
	renamed := d.cat.EGs[egOrd].Name != p.EG.Name
	d.cat.EGs[egOrd] = *p.EG
	if renamed {
		d.rankNames()
		ords = append(ords, d.cat.UOsOf[egOrd]...) // its name is re-indexed with them
	}
	for _, u := range p.UOs {
		if ord, ok := d.cat.UOOrdinal(u.ID); ok {
			d.cat.UOs[ord] = u
			ords = append(ords, ord)
		} else {
			ords = append(ords, d.cat.add(u, egOrd))
		}
	}
	// Re-file under the catalog's lock: another publication appending to
	// cat.UOs meanwhile would race the index reading it.
	d.index.Reindex(d.cat, ords)
	d.mu.Unlock()
}

func (d *Directory) saveDraft(ctx context.Context, dr Draft) (*Draft, error) {
	prev := dr.Version
	dr.Version++
	if err := d.drafts.PutDraft(ctx, dr, prev); err != nil {
		return nil, err
	}
	return &dr, nil
}

// GetDraft returns a draft to its référents and the administrators.
func (d *Directory) GetDraft(ctx context.Context, acct *Account, id string) (*Draft, error) {
	if d.drafts == nil {
		return nil, Errorf(Unavailable, "", "Les brouillons ne sont pas disponibles sur ce service.")
	}
	dr, err := d.drafts.Draft(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := d.mayEdit(acct, dr.EG); err != nil {
		return nil, err
	}
	return &dr, nil
}

func (d *Directory) editableDraft(ctx context.Context, acct *Account, id string) (Draft, error) {
	dr, err := d.GetDraft(ctx, acct, id)
	if err != nil {
		return Draft{}, err
	}
	if !dr.Editable() {
		return Draft{}, Errorf(Conflict, "/statut", "Le brouillon est « %s » : il n'est plus modifiable.", dr.Status.Label())
	}
	return *dr, nil
}

// submittedDraft returns a draft an administrator may decide on: a submitted
// one, or with scheduled also one waiting for its effective date.
func (d *Directory) submittedDraft(ctx context.Context, acct *Account, id string, scheduled bool) (Draft, error) {
	if acct.Role != RoleAdmin {
		return Draft{}, Errorf(Forbidden, "", "Seul un administrateur valide ou rejette un brouillon.")
	}
	dr, err := d.GetDraft(ctx, acct, id)
	if err != nil {
		return Draft{}, err
	}
	if dr.Status != DraftSubmitted && !(scheduled && dr.Scheduled()) {
		return Draft{}, Errorf(Conflict, "/statut", "Le brouillon est « %s » : seul un brouillon soumis se valide ou se rejette.", dr.Status.Label())
	}
	return *dr, nil
}

// mayEdit says whether acct may change the offer of the EG finess.
func (d *Directory) mayEdit(acct *Account, finess string) error {
	if d.drafts == nil {
		return Errorf(Unavailable, "", "Les brouillons ne sont pas disponibles sur ce service.")
	}
	d.mu.RLock()
	ord, ok := d.cat.EGOrdinal(finess)
	var ej string
	if ok {
		ej = d.cat.EGs[ord].EJ
	}
	d.mu.RUnlock()
	if !ok {
		return Errorf(Invalid, "/finess_eg", "Aucun établissement n'a le numéro FINESS « %s ».", clip(finess))
	}
	if !acct.MayEditOffer(finess, ej) {
		return Errorf(Forbidden, "", "Le compte « %s » n'est pas référent de l'établissement %s.", acct.Name, finess)
	}
	return nil
}

func itoa(i int) string { return strconv.Itoa(i) }
