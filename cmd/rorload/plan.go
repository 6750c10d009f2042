package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// plan is what the load reads and writes, checked once before it starts.
type plan struct {
	srv        *server
	client     *http.Client
	writePause time.Duration
	reads      []readClass
	bedUOs     []string // UO ids of the gestionnaire's EGs
	scheduled  string   // id of the draft published at its effective date during the load
}

// readClass is a kind of read with its share of the mix.
type readClass struct {
	name   string
	weight int
	urls   []string
}

// Communes (INSEE) and words a coordinator types.
var (
	communes = []struct{ ou, dep string }{{"75110", "75"}, {"33063", "33"}, {"69381", "69"}, {"13201", "13"}, {"91228", "91"}, {"01053", "01"},
		{"Lille%20(59000)", "59"}, {"31555", "31"}, {"67482", "67"}, {"44109", "44"}}
	typeWords = []string{"urgences", "maternite", "psychiatrie", "reanimation", "medecine", "chirurgie", "pediatrie", "cardiologie"}
	texts     = []string{"obesite", "dialyse", "soins%20palliatifs", "addictologie", "geriatrie", "imagerie"}
	prefixes  = []string{"obes", "urg", "mater", "psy", "reanim", "cardio", "pedia", "dialy", "chir", "g%C3%A9riat"}
	places    = []string{"saint", "paris%201", "evry", "lyon", "bord", "7501", "mars", "33000", "lille", "montp"}
	needs     = []string{"ou=91228&besoin=obesite-severe", "ou=75110&besoin=urgences", "ou=48.876,2.361&besoin=reanimation",
		"ou=33063&besoin=maternite&limit=5", "ou=69381&besoin=usic", "ou=13201&besoin=obesite-lit-bariatrique"}
)

// readMix is the coordinators' mix: mostly searches, then suggestions as
// they type, communes, proximité (SAMU), fiches, the map and the export.
func readMix(fiches []string) []readClass {
	var byType, byText, facets, suggest, comm, near, fiche, geo, xlsx []string
	for i, cd := range communes {
		c := cd.ou
		for j, w := range typeWords {
			if (i+j)%2 == 0 {
				byType = append(byType, "/api/v1/search?ou="+c+"&dans=types-uo&q="+w)
			}
		}
		byType = append(byType, "/api/v1/search?ou="+c+"&dans=types-uo&code=20")
		for _, q := range texts {
			byText = append(byText, "/api/v1/search?ou="+c+"&dans=tout&q="+q)
		}
		facets = append(facets,
			"/api/v1/search?ou="+c+"&dans=types-uo&q=urgences&page=2",
			"/api/v1/search?ou="+c+"&dans=tout&q=medecine&rayon=50",
			"/api/v1/search?ou="+c+"&dans=filieres&code=obesite&tri=pertinence",
			"/api/v1/search?ou="+c+"&dans=types-uo&q=psychiatrie&mode=28",
			"/api/v1/search?ou="+c+"&dans=types-uo&code=20&departement="+cd.dep) // the département code, not the first letters of « Lille (59000) »
		geo = append(geo, "/api/v1/search.geojson?ou="+c+"&dans=types-uo&q=urgences")
		xlsx = append(xlsx, "/api/v1/search.xlsx?ou="+c+"&dans=types-uo&q=maternite")
	}
	byText = append(byText, "/api/v1/search?q=maternite&tri=pertinence", "/api/v1/search?q=urgences&departement=33")
	for _, p := range prefixes {
		suggest = append(suggest, "/api/v1/suggestions?q="+p, "/api/v1/suggestions?q="+p+"&dans=types-uo")
	}
	for _, p := range places {
		comm = append(comm, "/api/v1/communes?q="+p)
	}
	for _, n := range needs {
		near = append(near, "/api/v1/proximite?"+n)
	}
	for _, f := range fiches {
		fiche = append(fiche, "/api/v1/eg/"+f)
	}
	return []readClass{
		{"recherche commune + type d'UO", 25, byType},
		{"recherche texte", 10, byText},
		{"recherche avec facettes", 10, facets},
		{"suggestions", 20, suggest},
		{"communes", 10, comm},
		{"proximité", 10, near},
		{"fiche", 10, fiche},
		{"carte (GeoJSON)", 4, geo},
		{"export Excel", 1, xlsx},
	}
}

