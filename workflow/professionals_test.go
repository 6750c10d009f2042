package workflow_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/search"
	"github.com/ror-recherche/ror/store"
	"github.com/ror-recherche/ror/workflow"
)

// A description is checked against the nomenclature's lists, field by
// field, before anything is written; a valid one is published and audited.
func TestProDeskChecksThenPublishes(t *testing.T) {
	o := realOffer(t)
	if err := data.AddProfessionCodes(o.Nomenclature); err != nil {
		t.Fatal(err)
	}
	g := geo.NewGazetteer(o.Communes, o.Departments)
	ps := search.NewProfessionals(search.ProParts{Nomenclature: o.Nomenclature, Gazetteer: g, Router: geo.NewRouterFor(o.Communes),
		Locate: func(p []ror.Point) ror.Locator { return geo.NewTree(p) }}, nil)
	db, err := store.Open(filepath.Join(t.TempDir(), "b"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	desk := workflow.NewProDesk(ps, store.NewProStore(db), o.Nomenclature, g)
	acct := &ror.Account{Name: "sf", Role: ror.RoleProfessionnel, Scope: []string{"899990000301"}}
	good := ror.ProOffer{Nom: "ESSAI", Profession: "50", TypeOffre: "213", Actes: []string{"1332"}, Modes: []string{"03", "05"}, ZoneKm: 8, Commune: "78498"}
	for _, c := range []struct {
		field string
		edit  func(o *ror.ProOffer)
	}{
		{"/type_offre", func(o *ror.ProOffer) { o.TypeOffre = "20" }}, // an hospital unit, not a cabinet de ville
		{"/actes", func(o *ror.ProOffer) { o.Actes = []string{"kiné"} }},
		{"/modes", func(o *ror.ProOffer) { o.Modes = []string{"01"} }}, // a J226 code no professional declares
		{"/zone_km", func(o *ror.ProOffer) { o.ZoneKm = 0 }},           // home visits without a zone
		{"/profession", func(o *ror.ProOffer) { o.Profession = "60" }},
		{"/commune", func(o *ror.ProOffer) { o.Commune = "99999" }},
	} {
		bad := good
		c.edit(&bad)
		_, err := desk.Describe(context.Background(), acct, bad, time.Now())
		if e, ok := err.(*ror.Error); !ok || e.Kind != ror.Invalid || e.Field != c.field {
			t.Errorf("%s: got %v, want Invalid on %s", c.field, err, c.field)
		}
	}
	if _, ok := ps.Professional("899990000301"); ok {
		t.Fatal("a refused description was published")
	}
	if _, err := desk.Describe(context.Background(), &ror.Account{Name: "x", Role: ror.RoleReferent, Scope: []string{"750000001"}}, good, time.Now()); ror.ErrorKind(err) != ror.Forbidden {
		t.Errorf("a référent describing: %v, want Forbidden", err)
	}
	p, err := desk.Describe(context.Background(), acct, good, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if p.Source != ror.SourceDeclared || p.Lieux[0].Commune != "78498" || p.Lieux[0].Placement != ror.PlacementCommune {
		t.Errorf("published %+v", p)
	}
	log, err := db.Offer().Changes(context.Background(), "899990000301", 5)
	if err != nil || len(log) != 1 || !strings.Contains(string(log[0].After), `"1332"`) {
		t.Errorf("audit %+v %v", log, err)
	}
}
