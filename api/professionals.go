package api

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/api/fhir"
)

// ProFinder answers the professionals' searches and fiches.
type ProFinder interface {
	Search(ctx context.Context, q ror.ProQuery) (*ror.ProAnswer, error)
	Fiche(ctx context.Context, rpps string) (*ror.ProFiche, error)
	// Suggest completes « Rechercher dans » Professionnels with the
	// professions and spécificités declared (code "facette:valeur").
	Suggest(ctx context.Context, text string, limit int) []ror.Suggestion
}

// ProWriter is the professionals' self-description and their reports.
type ProWriter interface {
	Check(ctx context.Context, acct *ror.Account, o ror.ProOffer, step int) error
	Describe(ctx context.Context, acct *ror.Account, o ror.ProOffer, now time.Time) (*ror.Professional, error)
	Report(ctx context.Context, a ror.ProAnomaly, now time.Time) (*ror.ProAnomaly, error)
	Reports(ctx context.Context, acct *ror.Account) ([]ror.ProAnomaly, error)
}

// pros are the handlers of the professionals (their own receiver, so that
// the server's other handlers need not know them).
type pros struct {
	services    func() (*Services, error)
	auth        *auth
	allowReport func(c *fiber.Ctx) error
}

// proRoutes mounts the routes of the professionals.
func (s *Server) proRoutes(v1 fiber.Router) {
	p := pros{services: s.services, auth: s.auth, allowReport: s.allowReport}
	v1.Get("/professionnels", s.auth.readGuard, s.admit.handler, p.handleSearch)
	v1.Get("/professionnels.xlsx", s.auth.readGuard, s.admit.handler, p.handleXLSX)
	v1.Get("/professionnels.geojson", s.auth.readGuard, s.admit.handler, p.handleGeoJSON)
	v1.Get("/professionnels/:rpps", s.auth.readGuard, p.handleFiche)
	v1.Post("/professionnels/:rpps/anomalies", p.handleReport)
	v1.Get("/mon-offre", p.handleMine)
	v1.Post("/mon-offre/verification", p.handleCheck)
	v1.Put("/mon-offre", p.handleDescribe)
	v1.Get("/mon-offre/signalements", p.handleReports)
}

func (p pros) served() (*Services, error) {
	v, err := p.services()
	if err != nil {
		return nil, err
	}
	if v.Pros == nil || v.ProDesk == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Les professionnels ne sont pas servis par ce service.")
	}
	return v, nil
}

// ParseProQuery reads the parameters of /api/v1/professionnels.
func ParseProQuery(v url.Values) (ror.ProQuery, error) {
	var q ror.ProQuery
	var err error
	q.Ou = strings.TrimSpace(v.Get("ou"))
	if utf8.RuneCountInString(q.Ou) > ror.MaxTextLen {
		return q, ror.Errorf(ror.Invalid, "ou", "La commune saisie est trop longue (%d caractères au plus).", ror.MaxTextLen)
	}
	if q.Text, err = ror.ParseText("q", v.Get("q")); err != nil {
		return q, err
	}
	if q.Page, err = ror.ParsePage(v.Get("page")); err != nil {
		return q, err
	}
	if q.MaxKm, q.BBox, err = parseArea(v, q.Ou); err != nil {
		return q, err
	}
	for _, f := range []struct {
		name string
		dst  *[]string
	}{{ror.ProFacetProfession, &q.Filters.Profession}, {ror.ProFacetMode, &q.Filters.Mode}, {ror.ProFacetSpecificite, &q.Filters.Specificite}} {
		if *f.dst, err = ror.ParseCodes(f.name, v[f.name]); err != nil {
			return q, err
		}
	}
	if q.Text == "" && q.Ou == "" && len(q.Filters.Profession)+len(q.Filters.Mode)+len(q.Filters.Specificite) == 0 {
		return q, ror.Errorf(ror.Invalid, "q", "Saisir une profession, une spécificité, un nom ou une commune.")
	}
	return q, nil
}

