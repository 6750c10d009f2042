package workflow

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ror-recherche/ror"
)

// ListAnomalies returns a page of the reports acct may see, newest first,
// and the cursor of the next page ("" after the last): all of them to an
// administrator, those of its EJ/EG to a référent; Forbidden for the other
// roles, and for a référent asking for another EG. The page is read
// through the store's index, whatever the number of reports stored.
func (w *Reports) ListAnomalies(ctx context.Context, acct *ror.Account, f ror.AnomalyFilter) ([]ror.Anomaly, string, error) {
	if err := w.mayReview(acct); err != nil {
		return nil, "", err
	}
	f.EG = strings.ToUpper(strings.TrimSpace(f.EG))
	switch {
	case f.EG != "" && !ror.ValidFINESS(f.EG):
		return nil, "", ror.Errorf(ror.Invalid, "eg", "Le numéro FINESS « %s » est mal formé : 9 caractères attendus.", ror.Clip(f.EG))
	case f.Status != "" && f.Status != ror.AnomalyOpen && f.Status != ror.AnomalyClosed:
		return nil, "", ror.Errorf(ror.Invalid, "statut", "Le statut « %s » n'existe pas : ouverte ou close.", ror.Clip(f.Status))
	case f.Limit < 0 || f.Limit > 1000:
		return nil, "", ror.Errorf(ror.Invalid, "limit", "Le nombre de signalements doit être entre 1 et 1000.")
	case f.EG != "" && !w.reviews(acct, f.EG):
		return nil, "", ror.Errorf(ror.Forbidden, "eg", "Le compte « %s » n'est pas référent de l'établissement %s.", acct.Name, f.EG)
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	f.Keep = nil
	if f.EG == "" && acct.Role != ror.RoleAdmin {
		f.Keep = func(finess string) bool { return w.reviews(acct, finess) }
	}
	return w.anomalies.Anomalies(ctx, f)
}

// GetAnomaly returns one report to an administrator or a référent of its EG.
func (w *Reports) GetAnomaly(ctx context.Context, acct *ror.Account, id string) (*ror.Anomaly, error) {
	if err := w.mayReview(acct); err != nil {
		return nil, err
	}
	a, err := w.anomalies.Anomaly(ctx, id)
	if err != nil {
		return nil, err
	}
	if !w.reviews(acct, a.EG) {
		return nil, ror.Errorf(ror.Forbidden, "", "Le compte « %s » n'est pas référent de l'établissement %s.", acct.Name, a.EG)
	}
	return &a, nil
}

// CloseAnomaly closes a report with its resolution, on behalf of an
// administrator or a référent of its EG: who and when are kept with it, and
// the EG's history records it. Conflict when it is already closed.
func (w *Reports) CloseAnomaly(ctx context.Context, acct *ror.Account, id, resolution string, now time.Time) (*ror.Anomaly, error) {
	a, err := w.GetAnomaly(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	if a.Status == ror.AnomalyClosed {
		return nil, ror.Errorf(ror.Conflict, "/statut", "Le signalement n° %s est déjà clos (le %s par %s).", a.ID, a.ClosedAt.Format("02/01/2006"), a.ClosedBy)
	}
	resolution = strings.TrimSpace(resolution)
	switch {
	case resolution == "":
		return nil, ror.Errorf(ror.Invalid, "/resolution", "Indiquer la résolution : ce qui a été corrigé, ou pourquoi rien ne l'a été.")
	case utf8.RuneCountInString(resolution) > 2000:
		return nil, ror.Errorf(ror.Invalid, "/resolution", "La résolution dépasse 2 000 caractères.")
	}
	before := map[string]string{"statut": a.Status}
	a.Status, a.Resolution, a.ClosedBy, a.ClosedAt = ror.AnomalyClosed, resolution, acct.Name, now.UTC()
	// The reporter's address stays out of the history, which every account reads.
	after := map[string]string{"statut": a.Status, "champ": a.Field, "uo": a.UO, "resolution": a.Resolution}
	c, err := ror.ChangeOf(ror.Change{At: now.UTC(), Author: acct.Name, Kind: "anomalie", ID: a.ID, EG: a.EG}, before, after)
	if err != nil {
		return nil, err
	}
	if err := w.anomalies.CloseAnomaly(ctx, *a, c); err != nil {
		return nil, err
	}
	return a, nil
}

// mayReview says whether acct's role handles reports at all.
func (w *Reports) mayReview(acct *ror.Account) error {
	if w.anomalies == nil {
		return ror.Errorf(ror.Unavailable, "", "Les signalements ne sont pas disponibles sur ce service.")
	}
	if acct.Role != ror.RoleAdmin && acct.Role != ror.RoleReferent {
		return ror.Errorf(ror.Forbidden, "", "Les signalements sont traités par les administrateurs et les référents des établissements.")
	}
	return nil
}

// reviews reports whether acct handles the reports about the EG finess:
// the same accounts as edit its offer.
func (w *Reports) reviews(acct *ror.Account, finess string) bool {
	eg, _ := egOf(w.live, finess)
	return acct.MayEditOffer(finess, eg.EJ)
}
