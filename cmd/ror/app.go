package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/api"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/store"
)

// App is a running service: the store, the index and the HTTP server.
type App struct {
	cfg   Config
	log   *slog.Logger
	db    *store.DB
	idx   *index.Index
	srv   *api.Server
	ln    net.Listener
	ready chan error // receives the outcome of loading, once
	loads bool       // a load goroutine was started
	dir   *ror.Directory

	clock func() time.Time // now, for publications at an effective date (tests move it)
	every time.Duration    // how often due publications are looked for
	stop  chan struct{}    // closed by Close: stops the scheduler
	wg    sync.WaitGroup   // the scheduler
}

// NewApp returns an App for cfg; Run starts it.
func NewApp(cfg Config, log *slog.Logger) *App {
	return &App{cfg: cfg, log: log, ready: make(chan error, 1), clock: time.Now, every: publishEvery, stop: make(chan struct{})}
}

// Run opens the store and the port, then loads the directory in the
// background: until it is ready the API answers 503 with Retry-After.
func (a *App) Run(ctx context.Context) error {
	db, err := store.Open(filepath.Join(a.cfg.DataDir, "badger"), store.Options{Logger: a.log})
	if err != nil {
		return fmt.Errorf("ouverture du répertoire de données %s: %w", a.cfg.DataDir, err)
	}
	a.db = db
	if a.cfg.Command == "import" {
		_, err := a.importOffer(ctx)
		return err
	}
	a.srv = api.New(api.Config{Logger: a.log, Outlines: filepath.Join(a.cfg.DataDir, outlinesFile), Accounts: a.db,
		ReadRate: a.cfg.ReadRate, WriteRate: a.cfg.WriteRate, Searches: a.cfg.Searches, ReadAuth: a.cfg.ReadAuth, TileURL: a.cfg.TileURL, Backup: a.db})
	ln, err := net.Listen("tcp", a.cfg.Addr)
	if err != nil {
		return err
	}
	a.ln = ln
	go func() {
		if err := a.srv.Serve(ln); err != nil {
			a.log.Error("http", "err", err)
		}
	}()
	a.log.Info("écoute", "addr", ln.Addr().String())
	a.loads = true
	go func() {
		err := a.load(ctx)
		if err != nil {
			a.log.Error("chargement", "err", err)
		}
		a.ready <- err
	}()
	return nil
}

