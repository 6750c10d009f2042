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
	"github.com/ror-recherche/ror/index"
	"github.com/ror-recherche/ror/internal/wire"
	"github.com/ror-recherche/ror/replica"
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
	ready chan error     // receives the outcome of loading, once
	loads bool           // a load goroutine was started
	svc   *wire.Service  // the read side and the workflows, once loaded
	node  *replica.Node  // -cluster: this node of the cluster (app_cluster.go)
	users *replica.Users // -cluster: the accounts through the log

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
	db, err := a.openStore(ctx) // app_cluster.go
	if err != nil {
		return fmt.Errorf("ouverture du répertoire de données %s: %w", a.cfg.DataDir, err)
	}
	a.db = db
	if a.cfg.Command == "import" {
		_, err := a.importOffer(ctx)
		return err
	}
	sso, err := signOn(ctx, a.cfg.Signin) // app_signin.go
	if err != nil {
		return err
	}
	a.srv = api.New(api.Config{Logger: a.log, Outlines: filepath.Join(a.cfg.DataDir, outlinesFile), Accounts: a.db.Accounts(),
		ReadRate: a.cfg.ReadRate, WriteRate: a.cfg.WriteRate, Searches: a.cfg.Searches, ReadAuth: a.cfg.ReadAuth, TileURL: a.cfg.TileURL, Backup: a.db,
		ReportsPerHour: a.cfg.ReportsPerHour, TrustedProxies: a.cfg.TrustedProxies, WriteTimeout: a.cfg.WriteTimeout,
		Cluster: a.cluster(), Signin: api.Signin{Users: a.signinUsers(), Sessions: a.signinSessions(), Drafts: a.db.Drafts(), TLSProxy: a.cfg.Signin.TLSProxy, SignOn: sso}})
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
	defer loadingGC()()
	offer, err := a.db.Offer().LoadOffer(ctx)
	if ror.IsNotFound(err) {
		offer, err = a.importOffer(ctx)
	}
	if err != nil {
		return err
	}
	if _, err := wire.RestoreFiles(ctx, a.db, a.cfg.DataDir); err != nil {
		a.log.Warn("contours des départements non restaurés", "err", err)
	}
	svc, err := a.build(offer)
	if err != nil {
		return err
	}
	a.svc = svc
	v, due, err := a.replicated(svc) // app_cluster.go
	if err != nil {
		return err
	}
	a.publishDue(due, a.clock()) // a restart after an effective date publishes before the first search
	a.srv.SetServices(v)
	a.schedule(due)
	st := svc.Directory.Stats()
	a.log.Info("prêt", "eg", st.EGs, "uo", st.UOs, "durée", time.Since(start).Round(time.Millisecond))
	return nil
}

// Loading allocates the whole directory at once: with the collector at its
// usual pace it marks the growing heap again and again (a national restart
// went from 9.2 to 6.8 s, medians of 4, with it four times rarer, and the
// same resident memory once ready). The soft memory limit still holds.
// GOGC is the process's: loadingGC sets it for the first of the apps
// loading at once (tests) and gives it back after the last.
const loadGCPercent = 400

var loading struct {
	sync.Mutex
	n    int
	gogc int
}

func loadingGC() (done func()) {
	loading.Lock()
	defer loading.Unlock()
	if loading.n++; loading.n == 1 {
		loading.gogc = debug.SetGCPercent(loadGCPercent)
	}
	return func() {
		loading.Lock()
		defer loading.Unlock()
		if loading.n--; loading.n == 0 {
			debug.SetGCPercent(loading.gogc)
		}
	}
}

func (a *App) importOffer(ctx context.Context) (*ror.Offer, error) {
	start := time.Now()
	offer, report, err := wire.Import(ctx, a.db, a.cfg.Sources, a.cfg.DataDir, a.cfg.Departments, func(err error) {
		a.log.Warn("contours des départements absents: la carte n'aura pas de fond", "err", err)
	})
	if err != nil {
		return nil, err
	}
	for _, line := range report {
		a.log.Info("source", "bilan", line)
	}
	a.log.Info("import", "sources", a.cfg.Sources, "eg", len(offer.EGs), "uo", len(offer.UOs), "durée", time.Since(start).Round(time.Millisecond))
	return offer, nil
}

func (a *App) build(offer *ror.Offer) (*wire.Service, error) {
	svc, err := wire.Build(offer, a.cfg.DataDir, a.db, wire.Routing{URL: a.cfg.Router, Timeout: a.cfg.RouterTimeout})
	if err != nil {
		return nil, err
	}
	a.idx = svc.Index
	return svc, nil
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
	if a.node != nil {
		errs = append(errs, a.node.Close()) // the applier stops before the store closes
	}
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
	case "admin":
		return adminCreate(ctx, cfg, os.Stdin, os.Stderr)
	case "restore":
		return restore(ctx, cfg, os.Stdout)
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
		// A load that fails ends the process with its reason: a service
		// answering 503 « réessayer » forever helps no one.
		select {
		case err := <-app.ready:
			app.ready <- err
			if err != nil {
				app.Close()
				return fmt.Errorf("chargement des données impossible: %w", err)
			}
			failed, why := app.failed() // app_cluster.go: a nil channel when alone
			select {
			case <-ctx.Done():
			case <-failed:
				app.Close()
				return fmt.Errorf("ce nœud n'applique plus le journal des écritures (relancé, il repartira de l'instantané): %w", why())
			}
		case <-ctx.Done():
		}
		log.Info("arrêt")
	}
	return app.Close()
}

// vocabDir and outlinesFile are where the service keeps its files in the
// data dir.
const (
	vocabDir     = wire.VocabDir
	outlinesFile = wire.OutlinesFile
)

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
