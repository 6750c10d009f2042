package ror

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// AnomalyFilter narrows the list of reports.
type AnomalyFilter struct {
	EG     string // FINESS of an EG; "" for every EG the account may see
	Status string // AnomalyOpen or AnomalyClosed; "" for both
	Limit  int    // at most; 0 for 100
}

// ListAnomalies returns the reports acct may see, newest first: all of
// them to an administrator, those of its EJ/EG to a référent; Forbidden for
// the other roles, and for a référent asking for another EG.
func (d *Directory) ListAnomalies(ctx context.Context, acct *Account, f AnomalyFilter) ([]Anomaly, error) {
	if err := d.mayReview(acct); err != nil {
		return nil, err
	}
	f.EG = strings.ToUpper(strings.TrimSpace(f.EG))
	switch {
	case f.EG != "" && !ValidFINESS(f.EG):
		return nil, Errorf(Invalid, "eg", "Le numéro FINESS « %s » est mal formé : 9 caractères attendus.", clip(f.EG))
	case f.Status != "" && f.Status != AnomalyOpen && f.Status != AnomalyClosed:
		return nil, Errorf(Invalid, "statut", "Le statut « %s » n'existe pas : ouverte ou close.", clip(f.Status))
	case f.Limit < 0 || f.Limit > 1000:
		return nil, Errorf(Invalid, "limit", "Le nombre de signalements doit être entre 1 et 1000.")
	case f.EG != "" && !d.reviews(acct, f.EG):
		return nil, Errorf(Forbidden, "eg", "Le compte « %s » n'est pas référent de l'établissement %s.", acct.Name, f.EG)
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	all, err := d.anomalies.Anomalies(ctx, f.EG)
	if err != nil {
		return nil, err
	}
	out := []Anomaly{}
	for _, a := range all {
		if (f.Status == "" || a.Status == f.Status) && d.reviews(acct, a.EG) {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out[:min(len(out), f.Limit)], nil
}

// GetAnomaly returns one report to an administrator or a référent of its EG.
func (d *Directory) GetAnomaly(ctx context.Context, acct *Account, id string) (*Anomaly, error) {
	if err := d.mayReview(acct); err != nil {
		return nil, err
	}
	a, err := d.anomalies.Anomaly(ctx, id)
	if err != nil {
		return nil, err
	}
	if !d.reviews(acct, a.EG) {
		return nil, Errorf(Forbidden, "", "Le compte « %s » n'est pas référent de l'établissement %s.", acct.Name, a.EG)
	}
	return &a, nil
}

// CloseAnomaly closes a report with its resolution, on behalf of an
// administrator or a référent of its EG: who and when are kept with it, and
// the EG's history records it. Conflict when it is already closed.
func (d *Directory) CloseAnomaly(ctx context.Context, acct *Account, id, resolution string, now time.Time) (*Anomaly, error) {
	a, err := d.GetAnomaly(ctx, acct, id)
	if err != nil {
		return nil, err
	}
	if a.Status == AnomalyClosed {
		return nil, Errorf(Conflict, "/statut", "Le signalement n° %s est déjà clos (le %s par %s).", a.ID, a.ClosedAt.Format("02/01/2006"), a.ClosedBy)
	}
	resolution = strings.TrimSpace(resolution)
	switch {
	case resolution == "":
		return nil, Errorf(Invalid, "/resolution", "Indiquer la résolution : ce qui a été corrigé, ou pourquoi rien ne l'a été.")
	case utf8.RuneCountInString(resolution) > 2000:
		return nil, Errorf(Invalid, "/resolution", "La résolution dépasse 2 000 caractères.")
	}
	before, _ := json.Marshal(map[string]string{"statut": a.Status})
	a.Status, a.Resolution, a.ClosedBy, a.ClosedAt = AnomalyClosed, resolution, acct.Name, now.UTC()
	// The reporter's address stays out of the history, which every account reads.
	after, _ := json.Marshal(map[string]string{"statut": a.Status, "champ": a.Field, "uo": a.UO, "resolution": a.Resolution})
	c := Change{At: now.UTC(), Author: acct.Name, Kind: "anomalie", ID: a.ID, EG: a.EG, Before: before, After: after}
	if err := d.anomalies.CloseAnomaly(ctx, *a, c); err != nil {
		return nil, err
	}
	return a, nil
}

// mayReview says whether acct's role handles reports at all.
func (d *Directory) mayReview(acct *Account) error {
	if d.anomalies == nil {
		return Errorf(Unavailable, "", "Les signalements ne sont pas disponibles sur ce service.")
	}
	if acct.Role != RoleAdmin && acct.Role != RoleReferent {
		return Errorf(Forbidden, "", "Les signalements sont traités par les administrateurs et les référents des établissements.")
	}
	return nil
}

// reviews reports whether acct handles the reports about the EG finess:
// the same accounts as edit its offer.
func (d *Directory) reviews(acct *Account, finess string) bool {
	d.mu.RLock()
	var ej string
	if ord, ok := d.cat.EGOrdinal(finess); ok {
		ej = d.cat.EGs[ord].EJ
	}
	d.mu.RUnlock()
	return acct.MayEditOffer(finess, ej)
}