func (p pros) search(c *fiber.Ctx, all bool) (*ror.ProAnswer, error) {
	v, err := p.served()
	if err != nil {
		return nil, err
	}
	q, err := ParseProQuery(queryValues(c))
	if err != nil {
		return nil, err
	}
	q.All = all
	return v.Pros.Search(c.UserContext(), q)
}

// handleSearch is GET /api/v1/professionnels?ou=&q=&profession=&mode=&
// specificite=&page=: the places of practice, nearest first, with their
// professionals and the facets.
func (p pros) handleSearch(c *fiber.Ctx) error {
	ans, err := p.search(c, false)
	if err != nil {
		return err
	}
	return sendJSON(c, ans)
}

// handleFiche is GET /api/v1/professionnels/:rpps.
func (p pros) handleFiche(c *fiber.Ctx) error {
	v, err := p.served()
	if err != nil {
		return err
	}
	f, err := v.Pros.Fiche(c.UserContext(), c.Params("rpps"))
	if err != nil {
		return err
	}
	return sendJSON(c, f)
}

// handleReport is POST /api/v1/professionnels/:rpps/anomalies: « Signaler
// une anomalie » on a professional's fiche; it reaches the professional.
func (p pros) handleReport(c *fiber.Ctx) error {
	v, err := p.served()
	if err != nil {
		return err
	}
	if err := p.allowReport(c); err != nil {
		return err
	}
	var body struct {
		Place       string `json:"lieu"`
		Field       string `json:"champ"`
		Description string `json:"description"`
		Email       string `json:"email"`
	}
	if err := decodeJSON(c.Body(), &body); err != nil {
		return err
	}
	a, err := v.ProDesk.Report(c.UserContext(), ror.ProAnomaly{RPPS: c.Params("rpps"), Place: body.Place, Field: body.Field, Description: body.Description, Email: body.Email}, time.Now())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": a.ID,
		"message": "Merci : votre signalement n° " + a.ID + " est enregistré et transmis au professionnel, responsable de ses données."})
}

// account is the signed-in account of a « Mon offre » request.
func (p pros) account(c *fiber.Ctx) (*Services, *ror.Account, error) {
	v, err := p.served()
	if err != nil {
		return nil, nil, err
	}
	acct, err := p.auth.authenticated(c)
	if err != nil {
		return nil, nil, err
	}
	if acct.Role != ror.RoleProfessionnel || len(acct.Scope) != 1 {
		return nil, nil, ror.Errorf(ror.Forbidden, "", "« Mon offre » est réservé aux comptes professionnels, liés à un numéro RPPS.")
	}
	return v, acct, nil
}

// handleMine is GET /api/v1/mon-offre: the signed-in professional's
// fiche; 404 while they have not described themselves and no RPPS
// extract holds them.
func (p pros) handleMine(c *fiber.Ctx) error {
	v, acct, err := p.account(c)
	if err != nil {
		return err
	}
	f, err := v.Pros.Fiche(c.UserContext(), acct.Scope[0])
	if ror.IsNotFound(err) {
		return ror.Errorf(ror.NotFound, "rpps", "Le numéro RPPS %s n'est pas encore dans le répertoire : décrivez votre offre pour y figurer.", acct.Scope[0])
	}
	if err != nil {
		return err
	}
	return sendJSON(c, f)
}

// handleCheck is POST /api/v1/mon-offre/verification?etape=1: the fields
// of one step checked, nothing written (« Suivant » of step 1).
func (p pros) handleCheck(c *fiber.Ctx) error {
	v, acct, err := p.account(c)
	if err != nil {
		return err
	}
	var o ror.ProOffer
	if err := decodeJSON(c.Body(), &o); err != nil {
		return err
	}
	step := 0
	switch c.Query("etape") {
	case "1":
		step = 1
	case "2":
		step = 2
	default:
		return ror.Errorf(ror.Invalid, "etape", "L'étape est 1 ou 2.")
	}
	if err := v.ProDesk.Check(c.UserContext(), acct, o, step); err != nil {
		return err
	}
	return sendJSON(c, fiber.Map{"etape": step, "message": fmt.Sprintf("Étape %d/2 complète.", step)})
}