// pick returns a read URL at random by the weights of the mix.
func (p *plan) pick(r *rand.Rand) string {
	total := 0
	for _, c := range p.reads {
		total += c.weight
	}
	n := r.IntN(total)
	for _, c := range p.reads {
		if n < c.weight {
			return c.urls[r.IntN(len(c.urls))]
		}
		n -= c.weight
	}
	panic("unreachable")
}

// newPlan lists the units of the gestionnaire's EGs, checks every read of
// the mix once (a bad URL is the scenario's fault, not the service's), and
// programmes one publication a few seconds into the load.
func newPlan(ctx context.Context, srv *server, o options) (*plan, error) {
	p := &plan{srv: srv, client: newClient(o.readers + o.writers), writePause: o.writePause}
	for _, eg := range srv.bedEGs {
		var f struct {
			UO []struct{ ID string } `json:"uo"`
		}
		if err := p.getJSON(ctx, "/api/v1/eg/"+eg, &f); err != nil {
			return nil, err
		}
		for _, u := range f.UO {
			p.bedUOs = append(p.bedUOs, u.ID)
		}
	}
	if len(p.bedUOs) < feedLines {
		return nil, fmt.Errorf("%d UO dans les établissements choisis, il en faut au moins %d", len(p.bedUOs), feedLines)
	}
	p.reads = readMix(append(append([]string{}, srv.bedEGs...), srv.draftEGs...))
	for _, c := range p.reads {
		for _, u := range c.urls {
			if err := p.getJSON(ctx, u, nil); err != nil {
				return nil, fmt.Errorf("lecture du scénario (%s) : %w", c.name, err)
			}
		}
	}
	id, err := p.draft(ctx, srv.scheduledEG, 1)
	if err != nil {
		return nil, err
	}
	at := time.Now().Add(o.scheduledPublishIn).Format(time.RFC3339)
	if _, err := p.do(ctx, "POST", "/api/v1/brouillons/"+id+"/valider", srv.admin, `{"date_effet":"`+at+`"}`, 200); err != nil {
		return nil, err
	}
	p.scheduled = id
	return p, nil
}

// checkScheduled checks that the publication programmée happened during
// the load (the service looks every 30 s).
func (p *plan) checkScheduled(ctx context.Context) error {
	var dr struct {
		Statut string `json:"statut"`
	}
	b, err := p.do(ctx, "GET", "/api/v1/brouillons/"+p.scheduled, p.srv.admin, "", 200)
	if err != nil {
		return err
	}
	json.Unmarshal(b, &dr)
	if dr.Statut != "publie" {
		return fmt.Errorf("le brouillon %s est « %s », attendu « publie »", p.scheduled, dr.Statut)
	}
	return nil
}

func (p *plan) getJSON(ctx context.Context, path string, v any) error {
	b, err := p.do(ctx, "GET", path, "", "", 200)
	if err != nil || v == nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// do sends one request and wants one status.
func (p *plan) do(ctx context.Context, method, path, token, body string, want int) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, p.srv.base+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != want {
		err = fmt.Errorf("%s %s : %d %.300s, attendu %d", method, path, resp.StatusCode, b, want)
	}
	return b, err
}

func newClient(conns int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = conns*2, conns*2
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// pickEGs returns n établissements of the FINESS file that are centres
// hospitaliers (category 355): they have many units, beds and referents.
func pickEGs(sources string, n int) ([]string, error) {
	f, err := os.Open(filepath.Join(sources, "finess_etablissements.csv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	head, err := r.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	fi, ok1 := col["finess_et"]
	ci, ok2 := col["category_code"]
	if !ok1 || !ok2 {
		return nil, errors.New("finess_etablissements.csv : colonnes finess_et et category_code attendues")
	}
	var out []string
	for len(out) < n {
		rec, err := r.Read()
		if err == io.EOF {
			return nil, fmt.Errorf("seulement %d centres hospitaliers dans les sources, il en faut %d", len(out), n)
		}
		if err != nil {
			return nil, err
		}
		if rec[ci] == "355" {
			out = append(out, rec[fi])
		}
	}
	return out, nil
}
