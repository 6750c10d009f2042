package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/internal/wire"
	"github.com/ror-recherche/ror/store"
)

// token creates a named account and prints its bearer token (shown once;
// the store keeps only its hash), or revokes an account. Badger locks its
// directory: run it while the service is stopped.
func token(ctx context.Context, cfg Config, out io.Writer) error {
	db, err := store.Open(filepath.Join(cfg.DataDir, "badger"), store.Options{})
	if err != nil {
		return fmt.Errorf("%w (le service doit être arrêté pendant « ror token »)", err)
	}
	defer db.Close()
	if cfg.TokenRevoke {
		if err := db.Accounts().Revoke(ctx, cfg.TokenName); err != nil {
			return err
		}
		fmt.Fprintf(out, "compte « %s » révoqué\n", cfg.TokenName)
		return nil
	}
	a := ror.Account{Name: cfg.TokenName, Role: ror.Role(cfg.TokenRole)}
	for _, s := range strings.Split(cfg.TokenScope, ",") {
		if s = strings.TrimSpace(s); s != "" {
			if !ror.ValidFINESS(s) {
				return fmt.Errorf("périmètre: FINESS « %s » mal formé", s)
			}
			a.Scope = append(a.Scope, s)
		}
	}
	if cfg.TokenTTL > 0 {
		a.Expires = time.Now().Add(cfg.TokenTTL).UTC()
	}
	if a.Name == "" {
		return fmt.Errorf("ror token demande -name (un compte nominatif, jamais générique)")
	}
	tok, err := db.Accounts().CreateAccount(ctx, a)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, tok)
	return nil
}

// restore loads a backup (GET /api/v1/admin/sauvegarde) into an empty data
// dir; the service then starts from it like from its own import.
func restore(ctx context.Context, cfg Config, out io.Writer) error {
	if cfg.RestoreIn == "" {
		return fmt.Errorf("ror restore demande -in FICHIER")
	}
	f, err := os.Open(cfg.RestoreIn)
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := store.Open(filepath.Join(cfg.DataDir, "badger"), store.Options{})
	if err != nil {
		return fmt.Errorf("%w (le service doit être arrêté pendant « ror restore »)", err)
	}
	defer db.Close()
	if _, err := db.Offer().LoadOffer(ctx); !ror.IsNotFound(err) {
		return fmt.Errorf("le répertoire de données %s n'est pas vide : restaurer dans un répertoire neuf", cfg.DataDir)
	}
	if err := db.Restore(f); err != nil {
		return err
	}
	o, err := db.Offer().LoadOffer(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "restauré : %d EG, %d UO\n", len(o.EGs), len(o.UOs))
	// The département outlines travel in the backup (store/files.go); a
	// backup made before they did gets them re-read from -sources when given.
	ok, err := wire.RestoreFiles(ctx, db, cfg.DataDir)
	if err != nil {
		return err
	}
	switch {
	case ok:
		fmt.Fprintln(out, "contours des départements restaurés")
	case cfg.Sources != "":
		if err := copyFile(filepath.Join(cfg.Sources, outlinesFile), filepath.Join(cfg.DataDir, outlinesFile)); err != nil {
			return fmt.Errorf("contours des départements absents de la sauvegarde et illisibles dans %s: %w", cfg.Sources, err)
		}
		fmt.Fprintf(out, "contours des départements absents de la sauvegarde : relus dans %s\n", cfg.Sources)
	default:
		fmt.Fprintln(out, "contours des départements absents de la sauvegarde : la carte n'aura pas de fond jusqu'au prochain import (ou relancer avec -sources)")
	}
	return nil
}