// handleDescribe is PUT /api/v1/mon-offre: both steps, published at once
// and audited.
func (p pros) handleDescribe(c *fiber.Ctx) error {
	v, acct, err := p.account(c)
	if err != nil {
		return err
	}
	var o ror.ProOffer
	if err := decodeJSON(c.Body(), &o); err != nil {
		return err
	}
	pr, err := v.ProDesk.Describe(c.UserContext(), acct, o, time.Now())
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.Map{"professionnel": pr, "message": "Votre offre est publiée : elle apparaît dès maintenant dans les recherches."})
}

// handleReports is GET /api/v1/mon-offre/signalements: the reports on the
// signed-in professional, newest first.
func (p pros) handleReports(c *fiber.Ctx) error {
	v, acct, err := p.account(c)
	if err != nil {
		return err
	}
	list, err := v.ProDesk.Reports(c.UserContext(), acct)
	if err != nil {
		return err
	}
	return sendJSON(c, fiber.Map{"signalements": list})
}

// proXLSXColumns are the export's columns, one row per professional at a place.
var proXLSXColumns = []string{"Lieu d'exercice", "Adresse", "Code postal", "Commune", "Téléphone", "Distance (km)", "Durée estimée (min)",
	"Se déplace à domicile", "Professionnel", "RPPS", "Profession", "Type d'offre", "Spécificités", "Source", "Position"}

