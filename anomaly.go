package ror

import (
	"context"
	"time"
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
	// PutAnomaly stores a new report a with its audit entry c durably;
	// Limited when its EG already has MaxOpenAnomaliesPerEG open reports.
	PutAnomaly(ctx context.Context, a Anomaly, c Change) error
	// Anomalies returns a page of the reports q asks for, newest first,
	// read through an index (EG, status, date): its cost is that of the
	// page, not of the reports stored. next is the cursor of the following
	// page, "" after the last; Invalid (Field "curseur") for a bad cursor.
	Anomalies(ctx context.Context, q AnomalyFilter) (page []Anomaly, next string, err error)
	// Anomaly returns the report id; NotFound when there is none.
	Anomaly(ctx context.Context, id string) (Anomaly, error)
	// CloseAnomaly stores the closed report a with its audit entry in one
	// durable transaction; NotFound when it does not exist, Conflict when
	// the stored report is already closed.
	CloseAnomaly(ctx context.Context, a Anomaly, c Change) error
}

// AnomalyFilter narrows the list of reports.
type AnomalyFilter struct {
	EG     string // FINESS of an EG; "" for every EG the account may see
	Status string // AnomalyOpen or AnomalyClosed; "" for both
	Limit  int    // at most; 0 for 100
	Cursor string // where the previous page stopped ("suivant"); "" from the newest
	// Keep, when set, tells the EGs whose reports are listed (a référent's
	// scope); the others are skipped.
	Keep func(finess string) bool
}

// MaxOpenAnomaliesPerEG bounds the queue of open reports of one EG: past
// it, new reports wait until its référents close some (429).
const MaxOpenAnomaliesPerEG = 1000
