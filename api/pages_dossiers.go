package api

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// DraftLister lists the dossiers collaboratifs (store.Drafts).
type DraftLister interface {
	// ListDrafts returns the drafts of a status ("" any) and of the EGs egs
	// (empty: all), newest first, at most limit.
	ListDrafts(ctx context.Context, status ror.DraftStatus, egs []string, limit int) ([]ror.Draft, error)
}

// handleDraftList is GET /api/v1/brouillons?statut=&eg=: the validation
// queue of an administrator (every EG), or a référent's own dossiers (its
// scope's EGs), newest first.
func (s pages) handleDraftList(c *fiber.Ctx) error {
	v, err := s.records()
	if err != nil {
		return err
	}
	acct, err := s.auth.authenticated(c)
	if err != nil {
		return err
	}
	lister := s.drafts
	if lister == nil {
		return ror.Errorf(ror.Unavailable, "", "La liste des dossiers n'est pas disponible sur ce service.")
	}
	status := ror.DraftStatus(c.Query("statut"))
	if status != "" && status.Label() == "" {
		return ror.Errorf(ror.Invalid, "statut", "Statut inconnu : brouillon, soumis, valide, rejete, publie ou echec.")
	}
	var egs []string
	switch acct.Role {
	case ror.RoleAdmin:
		if eg := c.Query("eg"); eg != "" {
			egs = []string{eg}
		}
	case ror.RoleReferent:
		egs = scopeEGs(v.Records, acct.Scope)
		if len(egs) == 0 {
			return c.JSON(fiber.Map{"nombre": 0, "brouillons": []draftView{}})
		}
		if eg := c.Query("eg"); eg != "" {
			egs = filter(egs, eg)
			if len(egs) == 0 {
				return ror.Errorf(ror.Forbidden, "eg", "L'établissement %s n'est pas dans le périmètre du compte.", eg)
			}
		}
	default:
		return ror.Errorf(ror.Forbidden, "", "Les dossiers sont ceux des référents et des administrateurs.")
	}
	list, err := lister.ListDrafts(c.UserContext(), status, egs, 200)
	if err != nil {
		return err
	}
	out := make([]draftView, len(list))
	for i := range list {
		out[i] = viewDraft(&list[i])
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"nombre": len(out), "brouillons": out})
}

// nomenclatureSets are the value sets the pickers of a unit offer, by the
// name the page uses.
var nomenclatureSets = map[string]ror.ValueSet{
	"type_uo": ror.VSTypeUO, "champ_activite": ror.VSChampActivite, "activites": ror.VSActivite,
	"actes": ror.VSActe, "equipements": ror.VSEquipement, "modes": ror.VSMode,
	"professions": ror.VSProfession, "publics": ror.VSPublic,
	"fonction_lieu": ror.VSFonctionLieu, // a lieu de réalisation's fonction (JDV_J198)
}

// handleNomenclature is GET /api/v1/nomenclature/:champ: the codes and
// labels of the value set of a unit's field (type_uo, champ_activite,
// activites, actes, equipements, modes, professions, publics, fonction_lieu).
func (s pages) handleNomenclature(c *fiber.Ctx) error {
	v, err := s.records()
	if err != nil {
		return err
	}
	vs, ok := nomenclatureSets[c.Params("champ")]
	if !ok {
		return ror.Errorf(ror.NotFound, "champ", "Pas de nomenclature pour « %s » : type_uo, champ_activite, activites, actes, equipements, modes, professions, publics ou fonction_lieu.", clipParam(c.Params("champ")))
	}
	return c.JSON(fiber.Map{"champ": c.Params("champ"), "jeu": vs, "concepts": v.Records.Nomenclature().Concepts(vs)})
}

func clipParam(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