// handleXLSX is GET /api/v1/professionnels.xlsx?<search parameters>.
func (p pros) handleXLSX(c *fiber.Ctx) error {
	ans, err := p.search(c, true)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sh := "Professionnels"
	f.SetSheetName("Sheet1", sh)
	for i, t := range proXLSXColumns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellValue(sh, cell, t)
	}
	row := 2
	for _, l := range ans.All {
		for _, pr := range l.Pros {
			var specs []string
			for _, s := range pr.Specificites {
				specs = append(specs, s.Label)
			}
			vals := []any{l.Name, l.Address, l.PostalCode, l.Commune.Name, l.Phone, "", "", oui(pr.Domicile), pr.Name, pr.RPPS,
				pr.Profession.Label, pr.TypeOffre.Label, strings.Join(specs, " ; "), pr.Source, placementLabel(l.Placement)}
			if l.DistanceKm != nil {
				vals[5] = *l.DistanceKm
			}
			if l.DurationMin != nil {
				vals[6] = *l.DurationMin
			}
			for i, val := range neutralised(vals) {
				cell, _ := excelize.CoordinatesToCellName(i+1, row)
				f.SetCellValue(sh, cell, val)
			}
			row++
		}
	}
	note, _ := excelize.CoordinatesToCellName(1, row+1)
	f.SetCellValue(sh, note, ans.Source+" Durées estimées (modèle), distances à vol d'oiseau.")
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="ror-professionnels-`+time.Now().Format("2006-01-02")+`.xlsx"`)
	return c.Send(buf.Bytes())
}

func oui(b bool) string {
	if b {
		return "oui"
	}
	return ""
}

func placementLabel(p string) string {
	if p == ror.PlacementCommune {
		return "centre de la commune (estimation : l'adresse n'est pas géolocalisée)"
	}
	return "déclarée par le professionnel"
}

// proProps are a place's properties on the map.
type proProps struct {
	Key      string   `json:"cle"`
	Name     string   `json:"nom"`
	Commune  string   `json:"commune"`
	Domicile bool     `json:"se_deplace_a_domicile,omitempty"`
	Pros     []string `json:"professionnels"`
	Place    string   `json:"placement"`
	Distance *float64 `json:"distance_km,omitempty"`
}

// handleGeoJSON is GET /api/v1/professionnels.geojson: every result as
// points for the map.
func (p pros) handleGeoJSON(c *fiber.Ctx) error {
	ans, err := p.search(c, true)
	if err != nil {
		return err
	}
	type feat struct {
		Type     string   `json:"type"`
		Geometry geometry `json:"geometry"`
		Props    proProps `json:"properties"`
	}
	out := struct {
		Type     string `json:"type"`
		Features []feat `json:"features"`
	}{Type: "FeatureCollection", Features: []feat{}}
	for _, l := range ans.All {
		if l.Point == nil {
			continue
		}
		pp := proProps{Key: l.Key, Name: l.Name, Commune: l.Commune.Label, Domicile: l.Domicile, Place: l.Placement, Distance: l.DistanceKm}
		for _, pr := range l.Pros {
			pp.Pros = append(pp.Pros, pr.Name+" — "+pr.Profession.Label)
		}
		out.Features = append(out.Features, feat{Type: "Feature", Geometry: geometry{Type: "Point", Coordinates: [2]float64{l.Point.Lon, l.Point.Lat}}, Props: pp})
	}
	return sendJSON(c, out, "application/geo+json")
}

// withPros is a search's page with the professionals of « Tout le ROR »
// (or of « Professionnels » alone).
type withPros struct {
	*ror.Results
	Pros *ror.ProAnswer `json:"professionnels,omitempty"`
}

// searchPros runs the professionals' part of a search of « Tout le ROR »:
// the same words from the same commune, within the same radius and view.
func (s reads) searchPros(c *fiber.Ctx, q ror.Query) (*ror.ProAnswer, error) {
	v, err := s.services()
	if err != nil || v.Pros == nil || len(q.Codes) > 0 {
		return nil, err
	}
	// The same radius and map view as the établissements: a wider answer
	// would show a kiné of Limoges to a search within 30 km of Mantes.
	pq := ror.ProQuery{Ou: q.Ou, Text: q.Text, Page: 1, NoFacets: true, MaxKm: q.RayonKm, BBox: q.BBox}
	return v.Pros.Search(c.UserContext(), pq)
}

// handleSearchPros answers /api/v1/search for « Professionnels »: no
// établissement, the places of practice in professionnels and their facets
// (profession, mode, spécificité) in the refine panel.
func (s reads) handleSearchPros(c *fiber.Ctx) error {
	v, err := s.services()
	if err != nil {
		return err
	}
	pq, err := ParseProQuery(queryValues(c))
	if err != nil {
		return err
	}
	res := &ror.Results{Tri: ror.TriDistance, Page: pq.Page, PageSize: ror.PageSize, Etablissements: []ror.EGResult{}, Facets: []ror.FacetCounts{}}
	if v.Pros == nil {
		return sendJSON(c, withPros{res, nil})
	}
	pa, err := v.Pros.Search(c.UserContext(), pq)
	if err != nil {
		return err
	}
	res.Pages = pa.Pages
	res.Summary.Text = fmt.Sprintf("%d lieu(x) d'exercice, %d professionnel(s). %s", pa.Total, pa.Pros, pa.Source)
	res.Summary.Origin = pa.Origin
	for _, f := range pa.Facets {
		res.Facets = append(res.Facets, ror.FacetCounts{Facet: ror.Facet(f.Facet), Title: f.Title, Values: f.Values, Distinct: len(f.Values)})
	}
	return sendJSON(c, withPros{res, pa})
}

// suggestPros answers /api/v1/suggestions for « Professionnels ».
func (s reads) suggestPros(c *fiber.Ctx, text string) ([]ror.Suggestion, error) {
	v, err := s.services()
	if err != nil || v.Pros == nil {
		return nil, err
	}
	if text, err = ror.ParseText("q", text); err != nil {
		return nil, err
	}
	return v.Pros.Suggest(c.UserContext(), text, ror.SuggestLimit), nil
}

// fhirPractitioners is the FHIR API's view of the professionals.
func (s *Server) fhirPractitioners() (fhir.Practitioners, error) {
	v, err := s.services()
	if err != nil {
		return nil, err
	}
	if fp, ok := v.Pros.(fhir.Practitioners); ok {
		return fp, nil
	}
	return nil, nil
}
