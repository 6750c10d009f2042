package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/mapping"
	blevesearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/search"
)

// The naive way, for comparison: one Bleve document per UO with its words,
// its codes as keyword fields and its établissement's position as a geo
// point; a search is one Bleve request with a match query, term filters,
// Bleve's own facets over every facet and Bleve's geo-distance sort, 200
// hits. It does less than a real search (no grouping by établissement, no
// travel time, a facet's counts do not ignore its own filter), so the ratio
// flatters it.

// naiveDoc is what Bleve indexes of a UO.
type naiveDoc struct {
	Text        string     `json:"text"` // folded: UO name, type, activities, actes, équipements, EG name
	TypeUO      string     `json:"type_uo"`
	TypeOffre   string     `json:"type_offre"`
	Activite    []string   `json:"activite"`
	Acte        []string   `json:"acte"`
	Equipement  []string   `json:"equipement"`
	Mode        []string   `json:"mode"`
	Patientele  []string   `json:"patientele"`
	Statut      string     `json:"statut"`
	Departement string     `json:"departement"`
	Origine     string     `json:"origine"`
	Geo         *[]float64 `json:"geo,omitempty"` // [lon, lat]
}

var naiveFacets = []string{"type_uo", "type_offre", "activite", "acte", "equipement", "mode", "patientele", "statut", "departement", "origine"}

func naiveMapping() mapping.IndexMapping {
	im := bleve.NewIndexMapping()
	doc := bleve.NewDocumentStaticMapping()
	text := bleve.NewTextFieldMapping()
	text.Analyzer = fr.AnalyzerName
	text.Store, text.IncludeInAll, text.IncludeTermVectors, text.DocValues = false, false, false, false
	doc.AddFieldMappingsAt("text", text)
	for _, f := range naiveFacets {
		kw := bleve.NewKeywordFieldMapping()
		kw.Store, kw.IncludeInAll, kw.IncludeTermVectors = false, false, false
		doc.AddFieldMappingsAt(f, kw)
	}
	geo := bleve.NewGeoPointFieldMapping()
	geo.Store, geo.IncludeInAll = false, false
	doc.AddFieldMappingsAt("geo", geo)
	im.DefaultMapping = doc
	return im
}

// openNaive opens the naive index of offer under dir, building it when it
// is absent or was built from another import.
func openNaive(dir string, offer *ror.Offer) (bleve.Index, time.Duration, error) {
	stamp := fmt.Sprintf("%s/%d/%d", offer.ImportedAt.Format(time.RFC3339Nano), len(offer.EGs), len(offer.UOs))
	if idx, err := bleve.Open(dir); err == nil {
		if got, _ := idx.GetInternal([]byte("stamp")); string(got) == stamp {
			return idx, 0, nil
		}
		idx.Close()
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, 0, err
	}
	start := time.Now()
	idx, err := bleve.New(dir, naiveMapping())
	if err != nil {
		return nil, 0, err
	}
	nom := offer.Nomenclature
	egs := make(map[string]*ror.EG, len(offer.EGs))
	for i := range offer.EGs {
		egs[offer.EGs[i].FINESS] = &offer.EGs[i]
	}
	labels := func(vs ror.ValueSet, keys []string) string {
		var b strings.Builder
		for _, k := range keys {
			b.WriteString(nom.Label(vs, k))
			b.WriteByte(' ')
		}
		return b.String()
	}
	b := idx.NewBatch()
	for i := range offer.UOs {
		u := &offer.UOs[i]
		eg := egs[u.EG]
		if eg == nil {
			continue
		}
		d := naiveDoc{TypeUO: u.TypeUO, TypeOffre: u.ChampActivite, Activite: u.Activites, Acte: u.Actes,
			Equipement: u.Equipements, Mode: u.Modes, Statut: string(u.Statut), Departement: eg.Department, Origine: ror.OrigineNonGeo}
		d.Text = ror.Fold(strings.Join([]string{u.Name, nom.Label(ror.VSTypeUO, u.TypeUO), labels(ror.VSActivite, u.Activites),
			labels(ror.VSActe, u.Actes), labels(ror.VSEquipement, u.Equipements), eg.Name}, " "))
		if u.Patientele.Enfant {
			d.Patientele = append(d.Patientele, ror.PatienteleEnfant)
		}
		if u.Patientele.Adulte {
			d.Patientele = append(d.Patientele, ror.PatienteleAdulte)
		}
		if eg.Geolocated() {
			d.Origine = ror.OrigineGeo
			d.Geo = &[]float64{eg.Point.Lon, eg.Point.Lat}
		}
		if err := b.Index(u.ID, d); err != nil {
			idx.Close()
			return nil, 0, err
		}
		if b.Size() >= 5000 {
			if err := idx.Batch(b); err != nil {
				idx.Close()
				return nil, 0, err
			}
			b = idx.NewBatch()
		}
	}
	err = idx.Batch(b)
	if err == nil {
		err = idx.SetInternal([]byte("stamp"), []byte(stamp))
	}
	if err != nil {
		idx.Close()
		return nil, 0, err
	}
	return idx, time.Since(start), nil
}

