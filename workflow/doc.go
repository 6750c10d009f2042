// Package workflow is the write side of ROR Recherche: the capacitaire
// (beds, one figure or a feed), the dossiers collaboratifs (drafts, their
// validation and the publications programmées), the reports of
// anomalies, and the professionals' « Mon offre » (ProDesk, through
// ror.ProLive). Each workflow checks its rights and its figures against the
// live offer, writes the record of truth, and makes the change visible
// through the read side's single entry, ror.Live.Update: it never holds the
// catalog, and never a lock of its own.
//
// It imports ror only; package search (the read side) is passed in as a
// ror.Live by cmd/ror.
package workflow

import "github.com/ror-recherche/ror"

// Beds keeps the capacitaire: the gestionnaires' figures, one UO or a feed.
type Beds struct {
	live  ror.Live
	store ror.Store // nil: read-only, updates refused
}

// NewBeds returns the capacitaire workflow over live, writing to store.
func NewBeds(live ror.Live, store ror.Store) *Beds { return &Beds{live: live, store: store} }

// Dossiers keeps the dossiers collaboratifs of the référents.
type Dossiers struct {
	live   ror.Live
	drafts ror.Drafts // nil: no offer editing
	nom    *ror.Nomenclature
}

// NewDossiers returns the dossiers workflow over live, checking codes
// against nom and keeping the drafts in drafts.
func NewDossiers(live ror.Live, drafts ror.Drafts, nom *ror.Nomenclature) *Dossiers {
	return &Dossiers{live: live, drafts: drafts, nom: nom}
}

// Reports keeps the reports of anomalies.
type Reports struct {
	live      ror.Live
	anomalies ror.Anomalies // nil: reports refused
}

// NewReports returns the reports workflow over live, keeping them in
// anomalies.
func NewReports(live ror.Live, anomalies ror.Anomalies) *Reports {
	return &Reports{live: live, anomalies: anomalies}
}

// egOf returns the EG with this FINESS from the live offer.
func egOf(live ror.Live, finess string) (eg ror.EG, ok bool) {
	live.Read(func(r ror.Records) { eg, ok = r.EG(finess) })
	return eg, ok
}
