package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/internal/sources"
)

// draftOut is a draft as the API answers it.
type draftOut struct {
	ror.Draft
	Label string `json:"statut_libelle"`
}

// drafter drives the dossier collaboratif of one EG through the API.
type drafter struct {
	t          *testing.T
	app        *App
	ref, admin string
}

func newDrafter(t *testing.T, app *App, tag, finess string) *drafter {
	t.Helper()
	ctx := context.Background()
	admin, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Admin " + tag, Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	ref, err := app.db.Accounts().CreateAccount(ctx, ror.Account{Name: "Référent " + tag, Role: ror.RoleReferent, Scope: []string{finess}})
	if err != nil {
		t.Fatal(err)
	}
	return &drafter{t: t, app: app, ref: ref, admin: admin}
}

// call sends body and checks the status; the answer is decoded as a draft.
func (d *drafter) call(method, path, tok, body string, want int) (draftOut, string) {
	d.t.Helper()
	code, b := send(d.t, d.app, method, path, tok, "application/json", body)
	if code != want {
		d.t.Fatalf("%s %s: got %d %s, want %d", method, path, code, b, want)
	}
	var out draftOut
	json.Unmarshal(b, &out)
	return out, string(b)
}

// submitted opens a draft of ops and submits it; it returns its id.
func (d *drafter) submitted(finess, ops string) string {
	d.t.Helper()
	dr, _ := d.call("POST", "/api/v1/brouillons", d.ref, `{"finess_eg":"`+finess+`","operations":[`+ops+`]}`, 201)
	d.call("POST", "/api/v1/brouillons/"+dr.ID+"/soumettre", d.ref, `{"version":1}`, 200)
	return dr.ID
}

func (d *drafter) get(id string) draftOut {
	d.t.Helper()
	dr, _ := d.call("GET", "/api/v1/brouillons/"+id, d.admin, "", 200)
	return dr
}

func phoneOp(phone string, base int) string {
	return fmt.Sprintf(`{"op":"modifier_eg","eg":{"telephone":%q,"horaires":"24h/24"},"version_base":%d}`, phone, base)
}

func newUOOp(finess, id string) string {
	return `{"op":"creer_uo","uo":{"id":"` + id + `","finess_eg":"` + finess + `","nom":"Consultation obésité","type_uo":"167","champ_activite":"01","activites":["099"],"patientele":{"enfant":true},"statut":"actif"}}`
}

// unitsOfType counts the UOs of type code at the EG finess found by a search
// around its commune: what the index sees.
func unitsOfType(t *testing.T, app *App, commune, finess, code string) int {
	t.Helper()
	var s searchResp
	get(t, app, "/api/v1/search?ou="+commune+"&dans=types-uo&code="+code+"&rayon=2", &s)
	n := 0
	for _, eg := range s.Etablissements {
		if eg.FINESS == finess {
			n += eg.NbUO
		}
	}
	return n
}

func fichePhone(t *testing.T, app *App, finess string) string {
	t.Helper()
	var f ror.Fiche
	get(t, app, "/api/v1/eg/"+finess, &f)
	return f.Phone
}