// naiveRequest is the Bleve request of a search query string.
func naiveRequest(raw string, places ror.Gazetteer) (*bleve.SearchRequest, error) {
	v, err := url.ParseQuery(raw)
	if err != nil {
		return nil, err
	}
	match := bleve.NewMatchQuery(ror.Fold(v.Get("q")))
	match.SetField("text")
	match.SetOperator(query.MatchQueryOperatorAnd)
	parts := []query.Query{match}
	for _, f := range naiveFacets {
		var alts []query.Query
		for _, val := range v[f] {
			t := bleve.NewTermQuery(val)
			t.SetField(f)
			alts = append(alts, t)
		}
		if len(alts) > 0 {
			parts = append(parts, bleve.NewDisjunctionQuery(alts...))
		}
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(parts...), ror.MaxResults, 0, false)
	for _, f := range naiveFacets {
		req.AddFacet(f, bleve.NewFacetRequest(f, 1000)) // every value, as the refine panel lists them
	}
	if ou := v.Get("ou"); ou != "" {
		c, err := places.Resolve(ou)
		if err != nil {
			return nil, err
		}
		s, err := blevesearch.NewSortGeoDistance("geo", "km", c.Point.Lon, c.Point.Lat, false)
		if err != nil {
			return nil, err
		}
		req.SortByCustom(blevesearch.SortOrder{s})
	}
	return req, nil
}

// naiveBench times the naive way on the cases that ask for it, n times
// each like the real searches.
func naiveBench(ctx context.Context, o options, offer *ror.Offer, d *search.Directory, cases []*benchCase, rep *report) error {
	idx, took, err := openNaive(filepath.Join(o.data, "banc-bleve"), offer)
	if err != nil {
		return fmt.Errorf("index Bleve naïf: %w", err)
	}
	defer idx.Close()
	rep.naiveBuild, rep.naiveBuilt = took, took > 0
	n := max(o.n/5, 20) // seconds per request: fewer
	for _, c := range cases {
		if !c.naive {
			continue
		}
		reqs := make([]*bleve.SearchRequest, len(c.queries))
		for i, q := range c.queries {
			if reqs[i], err = naiveRequest(q, d.Raw().Gazetteer()); err != nil {
				return err
			}
			res, err := idx.SearchInContext(ctx, reqs[i]) // warm-up
			if err != nil {
				return err
			}
			if res.Total == 0 {
				return errors.New("index Bleve naïf: aucun résultat pour " + q)
			}
		}
		for i := range n {
			start := time.Now()
			if _, err := idx.SearchInContext(ctx, reqs[i%len(reqs)]); err != nil {
				return err
			}
			c.naiveTimes = append(c.naiveTimes, time.Since(start))
		}
	}
	return nil
}
