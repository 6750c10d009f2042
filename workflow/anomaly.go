package workflow

import (
	"context"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ror-recherche/ror"
)

// ReportAnomaly checks and stores a report: the EG exists, the UO is one of
// its units, the text and the address are there.
func (w *Reports) ReportAnomaly(ctx context.Context, a ror.Anomaly, now time.Time) (*ror.Anomaly, error) {
	if w.anomalies == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Les signalements ne sont pas possibles sur ce service.")
	}
	a.EG = strings.TrimSpace(a.EG)
	var ok, uoOK bool
	w.live.Read(func(r ror.Records) {
		_, ok = r.EG(a.EG)
		uoOK = a.UO == ""
		if ok && !uoOK {
			if _, eg, found := r.UO(a.UO); found && eg.FINESS == a.EG {
				uoOK = true
			}
		}
	})
	switch {
	case !ok:
		return nil, ror.Errorf(ror.Invalid, "/finess", "Aucun établissement n'a le numéro FINESS « %s ».", ror.Clip(a.EG))
	case !uoOK:
		return nil, ror.Errorf(ror.Invalid, "/uo", "L'UO « %s » n'appartient pas à cet établissement.", ror.Clip(a.UO))
	case strings.TrimSpace(a.Description) == "":
		return nil, ror.Errorf(ror.Invalid, "/description", "Décrire l'anomalie constatée.")
	case utf8.RuneCountInString(a.Description) > 2000 || len(a.Field) > 100:
		return nil, ror.Errorf(ror.Invalid, "/description", "La description dépasse 2 000 caractères.")
	case !validEmail(a.Email):
		return nil, ror.Errorf(ror.Invalid, "/email", "Indiquer une adresse électronique valide pour recevoir la réponse.")
	}
	b := make([]byte, 8)
	ror.Random(ctx, b)
	a.ID, a.Status, a.CreatedAt, a.Resolution = hex.EncodeToString(b), ror.AnomalyOpen, now.UTC(), ""
	a.ClosedBy, a.ClosedAt = "", time.Time{}
	// The audit entry says a report was filed, not by whom: the reporter's
	// address stays out of the history, which every account reads.
	c, err := ror.ChangeOf(ror.Change{At: now.UTC(), Author: "signalement anonyme", Kind: "anomalie", ID: a.ID, EG: a.EG},
		nil, map[string]string{"statut": a.Status, "champ": a.Field, "uo": a.UO})
	if err != nil {
		return nil, err
	}
	if err := w.anomalies.PutAnomaly(ctx, a, c); err != nil {
		return nil, err
	}
	return &a, nil
}

func validEmail(s string) bool { return ror.ValidEmail(strings.TrimSpace(s)) }
