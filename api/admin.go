package api

import (
	"bufio"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/ror-recherche/ror"
)

// handleBackup is GET /api/v1/admin/sauvegarde: an online backup of the
// Badger store, for administrators; `ror restore` loads it into a new data
// dir.
func (s writes) handleBackup(c *fiber.Ctx) error {
	acct, err := s.auth.authenticated(c)
	if err != nil {
		return err
	}
	if acct.Role != ror.RoleAdmin {
		return ror.Errorf(ror.Forbidden, "", "La sauvegarde est réservée aux administrateurs.")
	}
	if s.backup == nil {
		return ror.Errorf(ror.Unavailable, "", "La sauvegarde n'est pas disponible sur ce service.")
	}
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="ror-`+time.Now().UTC().Format("20060102-150405")+`.badger"`)
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := s.backup.Backup(w); err != nil {
			s.log.Error("sauvegarde", "err", err)
		}
		w.Flush()
	})
	return nil
}

// handleHistory is GET /api/v1/eg/:finess/historique: who changed what of
// an EG and its units, newest first. Names of authors are not public: any
// account may read it.
func (s writes) handleHistory(c *fiber.Ctx) error {
	svc, err := s.services()
	if err != nil {
		return err
	}
	if _, err := s.auth.authenticated(c); err != nil {
		return err
	}
	limit := 100
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return ror.Errorf(ror.Invalid, "limit", "Le nombre d'entrées doit être entre 1 et 1000.")
		}
		limit = n
	}
	f, err := svc.Fiches.Fiche(c.UserContext(), c.Params("finess"))
	if err != nil {
		return err
	}
	h, err := svc.History.Changes(c.UserContext(), f.FINESS, limit)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"finess": f.FINESS, "historique": h})
}
