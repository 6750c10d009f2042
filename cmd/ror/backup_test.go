package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/ror-recherche/ror"
)

func TestOnlineBackupRestoresElsewhere(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	admin, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Admin Sauvegarde", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if code, _ := send(t, app, "GET", "/api/v1/admin/sauvegarde", "", "", ""); code != 401 {
		t.Errorf("backup without a token: got %d, want 401", code)
	}
	req, _ := http.NewRequest("GET", "http://"+app.Addr()+"/api/v1/admin/sauvegarde", nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(t.TempDir(), "ror.badger")
	f, _ := os.Create(backup)
	io.Copy(f, resp.Body)
	f.Close()
	resp.Body.Close()

	dir := t.TempDir()
	cfg := DefaultConfig()
	cfg.DataDir, cfg.RestoreIn = dir, backup
	if err := restore(ctx, cfg, io.Discard); err != nil {
		t.Fatal(err)
	}
	restored := startApp(t, dir, "") // no sources: everything comes from the backup
	defer restored.Close()
	var a, b searchResp
	get(t, app, "/api/v1/search?ou=33063&dans=types-uo&q=maternite", &a)
	get(t, restored, "/api/v1/search?ou=33063&dans=types-uo&q=maternite", &b)
	ja, _ := json.Marshal(a.Etablissements)
	jb, _ := json.Marshal(b.Etablissements)
	if len(a.Etablissements) == 0 || string(ja) != string(jb) {
		t.Error("the restored service does not answer like the original")
	}
	if resp := get(t, restored, "/api/v1/departements.geojson", nil); resp.StatusCode != 200 {
		t.Errorf("the département outlines after a restore: got %d, want 200", resp.StatusCode)
	}
	if err := restore(ctx, cfg, io.Discard); err == nil {
		t.Error("restoring into a data dir that is not empty was accepted")
	}
}

func TestHistoryOfAnEG(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	tok, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Gestionnaire Belley", Role: ror.RoleGestionnaire, Scope: []string{"010000032"}})
	if err != nil {
		t.Fatal(err)
	}
	if code, b := send(t, app, "PUT", "/api/v1/uo/010000032-MED/capacitaire", tok, "application/json", `{"lits_installes":66,"lits_disponibles":5}`); code != 200 {
		t.Fatalf("got %d %s", code, b)
	}
	code, b := send(t, app, "GET", "/api/v1/eg/010000032/historique", tok, "", "")
	var h struct {
		Historique []ror.Change `json:"historique"`
	}
	json.Unmarshal(b, &h)
	if code != 200 || len(h.Historique) == 0 || h.Historique[0].Author != "Gestionnaire Belley" || h.Historique[0].ID != "010000032-MED" {
		t.Errorf("got %d %s", code, b)
	}
	if code, _ := send(t, app, "GET", "/api/v1/eg/010000032/historique", "", "", ""); code != 401 {
		t.Errorf("history without a token: got %d, want 401", code)
	}
}
