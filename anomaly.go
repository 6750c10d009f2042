package ror

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"time"
	"unicode/utf8"
)

// Anomaly is a report that a field of an EG or a UO is wrong, by someone
// who leaves an e-mail address to be answered.
type Anomaly struct {
	ID          string    `json:"id"`
	EG          string    `json:"finess"`
	UO          string    `json:"uo,omitempty"`
	Field       string    `json:"champ"`
	Description string    `json:"description"`
	Email       string    `json:"email"`
	Status      string    `json:"statut"` // AnomalyOpen, AnomalyClosed
	Resolution  string    `json:"resolution,omitempty"`
	CreatedAt   time.Time `json:"cree"`
	ClosedBy    string    `json:"close_par,omitempty"` // the account that closed it
	ClosedAt    time.Time `json:"close_le,omitzero"`
}

// The statuses of a report.
const (
	AnomalyOpen   = "ouverte"
	AnomalyClosed = "close"
)

// Anomalies keeps the reports.
type Anomalies interface {
	// PutAnomaly stores a durably.
	PutAnomaly(ctx context.Context, a Anomaly) error
	// Anomalies returns the reports about the EG eg, or about every EG when
	// eg is "", in no particular order.
	Anomalies(ctx context.Context, eg string) ([]Anomaly, error)
	// Anomaly returns the report id; NotFound when there is none.
	Anomaly(ctx context.Context, id string) (Anomaly, error)
	// CloseAnomaly stores the closed report a with its audit entry in one
	// durable transaction; NotFound when it does not exist, Conflict when
	// the stored report is already closed.
	CloseAnomaly(ctx context.Context, a Anomaly, c Change) error
}

// ReportAnomaly checks and stores a report: the EG exists, the UO is one of
// its units, the text and the address are there.
func (d *Directory) ReportAnomaly(ctx context.Context, a Anomaly, now time.Time) (*Anomaly, error) {
	if d.anomalies == nil {
		return nil, Errorf(Unavailable, "", "Les signalements ne sont pas possibles sur ce service.")
	}
	a.EG = strings.TrimSpace(a.EG)
	d.mu.RLock()
	ord, ok := d.cat.EGOrdinal(a.EG)
	uoOK := a.UO == ""
	if ok && !uoOK {
		if u, found := d.cat.UOOrdinal(a.UO); found && d.cat.EGOf[u] == ord {
			uoOK = true
		}
	}
	d.mu.RUnlock()
	switch {
	case !ok:
		return nil, Errorf(Invalid, "/finess", "Aucun établissement n'a le numéro FINESS « %s ».", clip(a.EG))
	case !uoOK:
		return nil, Errorf(Invalid, "/uo", "L'UO « %s » n'appartient pas à cet établissement.", clip(a.UO))
	case strings.TrimSpace(a.Description) == "":
		return nil, Errorf(Invalid, "/description", "Décrire l'anomalie constatée.")
	case utf8.RuneCountInString(a.Description) > 2000 || len(a.Field) > 100:
		return nil, Errorf(Invalid, "/description", "La description dépasse 2 000 caractères.")
	case !validEmail(a.Email):
		return nil, Errorf(Invalid, "/email", "Indiquer une adresse électronique valide pour recevoir la réponse.")
	}
	b := make([]byte, 8)
	rand.Read(b)
	a.ID, a.Status, a.CreatedAt, a.Resolution = hex.EncodeToString(b), AnomalyOpen, now.UTC(), ""
	a.ClosedBy, a.ClosedAt = "", time.Time{}
	if err := d.anomalies.PutAnomaly(ctx, a); err != nil {
		return nil, err
	}
	return &a, nil
}

func validEmail(s string) bool {
	local, domain, ok := strings.Cut(strings.TrimSpace(s), "@")
	return ok && local != "" && strings.Contains(domain, ".") && len(s) <= 254 && !strings.ContainsAny(s, " <>\"")
}
