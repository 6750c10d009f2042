// Package wire assembles the parts of ROR Recherche from an offer: the
// catalog, the index, the tree, the gazetteer and the directory over them.
// It is the one place that knows every adapter, so that cmd/ror and
// cmd/rorbench build the same service; it may import every package of the
// project but cmd.
package wire

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/api"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/search"
	"github.com/ror-recherche/ror/store"
	"github.com/ror-recherche/ror/workflow"
)

// VocabDir holds the vocabulary's Bleve index in the data dir.
const VocabDir = "vocabulaire"

// OutlinesFile is the department outlines, kept beside the store so that the
// offline map's base layer survives without the sources directory.
const OutlinesFile = "departements.geojson"

// Service is the read side, the workflows over it, and the index it holds
// (to close).
type Service struct {
	Directory *search.Directory
	Beds      *workflow.Beds
	Dossiers  *workflow.Dossiers
	Reports   *workflow.Reports
	Index     *index.Index
	Pros      *search.Professionals // the liberal professionals (professionals.go)
	ProDesk   *workflow.ProDesk
}

// API returns what the HTTP server answers from: the read side and the
// workflows, each as the small interface its handlers use, and the store's
// audit trail.
func (s *Service) API(db *store.DB) api.Services {
	v := api.Services{Search: s.Directory, Fiches: s.Directory, Communes: s.Directory, Nearby: s.Directory,
		Stats: s.Directory, FHIR: s.Directory.Raw(), Beds: s.Beds, Dossiers: s.Dossiers, Reports: s.Reports, History: noHistory{},
		Records: s.Directory.Raw(), Pros: s.Pros, ProDesk: s.ProDesk}
	if db != nil {
		v.History = db.Offer()
	}
	return v
}

// noHistory is the audit trail of a read-only service: empty.
type noHistory struct{}

func (noHistory) Changes(context.Context, string, int) ([]ror.Change, error) { return nil, nil }

// Routing says how travel times are estimated: the embedded model (the
// zero value), or an OSRM server's /table at URL, the model answering past
// Timeout or where the server finds no route.
type Routing struct {
	URL     string
	Timeout time.Duration
}

// Build builds the directory over offer, writing the vocabulary under
// dataDir (reused at the next start when built from the same import), with
// db as the record of truth (nil: read-only).
func Build(offer *ror.Offer, dataDir string, db *store.DB, rt Routing) (*Service, error) {
	// The professions join the nomenclature before anything reads it
	// concurrently: the professionals are read from the store and indexed
	// beside the offer's index (reading them beside it saved ~4 s of a
	// national restart; indexing them there too is within the noise: the
	// two cores are busy either way).
	if err := data.AddProfessionCodes(offer.Nomenclature); err != nil {
		return nil, err
	}
	model := geo.NewRouterFor(offer.Communes)
	var router ror.Router = model
	if rt.URL != "" {
		osrm, err := geo.NewOSRM(rt.URL, rt.Timeout, model)
		if err != nil {
			return nil, err
		}
		router = osrm
	}
	gaz := geo.NewGazetteer(offer.Communes, offer.Departments)
	pros := startPros(db, search.ProParts{Nomenclature: offer.Nomenclature, Gazetteer: gaz, Router: router,
		Locate: func(p []ror.Point) ror.Locator { return geo.NewTree(p) }})
	defer pros() // on every return: the builder never outlives Build
	filieres, err := data.Filieres(offer.Nomenclature)
	if err != nil {
		return nil, err
	}
	presets, err := data.Presets(offer.Nomenclature)
	if err != nil {
		return nil, err
	}
	usual, err := data.UsualNames()
	if err != nil {
		return nil, err
	}
	cat := ror.NewCatalog(offer.EGs, offer.UOs)
	// index.Build fingerprints every name and label, so an EG renamed since
	// is a rebuild, never a stale answer.
	idx, err := index.Build(cat, offer.Nomenclature, index.Options{
		Dir:        filepath.Join(dataDir, VocabDir),
		Stamp:      offer.ImportedAt.UTC().Format(time.RFC3339Nano),
		Filieres:   filieres,
		Synonyms:   data.Synonyms(),
		UsualNames: usual,
	})
	if err != nil {
		return nil, err
	}
	cat.SetLieux(offer.Lieux)
	points := cat.PlacePoints() // the EGs', then the declared lieux'

	d := search.NewDirectory(search.Parts{
		Catalog:      cat,
		Nomenclature: offer.Nomenclature,
		Index:        idx,
		Gazetteer:    gaz,
		Locator:      geo.NewTree(points),
		Router:       router,
		EJs:          offer.EJs,
		Presets:      presets,
	})
	svc := &Service{Directory: d, Index: idx, Beds: workflow.NewBeds(d, nil),
		Dossiers: workflow.NewDossiers(d, nil, offer.Nomenclature), Reports: workflow.NewReports(d, nil)}
	if db != nil {
		svc.Beds = workflow.NewBeds(d, db.Offer())
		svc.Dossiers = workflow.NewDossiers(d, db.Drafts(), offer.Nomenclature)
		svc.Reports = workflow.NewReports(d, db.Anomalies())
	}
	if err := buildPros(svc, offer, gaz, db, pros); err != nil { // professionals.go
		return nil, err
	}
	return svc, nil
}

// Import reads the official files of sources into db (replacing the offer)
// and keeps the department outlines beside it in dataDir; a missing outline
// file is reported in warn, not fatal.
func Import(ctx context.Context, db *store.DB, sources, dataDir string, departments []string, warn func(error)) (*ror.Offer, []string, error) {
	if sources == "" {
		return nil, nil, fmt.Errorf("aucun répertoire de sources: passer -sources ou ROR_SOURCES (les fichiers officiels listés dans data/sources.json)")
	}
	offer, rep, err := data.ImportWith(ctx, sources, time.Now().UTC(), data.Options{Departments: departments})
	if err != nil {
		return nil, nil, fmt.Errorf("import de %s: %w", sources, err)
	}
	if err := db.Offer().ReplaceOffer(ctx, offer); err != nil {
		return nil, nil, err
	}
	rpps, err := importRPPS(ctx, db, sources, offer) // professionals.go: the extract, when the sources have one
	if err != nil {
		return nil, nil, err
	}
	outlines, err := os.ReadFile(filepath.Join(sources, OutlinesFile))
	if err == nil {
		err = db.Offer().PutFile(ctx, OutlinesFile, outlines) // in the store too: backups carry it
	}
	if err == nil {
		err = writeFile(filepath.Join(dataDir, OutlinesFile), outlines)
	}
	if err != nil && warn != nil {
		warn(err)
	}
	return offer, append(rep.Lines(), rpps...), nil
}

// RestoreFiles writes the files the store keeps besides the offer (the
// département outlines) into dataDir when they are missing there: after
// « ror restore », or on a data dir whose file was lost. A store without
// them (a backup made before they were kept) is no error: the map has no
// outlines until the next import, and the caller says so.
func RestoreFiles(ctx context.Context, db *store.DB, dataDir string) (restored bool, err error) {
	dst := filepath.Join(dataDir, OutlinesFile)
	if _, err := os.Stat(dst); err == nil {
		return false, nil
	}
	b, err := db.Offer().File(ctx, OutlinesFile)
	if ror.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, writeFile(dst, b)
}

// writeFile writes b to dst atomically (temp file + rename).
func writeFile(dst string, b []byte) error {
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}
