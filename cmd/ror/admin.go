package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/store"
)

// adminCreate creates a named administrator with a password, the one
// account made on the command line: everyone else is created by an
// administrator in the browser (/espace?vue=comptes). The password is read
// from stdin: typed twice without echo on a terminal, else its first line
// (printf '%s\n' "$MOT_DE_PASSE" | ror admin -name …). Badger locks its
// directory: run it while the service is stopped.
func adminCreate(ctx context.Context, cfg Config, stdin *os.File, out io.Writer) error {
	if strings.TrimSpace(cfg.TokenName) == "" {
		return fmt.Errorf("ror admin demande -name (un compte nominatif, jamais générique)")
	}
	password, err := readPassword(stdin, out)
	if err != nil {
		return err
	}
	if err := store.CheckPasswordRules(password); err != nil {
		return err
	}
	db, err := store.Open(filepath.Join(cfg.DataDir, "badger"), store.Options{})
	if err != nil {
		return fmt.Errorf("%w (le service doit être arrêté pendant « ror admin »)", err)
	}
	defer db.Close()
	a := ror.Account{Name: strings.TrimSpace(cfg.TokenName), Role: ror.RoleAdmin}
	if err := db.Accounts().CreateUser(ctx, a, password, "administration (ror admin)"); err != nil {
		return err
	}
	fmt.Fprintf(out, "administrateur « %s » créé : se connecter sur /espace\n", a.Name)
	return nil
}

// readPassword reads a password from in: twice, without echo, when in is a
// terminal; else its first line.
func readPassword(in *os.File, out io.Writer) (string, error) {
	if term.IsTerminal(int(in.Fd())) {
		fmt.Fprint(out, "Mot de passe : ")
		a, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(out)
		if err != nil {
			return "", err
		}
		fmt.Fprint(out, "Confirmer le mot de passe : ")
		b, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(out)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", fmt.Errorf("les deux mots de passe diffèrent")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("mot de passe attendu sur l'entrée standard: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