// TestDraftPublishedAtEffectiveDate validates drafts with an effective date
// on the shared service and moves time by hand (PublishDue's now).
func TestDraftPublishedAtEffectiveDate(t *testing.T) {
	app := sharedApp(t)
	const eg, commune = "010000065", "01427" // CH de Trévoux
	d := newDrafter(t, app, "Trévoux", eg)
	before := fichePhone(t, app, eg)
	units := unitsOfType(t, app, commune, eg, "167")
	id := d.submitted(eg, phoneOp("0474100001", 1)+","+newUOOp(eg, eg+"-PROG"))
	at := time.Now().Add(48 * time.Hour).Truncate(time.Second)

	t.Run("a malformed date is a 400 naming date_effet, and nothing changes", func(t *testing.T) {
		for _, bad := range []string{`"1er décembre"`, `"2026-12-01"`, `"2026-13-01T00:00:00Z"`} {
			code, b := send(t, app, "POST", "/api/v1/brouillons/"+id+"/valider", d.admin, "application/json", `{"date_effet":`+bad+`}`)
			if code != 400 || !strings.Contains(string(b), `"pointer":"/date_effet"`) {
				t.Errorf("date_effet %s: got %d %s, want 400 naming /date_effet", bad, code, b)
			}
		}
		code, b := send(t, app, "POST", "/api/v1/brouillons/"+id+"/valider", d.admin, "application/json", `{"date_effet":"2099-01-01T00:00:00Z"}`)
		if code != 400 || !strings.Contains(string(b), "/date_effet") {
			t.Errorf("a date 70 years ahead: got %d %s, want 400", code, b)
		}
		if st := d.get(id).Status; st != ror.DraftSubmitted {
			t.Errorf("got status %s, want still soumis", st)
		}
	})
	dr, _ := d.call("POST", "/api/v1/brouillons/"+id+"/valider", d.admin, `{"date_effet":"`+at.Format(time.RFC3339)+`"}`, 200)
	t.Run("a later date keeps the draft validated, publication programmée, and changes nothing yet", func(t *testing.T) {
		if dr.Status != ror.DraftValidated || dr.Label != "validé, publication programmée" || !dr.EffectiveAt.Equal(at) || dr.ValidatedBy != "Admin Trévoux" {
			t.Errorf("got %s (%s) at %v by %q, want valide at %v by Admin Trévoux", dr.Status, dr.Label, dr.EffectiveAt, dr.ValidatedBy, at)
		}
		app.publishDue(app.svc.Dossiers, at.Add(-time.Second))
		if p := fichePhone(t, app, eg); p != before {
			t.Errorf("before the date the fiche shows %s, want %s", p, before)
		}
		if n := unitsOfType(t, app, commune, eg, "167"); n != units {
			t.Errorf("before the date the search finds %d units, want %d", n, units)
		}
		d.call("PUT", "/api/v1/brouillons/"+id, d.ref, `{"version":3,"operations":[`+phoneOp("0474100009", 1)+`]}`, 409)
	})
	t.Run("at the date it is published, searchable and audited, once", func(t *testing.T) {
		app.publishDue(app.svc.Dossiers, at)
		if got := d.get(id); got.Status != ror.DraftPublished || got.Label != "publié" {
			t.Fatalf("got %s, want publie", got.Status)
		}
		if p := fichePhone(t, app, eg); p != "0474100001" {
			t.Errorf("the fiche shows %s, want the new phone", p)
		}
		if n := unitsOfType(t, app, commune, eg, "167"); n != units+1 {
			t.Errorf("the search finds %d units, want %d", n, units+1)
		}
		app.publishDue(app.svc.Dossiers, at.Add(time.Hour))
		code, b := send(t, app, "GET", "/api/v1/eg/"+eg+"/historique", d.admin, "", "")
		if code != 200 || strings.Count(string(b), `"auteur":"Admin Trévoux (brouillon `+id) != 2 {
			t.Errorf("history: got %d %.400s, want the 2 changes of the draft once each", code, b)
		}
	})
	t.Run("a date in the past publishes at once", func(t *testing.T) {
		id := d.submitted(eg, phoneOp("0474100002", 2))
		dr, _ := d.call("POST", "/api/v1/brouillons/"+id+"/valider", d.admin, `{"date_effet":"2020-01-01T00:00:00+01:00"}`, 200)
		if dr.Status != ror.DraftPublished || fichePhone(t, app, eg) != "0474100002" {
			t.Errorf("got %s, phone %s, want publie and the new phone", dr.Status, fichePhone(t, app, eg))
		}
	})
	t.Run("rejecting a programmed draft cancels its publication", func(t *testing.T) {
		id := d.submitted(eg, phoneOp("0474100003", 3))
		d.call("POST", "/api/v1/brouillons/"+id+"/valider", d.admin, `{"date_effet":"`+at.Format(time.RFC3339)+`"}`, 200)
		dr, _ := d.call("POST", "/api/v1/brouillons/"+id+"/rejeter", d.admin, `{"motif":"Date reportée"}`, 200)
		app.publishDue(app.svc.Dossiers, at.Add(time.Hour))
		if dr.Status != ror.DraftRejected || d.get(id).Status != ror.DraftRejected || fichePhone(t, app, eg) != "0474100002" {
			t.Errorf("got %s, phone %s, want rejete and the phone unchanged", d.get(id).Status, fichePhone(t, app, eg))
		}
	})
	t.Run("when the EG moved before the date, the publication fails to a recorded state", func(t *testing.T) {
		late := d.submitted(eg, phoneOp("0474100004", 3))
		d.call("POST", "/api/v1/brouillons/"+late+"/valider", d.admin, `{"date_effet":"`+at.Add(time.Hour).Format(time.RFC3339)+`"}`, 200)
		now := d.submitted(eg, phoneOp("0474100005", 3))
		d.call("POST", "/api/v1/brouillons/"+now+"/valider", d.admin, `{}`, 200)
		app.publishDue(app.svc.Dossiers, at.Add(2*time.Hour))
		got := d.get(late)
		if got.Status != ror.DraftFailed || !strings.Contains(got.Reason, "version actuelle 4") || got.Label != "publication programmée impossible" {
			t.Errorf("got %s %q, want echec naming the current version 4", got.Status, got.Reason)
		}
		if p := fichePhone(t, app, eg); p != "0474100005" {
			t.Errorf("the fiche shows %s, want the newer 0474100005 kept", p)
		}
		code, b := send(t, app, "GET", "/api/v1/eg/"+eg+"/historique?limit=1", d.admin, "", "")
		if code != 200 || !strings.Contains(string(b), `"type":"brouillon"`) || !strings.Contains(string(b), late) {
			t.Errorf("history: got %d %.300s, want the failure first", code, b)
		}
		// the référent rebases it and submits again
		d.call("PUT", "/api/v1/brouillons/"+late, d.ref, fmt.Sprintf(`{"version":%d,"operations":[%s]}`, got.Version, phoneOp("0474100004", 4)), 200)
	})
}

