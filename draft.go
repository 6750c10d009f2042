package ror

import (
	"strconv"
	"time"
)

// DraftStatus is the state of a dossier collaboratif.
type DraftStatus string

// The life of a draft: brouillon → soumis → publié at once, or validé with
// a publication programmée at its effective date, then publié (or en échec
// when the offer moved meanwhile: back to editable, with the reason); or
// rejeté (back to editable, with a reason).
const (
	DraftOpen      DraftStatus = "brouillon"
	DraftSubmitted DraftStatus = "soumis"
	DraftValidated DraftStatus = "valide"
	DraftRejected  DraftStatus = "rejete"
	DraftPublished DraftStatus = "publie"
	DraftFailed    DraftStatus = "echec"
)

var draftLabels = map[DraftStatus]string{
	DraftOpen:      "brouillon",
	DraftSubmitted: "soumis pour validation",
	DraftValidated: "validé, publication programmée",
	DraftRejected:  "rejeté",
	DraftPublished: "publié",
	DraftFailed:    "publication programmée impossible",
}

// Label is the French label of a status.
func (s DraftStatus) Label() string { return draftLabels[s] }

// DraftOp is one change of a draft. Base is the version of the record the
// référent edited: publishing refuses the op when the record moved since.
type DraftOp struct {
	Op   string      `json:"op"` // creer_uo, modifier_uo, fermer_uo, modifier_eg
	UO   *UO         `json:"uo,omitempty"`
	EG   *EGContacts `json:"eg,omitempty"`
	Lieu *Lieu       `json:"lieu,omitempty"` // creer_lieu, modifier_lieu, fermer_lieu
	// UOs, on creer_lieu and modifier_lieu, are the units of the EG
	// delivered at the lieu (nil on modifier_lieu: unchanged).
	UOs  []string `json:"uos,omitempty"`
	Base int      `json:"version_base"`
}

// The operations of a draft.
const (
	OpCreateUO = "creer_uo"
	OpModifyUO = "modifier_uo"
	OpCloseUO  = "fermer_uo"
	OpModifyEG = "modifier_eg"

	OpCreateLieu = "creer_lieu"
	OpModifyLieu = "modifier_lieu"
	OpCloseLieu  = "fermer_lieu"
)

// EGContacts are the fields of an EG a référent keeps: the rest comes from
// FINESS.
type EGContacts struct {
	Phone    string `json:"telephone"`
	Email    string `json:"email"`
	Horaires string `json:"horaires"`
}

// Draft is a dossier collaboratif: changes to one EG and its UOs, filled by
// its référents, then submitted for validation.
type Draft struct {
	ID          string      `json:"id"`
	EG          string      `json:"finess_eg"`
	Author      string      `json:"auteur"`
	Status      DraftStatus `json:"statut"`
	Ops         []DraftOp   `json:"operations"`
	Reason      string      `json:"motif,omitempty"`      // of a rejection or of a failed publication
	EffectiveAt time.Time   `json:"date_effet,omitzero"`  // publication: the date set at validation
	ValidatedBy string      `json:"valide_par,omitempty"` // the administrator who validated it
	CreatedAt   time.Time   `json:"cree"`
	UpdatedAt   time.Time   `json:"maj"`
	Version     int         `json:"version"`
}

// Editable reports whether the référent may still change the draft.
func (d *Draft) Editable() bool {
	return d.Status == DraftOpen || d.Status == DraftRejected || d.Status == DraftFailed
}

// Scheduled reports whether the draft waits for its effective date to be
// published.
func (d *Draft) Scheduled() bool { return d.Status == DraftValidated && !d.EffectiveAt.IsZero() }

// Check validates the operations: known op, the UO belongs to the draft's
// EG and has an id of the importer's shape, every code exists, the bounds
// of checkLimits hold. Field is a JSON pointer into the draft. A draft
// never sets beds, authors or dates: publication drops them (its capacity
// is the gestionnaires', « Saisie non activée » for a new UO).
func (d *Draft) Check(n *Nomenclature) error {
	if !ValidFINESS(d.EG) {
		return Errorf(Invalid, "/finess_eg", "Le FINESS « %s » est mal formé.", Clip(d.EG))
	}
	if len(d.Ops) == 0 {
		return Errorf(Invalid, "/operations", "Le brouillon ne contient aucune modification.")
	}
	if err := d.checkLimits(); err != nil {
		return err
	}
	for i, op := range d.Ops {
		at := "/operations/" + strconv.Itoa(i)
		switch op.Op {
		case OpCreateUO, OpModifyUO, OpCloseUO:
			if op.UO == nil {
				return Errorf(Invalid, at+"/uo", "L'opération « %s » demande une UO.", op.Op)
			}
			if op.UO.EG != d.EG {
				return Errorf(Invalid, at+"/uo/finess_eg", "L'UO doit appartenir à l'établissement %s du brouillon.", d.EG)
			}
			if op.Op == OpCloseUO {
				continue
			}
			if op.UO.Statut == "" {
				op.UO.Statut = StatutActif
			}
			if err := op.UO.Validate(n); err != nil {
				if e := AsError(err); e != nil {
					return e.Under(at + "/uo/")
				}
				return err
			}
			if err := checkUOLieux(at, op.UO); err != nil {
				return err
			}
		case OpModifyEG:
			if op.EG == nil {
				return Errorf(Invalid, at+"/eg", "L'opération « modifier_eg » demande les contacts de l'EG.")
			}
		case OpCreateLieu, OpModifyLieu, OpCloseLieu:
			if err := d.checkLieuOp(at, op, n); err != nil {
				return err
			}
		default:
			return Errorf(Invalid, at+"/op", "L'opération « %s » n'existe pas : creer_uo, modifier_uo, fermer_uo, modifier_eg, creer_lieu, modifier_lieu ou fermer_lieu.", Clip(op.Op))
		}
	}
	return nil
}

// MaxEffectiveDelay is how far ahead a publication may be programmed.
const MaxEffectiveDelay = 5 * 365 * 24 * time.Hour
