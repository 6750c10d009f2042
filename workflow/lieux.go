package workflow

import (
	"slices"
	"strconv"
	"time"

	"github.com/ror-recherche/ror"
)

// The lieu operations of a dossier (creer_lieu, modifier_lieu, fermer_lieu):
// a référent declares where the EG's units deliver their offer besides the
// EG's own address, moves it, or closes it. A closed lieu leaves the lists
// of its units; a unit left without any is back at its EG's address, the
// derived default. The units whose list changes are published with the
// lieu, in the same transaction, each with its audit entry.

// lieuPub gathers what a draft's lieu operations publish.
type lieuPub struct {
	r       ror.Records
	dr      ror.Draft
	pub     *ror.Publication
	now     time.Time
	touched map[string]ror.UO // units changed by lieu operations: their record before
	order   []string
}

// lieu returns the lieu id as this publication leaves it so far.
func (p *lieuPub) lieu(id string) (ror.Lieu, int, bool) {
	for i := len(p.pub.Lieux) - 1; i >= 0; i-- {
		if p.pub.Lieux[i].ID == id {
			return p.pub.Lieux[i], i, true
		}
	}
	l, ok := p.r.Lieu(id)
	return l, -1, ok
}

// unit returns the index in pub.UOs of the unit id as this publication
// changes it, adding it (version bumped, validated by this dossier) when no
// operation changed it yet; -1 when the EG has no such unit.
func (p *lieuPub) unit(id string) int {
	for i := len(p.pub.UOs) - 1; i >= 0; i-- {
		if p.pub.UOs[i].ID == id {
			return i
		}
	}
	u, eg, ok := p.r.UO(id)
	if !ok || eg.FINESS != p.dr.EG {
		return -1
	}
	if p.touched == nil {
		p.touched = map[string]ror.UO{}
	}
	p.touched[id] = u
	p.order = append(p.order, id)
	old := u
	u.Lieux = slices.Clone(old.Lieux)
	u.Version, u.UpdatedAt = old.Version+1, p.now.UTC()
	u.Provenance = ror.Provenance{Kind: ror.ProvenanceValidee, Source: "dossier " + p.dr.ID}
	p.pub.UOs = append(p.pub.UOs, u)
	return len(p.pub.UOs) - 1
}

// deliver adds (on) or removes the lieu id from the unit at index i.
func (p *lieuPub) deliver(i int, id string, on bool) {
	u := &p.pub.UOs[i]
	has := slices.Contains(u.Lieux, id)
	switch {
	case on && !has:
		if len(u.Lieux) == 0 {
			u.Lieux = []string{u.EG} // the EG's address stays, declared now
		}
		u.Lieux = append(u.Lieux, id)
	case !on && has:
		u.Lieux = slices.DeleteFunc(u.Lieux, func(s string) bool { return s == id })
		if len(u.Lieux) == 0 || len(u.Lieux) == 1 && u.Lieux[0] == u.EG {
			u.Lieux = nil // the derived default again
		}
	}
}

// op publishes one lieu operation at JSON pointer at.
func (p *lieuPub) op(at string, op ror.DraftOp, change func(kind, id string, before, after any)) error {
	switch op.Op {
	case ror.OpCreateLieu:
		if _, _, exists := p.lieu(op.Lieu.ID); exists {
			return ror.Errorf(ror.Conflict, at+"/lieu/id", "Le lieu « %s » existe déjà.", op.Lieu.ID)
		}
		l := *op.Lieu
		l.Statut, l.Version, l.UpdatedAt = ror.StatutActif, 1, p.now.UTC()
		l.Provenance = ror.Provenance{Kind: ror.ProvenanceValidee, Source: "dossier " + p.dr.ID}
		p.pub.Lieux = append(p.pub.Lieux, l)
		change("lieu", l.ID, nil, l)
		return p.setUnits(at, l.ID, op.UOs, false)
	case ror.OpModifyLieu, ror.OpCloseLieu:
		old, i, exists := p.lieu(op.Lieu.ID)
		if !exists || old.EG != p.dr.EG {
			return ror.Errorf(ror.NotFound, at+"/lieu/id", "Le lieu « %s » n'existe pas dans cet établissement.", op.Lieu.ID)
		}
		if i < 0 && op.Base != old.Version {
			return versionConflict(ror.Errorf(ror.Conflict, at+"/version_base", "Le lieu « %s » a changé depuis votre saisie : version actuelle %d, la vôtre part de la version %d.", old.ID, old.Version, op.Base), old.Version)
		}
		l := *op.Lieu
		if op.Op == ror.OpCloseLieu {
			l = old
			l.Statut = ror.StatutFerme
		} else if l.Statut == "" {
			l.Statut = old.Statut
		}
		l.Version, l.UpdatedAt = old.Version+1, p.now.UTC()
		if i >= 0 { // created or changed by this dossier already: one version
			l.Version = old.Version
		}
		l.Provenance = ror.Provenance{Kind: ror.ProvenanceValidee, Source: "dossier " + p.dr.ID}
		if i >= 0 {
			p.pub.Lieux[i] = l
		} else {
			p.pub.Lieux = append(p.pub.Lieux, l)
		}
		change("lieu", l.ID, old, l)
		if !l.Open() {
			return p.setUnits(at, l.ID, nil, true)
		}
		if op.UOs != nil {
			return p.setUnits(at, l.ID, op.UOs, true)
		}
	}
	return nil
}

// setUnits delivers lieu id at the units listed; with only, the EG's other
// units stop delivering there.
func (p *lieuPub) setUnits(at, id string, uos []string, only bool) error {
	for j, uid := range uos {
		i := p.unit(uid)
		if i < 0 {
			return ror.Errorf(ror.NotFound, at+"/uos/"+strconv.Itoa(j), "L'UO « %s » n'existe pas dans cet établissement.", uid)
		}
		p.deliver(i, id, true)
	}
	if !only {
		return nil
	}
	for _, u := range p.r.UnitsOf(p.dr.EG) {
		if slices.Contains(u.Lieux, id) && !slices.Contains(uos, u.ID) {
			p.deliver(p.unit(u.ID), id, false)
		}
	}
	return nil
}

// finish files the audit entries of the units the lieu operations changed,
// and checks that every published unit lists its EG or open lieux of it.
func (p *lieuPub) finish(change func(kind, id string, before, after any)) error {
	for _, id := range p.order {
		for i := len(p.pub.UOs) - 1; i >= 0; i-- {
			if p.pub.UOs[i].ID == id {
				change("uo", id, p.touched[id], p.pub.UOs[i])
				break
			}
		}
	}
	for _, u := range p.pub.UOs {
		for j, id := range u.Lieux {
			if id == u.EG {
				continue
			}
			if l, _, ok := p.lieu(id); !ok || l.EG != u.EG || !l.Open() {
				return ror.Errorf(ror.Invalid, "/operations", "L'UO « %s » cite le lieu « %s » (lieux/%d), qui n'existe pas ou est fermé dans cet établissement.", u.ID, id, j)
			}
		}
	}
	return nil
}

// lieuxOf are the lieux of unit u as this publication leaves them so far.
func (p *lieuPub) lieuxOf(u ror.UO) []string {
	for i := len(p.pub.UOs) - 1; i >= 0; i-- {
		if p.pub.UOs[i].ID == u.ID {
			return p.pub.UOs[i].Lieux
		}
	}
	return u.Lieux
}