// TestScheduledPublicationByTheService leaves the publishing to the service:
// its scheduler at the date, and its start-up after a restart past the date.
func TestScheduledPublicationByTheService(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the service three times")
	}
	src := sources.Dir(t)
	dir := t.TempDir()
	const eg = "010000081" // CH du Pays de Gex
	var clock atomic.Int64
	clock.Store(time.Now().UnixNano())
	start := func(every time.Duration) *App {
		t.Helper()
		return startApp(t, dir, src, slice, func(a *App) {
			a.clock = func() time.Time { return time.Unix(0, clock.Load()) }
			a.every = every
		})
	}
	app := start(time.Hour)
	d := newDrafter(t, app, "Gex", eg)
	at := time.Now().Add(24 * time.Hour).Truncate(time.Second)
	first := d.submitted(eg, phoneOp("0450000001", 1))
	d.call("POST", "/api/v1/brouillons/"+first+"/valider", d.admin, `{"date_effet":"`+at.Format(time.RFC3339)+`"}`, 200)
	app.Close()

	t.Run("the scheduler publishes when its clock reaches the date", func(t *testing.T) {
		app := start(10 * time.Millisecond)
		defer app.Close()
		d.app = app
		time.Sleep(50 * time.Millisecond)
		if st := d.get(first).Status; st != ror.DraftValidated {
			t.Fatalf("before the date: got %s, want valide", st)
		}
		clock.Store(at.UnixNano())
		deadline := time.Now().Add(10 * time.Second)
		// the draft is marked published in the store, then the directory
		// applies it: wait for both
		for (d.get(first).Status != ror.DraftPublished || fichePhone(t, app, eg) != "0450000001") && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if st := d.get(first).Status; st != ror.DraftPublished || fichePhone(t, app, eg) != "0450000001" {
			t.Errorf("got %s and phone %s, want publie and 0450000001", st, fichePhone(t, app, eg))
		}
		second := d.submitted(eg, phoneOp("0450000002", 2))
		d.call("POST", "/api/v1/brouillons/"+second+"/valider", d.admin, `{"date_effet":"`+at.Add(24*time.Hour).Format(time.RFC3339)+`"}`, 200)
	})
	t.Run("a restart after the date publishes before the first search", func(t *testing.T) {
		clock.Store(at.Add(48 * time.Hour).UnixNano())
		app := start(time.Hour) // no tick during the test: start-up alone
		defer app.Close()
		d.app = app
		if p := fichePhone(t, app, eg); p != "0450000002" {
			t.Errorf("got phone %s, want 0450000002", p)
		}
	})
}