// Ready waits until the directory is loaded and returns the outcome.
func (a *App) Ready(ctx context.Context) error {
	select {
	case err := <-a.ready:
		a.ready <- err
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Addr is the address the server listens on.
func (a *App) Addr() string { return a.ln.Addr().String() }

// load reads the offer from Badger, importing it first when the data dir is
// new, and builds the index, the tree and the directory.
func (a *App) load(ctx context.Context) error {
	start := time.Now()
	offer, err := a.db.LoadOffer(ctx)
	if ror.IsNotFound(err) {
		offer, err = a.importOffer(ctx)
	}
	if err != nil {
		return err
	}
	d, err := a.build(offer)
	if err != nil {
		return err
	}
	a.dir = d
	a.publishDue(d, a.clock()) // a restart after an effective date publishes before the first search
	a.srv.SetDirectory(d)
	a.schedule(d)
	st := d.Stats()
	a.log.Info("prêt", "eg", st.EGs, "uo", st.UOs, "durée", time.Since(start).Round(time.Millisecond))
	return nil
}

func (a *App) importOffer(ctx context.Context) (*ror.Offer, error) {
	if a.cfg.Sources == "" {
		return nil, errors.New("aucun répertoire de sources: passer -sources ou ROR_SOURCES (les fichiers officiels listés dans data/sources.json)")
	}
	start := time.Now()
	offer, err := data.Import(ctx, a.cfg.Sources, time.Now().UTC())
	if err != nil {
		return nil, fmt.Errorf("import de %s: %w", a.cfg.Sources, err)
	}
	if err := a.db.ReplaceOffer(ctx, offer); err != nil {
		return nil, err
	}
	if err := copyFile(filepath.Join(a.cfg.Sources, outlinesFile), filepath.Join(a.cfg.DataDir, outlinesFile)); err != nil {
		a.log.Warn("contours des départements absents: la carte n'aura pas de fond", "err", err)
	}
	a.log.Info("import", "sources", a.cfg.Sources, "eg", len(offer.EGs), "uo", len(offer.UOs), "durée", time.Since(start).Round(time.Millisecond))
	return offer, nil
}

func (a *App) build(offer *ror.Offer) (*ror.Directory, error) {
	filieres, err := data.Filieres(offer.Nomenclature)
	if err != nil {
		return nil, err
	}
	presets, err := data.Presets(offer.Nomenclature)
	if err != nil {
		return nil, err
	}
	cat := ror.NewCatalog(offer.EGs, offer.UOs)
	// The vocabulary's Bleve index lives beside the store and is reused at
	// the next start when it was built from the same import and the same
	// entries (index.Build fingerprints every name and label, so an EG
	// renamed since is a rebuild, never a stale answer).
	idx, err := index.Build(cat, offer.Nomenclature, index.Options{
		Dir:      filepath.Join(a.cfg.DataDir, vocabDir),
		Stamp:    offer.ImportedAt.UTC().Format(time.RFC3339Nano),
		Filieres: filieres,
		Synonyms: data.Synonyms(),
	})
	if err != nil {
		return nil, err
	}
	a.idx = idx
	points := make([]ror.Point, len(cat.EGs))
	for i := range cat.EGs {
		points[i] = cat.EGs[i].Point
	}
	return ror.NewDirectory(ror.Parts{
		Catalog:      cat,
		Nomenclature: offer.Nomenclature,
		Index:        idx,
		Gazetteer:    geo.NewGazetteer(offer.Communes, offer.Departments),
		Locator:      geo.NewTree(points),
		Router:       geo.NewRouter(),
		EJs:          offer.EJs,
		Store:        a.db,
		Presets:      presets,
		Anomalies:    a.db,
		Drafts:       a.db,
	}), nil
}

// Close stops the server, waiting up to the grace period for in-flight
// requests, then closes the index and the store.
func (a *App) Close() error {
	var errs []error
	if a.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), a.cfg.Shutdown)
		errs = append(errs, a.srv.Shutdown(ctx))
		cancel()
	}
	if a.loads {
		a.ready <- <-a.ready // never close the store under a running load
	}
	select {
	case <-a.stop:
	default:
		close(a.stop)
	}
	a.wg.Wait() // nor under a publication
	if a.idx != nil {
		errs = append(errs, a.idx.Close())
	}
	if a.db != nil {
		errs = append(errs, a.db.Close())
	}
	return errors.Join(errs...)
}

// Main parses the flags, runs the command and, for serve, waits for ctx.
func Main(ctx context.Context, args []string, getenv func(string) string) error {
	cfg, err := ParseFlags(args, getenv, os.Stderr)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	switch cfg.Command {
	case "gen":
		return generate(cfg, os.Stdout)
	case "token":
		return token(ctx, cfg, os.Stdout)
	case "restore":
		return restore(ctx, cfg, os.Stdout)
	case "bench":
		return bench(ctx, cfg, os.Stdout)
	}
	if cfg.Command == "serve" && cfg.MemoryMiB > 0 && getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(cfg.MemoryMiB) << 20)
	}
	if cfg.Command == "serve" && cfg.Pprof != "" {
		if _, err := servePprof(cfg.Pprof, log); err != nil {
			return err
		}
	}
	app := NewApp(cfg, log)
	if err := app.Run(ctx); err != nil {
		app.Close()
		return err
	}
	if cfg.Command == "serve" {
		<-ctx.Done()
		log.Info("arrêt")
	}
	return app.Close()
}

// vocabDir holds the vocabulary's Bleve index in the data dir.
const vocabDir = "vocabulaire"

// outlinesFile is the department outlines, kept beside the store so that the
// offline map's base layer survives without the sources directory.
const outlinesFile = "departements.geojson"

// copyFile copies src to dst atomically (temp file + rename).
func copyFile(src, dst string) error {
	in, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, in, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}
