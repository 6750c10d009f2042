package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ror-recherche/ror"
)

// TestAnomaliesListedAndClosed checks who sees and closes the reports:
// administrators all, référents those of their EJ/EG, nobody else.
func TestAnomaliesListedAndClosed(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	mk := func(name string, role ror.Role, scope ...string) string {
		tok, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: name, Role: role, Scope: scope})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	const gex, meximieux = "010000081", "010000099"
	admin := mk("Support GRADeS", ror.RoleAdmin)
	refGex := mk("Référente Gex", ror.RoleReferent, "010780112") // by the EJ of Gex
	refMex := mk("Référent Meximieux", ror.RoleReferent, meximieux)
	lecteur := mk("Lecteur anomalies", ror.RoleLecteur)
	lits := mk("Lits Gex", ror.RoleGestionnaire, gex)

	report := func(finess, champ string) string {
		t.Helper()
		body := `{"finess":"` + finess + `","champ":"` + champ + `","description":"Le numéro a changé","email":"a.b@example.org"}`
		code, b := send(t, app, "POST", "/api/v1/anomalies", "", "application/json", body)
		if code != 201 {
			t.Fatalf("report: got %d %s", code, b)
		}
		var r struct{ ID string }
		json.Unmarshal(b, &r)
		return r.ID
	}
	gex1, gex2, mex1 := report(gex, "telephone"), report(gex, "horaires"), report(meximieux, "email")

	list := func(tok, query string, want int) []ror.Anomaly {
		t.Helper()
		code, b := send(t, app, "GET", "/api/v1/anomalies"+query, tok, "", "")
		if code != want {
			t.Fatalf("GET /api/v1/anomalies%s: got %d %.300s, want %d", query, code, b, want)
		}
		var r struct {
			Nombre    int           `json:"nombre"`
			Anomalies []ror.Anomaly `json:"anomalies"`
		}
		json.Unmarshal(b, &r)
		return r.Anomalies
	}
	ids := func(as []ror.Anomaly) string {
		var s []string
		for _, a := range as {
			s = append(s, a.ID)
		}
		return strings.Join(s, ",")
	}

	t.Run("who may list", func(t *testing.T) {
		cases := []struct {
			tok, query string
			status     int
			want       string // ids, newest first
			why        string
		}{
			{admin, "?eg=" + gex, 200, gex2 + "," + gex1, "an administrator sees every report of an EG, newest first"},
			{admin, "?eg=" + gex + "&statut=ouverte&limit=1", 200, gex2, "filtered by status, limited"},
			{refGex, "?eg=" + gex, 200, gex2 + "," + gex1, "a référent by its EJ sees its EG's"},
			{refMex, "", 200, mex1, "a référent sees only those of its EGs"},
			{refMex, "?eg=" + gex, 403, "", "a référent asking for another EG is refused"},
			{lecteur, "", 403, "", "a lecteur is refused"},
			{lits, "", 403, "", "a gestionnaire de lits too"},
			{"", "", 401, "", "without a token"},
			{admin, "?statut=resolue", 400, "", "an unknown status"},
			{admin, "?eg=0100", 400, "", "a malformed FINESS"},
		}
		for _, c := range cases {
			got := list(c.tok, c.query, c.status)
			if c.status == 200 && ids(got) != c.want {
				t.Errorf("%s: got %s, want %s", c.why, ids(got), c.want)
			}
		}
		all := ids(list(admin, "", 200))
		for _, id := range []string{gex1, gex2, mex1} {
			if !strings.Contains(all, id) {
				t.Errorf("the administrator's full list misses %s", id)
			}
		}
	})
	t.Run("who may read one", func(t *testing.T) {
		cases := []struct {
			tok, id string
			want    int
			why     string
		}{
			{admin, mex1, 200, "an administrator"},
			{refGex, gex1, 200, "a référent of its EG"},
			{refGex, mex1, 403, "a référent of another EG"},
			{lecteur, gex1, 403, "a lecteur"},
			{admin, "0000000000000000", 404, "an unknown report"},
		}
		for _, c := range cases {
			if code, b := send(t, app, "GET", "/api/v1/anomalies/"+c.id, c.tok, "", ""); code != c.want {
				t.Errorf("%s: got %d %.200s, want %d", c.why, code, b, c.want)
			}
		}
	})
	t.Run("who may close, once, with a resolution", func(t *testing.T) {
		closeIt := func(tok, id, body string, want int) []byte {
			t.Helper()
			code, b := send(t, app, "POST", "/api/v1/anomalies/"+id+"/cloture", tok, "application/json", body)
			if code != want {
				t.Errorf("close %s: got %d %.300s, want %d", id, code, b, want)
			}
			return b
		}
		ok := `{"resolution":"Numéro corrigé dans la fiche"}`
		closeIt(refMex, gex1, ok, 403)
		closeIt(lecteur, gex1, ok, 403)
		closeIt(lits, gex1, ok, 403)
		closeIt("", gex1, ok, 401)
		if b := closeIt(refGex, gex1, `{"resolution":"  "}`, 400); !strings.Contains(string(b), "/resolution") {
			t.Errorf("an empty resolution: %s, want the field named", b)
		}
		var a ror.Anomaly
		json.Unmarshal(closeIt(refGex, gex1, ok, 200), &a)
		if a.Status != ror.AnomalyClosed || a.ClosedBy != "Référente Gex" || a.ClosedAt.IsZero() || a.Resolution != "Numéro corrigé dans la fiche" {
			t.Errorf("closed: %+v", a)
		}
		if b := closeIt(admin, gex1, ok, 409); !strings.Contains(string(b), "déjà clos") {
			t.Errorf("closed twice: %s", b)
		}
		closeIt(admin, mex1, `{"resolution":"Adresse vérifiée : elle est juste"}`, 200)
		if got := ids(list(admin, "?eg="+gex+"&statut=close", 200)); got != gex1 {
			t.Errorf("closed reports of Gex: got %s, want %s", got, gex1)
		}
		if got := ids(list(refGex, "?statut=ouverte", 200)); got != gex2 {
			t.Errorf("open reports of the référente: got %s, want %s", got, gex2)
		}
		code, b := send(t, app, "GET", "/api/v1/eg/"+gex+"/historique?limit=5", admin, "", "")
		if code != 200 || !strings.Contains(string(b), `"type":"anomalie"`) || !strings.Contains(string(b), `"auteur":"Référente Gex"`) || strings.Contains(string(b), "a.b@example.org") {
			t.Errorf("history: got %d %.400s, want the closing, by the référente, without the reporter's address", code, b)
		}
	})
}
