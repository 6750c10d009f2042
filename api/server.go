package api

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"

	"github.com/ror-recherche/ror"
)

// Config is what the HTTP layer needs; zero values are sensible defaults.
type Config struct {
	BodyLimit    int           // bytes; default 1 MiB
	ReadTimeout  time.Duration // default 10 s
	WriteTimeout time.Duration // default 30 s
	Logger       *slog.Logger
	Outlines     string       // path of departements.geojson in the data dir; "" = none
	Accounts     ror.Accounts // nil: writes answer 503
	TileURL      string       // raster tiles under the map (https); "" = offline outlines only
	Backup       ror.Backuper // nil: no online backup
	// ReadAuth makes every read of /api/v1 need a valid token of any role
	// (readGuard); false: reads are open, as the coordinator's page needs.
	ReadAuth bool
	// ReadRate and WriteRate are requests per second allowed per client IP
	// (burst twice that); 0 takes the defaults, negative disables (load tests).
	ReadRate, WriteRate float64
	// Searches is how many searches (lists, exports, proximity, FHIR) run at
	// once, the others queued in arrival order; 0: one per core.
	Searches int
	// SearchWait is the longest a search queues before a 503; default 5 s.
	SearchWait time.Duration
}

// Server is the HTTP face of a Directory. It answers 503 until SetDirectory
// is called, so the port opens while the data loads.
type Server struct {
	app      *fiber.App
	dir      atomic.Pointer[ror.Directory]
	log      *slog.Logger
	outlines string
	accounts ror.Accounts
	metrics  *metrics
	tileURL  string
	backup   ror.Backuper
	readAuth bool

	readLimit, writeLimit *limiter
	admit                 *admission
}

// New returns a Server with every route mounted.
func New(cfg Config) *Server {
	if cfg.BodyLimit == 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 10 * time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{log: cfg.Logger, outlines: cfg.Outlines, accounts: cfg.Accounts, metrics: newMetrics(), tileURL: cfg.TileURL, backup: cfg.Backup, readAuth: cfg.ReadAuth}
	if cfg.ReadRate == 0 {
		cfg.ReadRate = 100
	}
	if cfg.WriteRate == 0 {
		cfg.WriteRate = 10
	}
	if cfg.Searches <= 0 {
		cfg.Searches = runtime.GOMAXPROCS(0)
	}
	if cfg.SearchWait <= 0 {
		cfg.SearchWait = 5 * time.Second
	}
	s.admit = newAdmission(cfg.Searches, cfg.SearchWait)
	if cfg.ReadRate > 0 {
		s.readLimit = newLimiter(cfg.ReadRate, 2*cfg.ReadRate)
	}
	if cfg.WriteRate > 0 {
		s.writeLimit = newLimiter(cfg.WriteRate, 2*cfg.WriteRate)
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "ror",
		BodyLimit:             cfg.BodyLimit,
		ReadTimeout:           cfg.ReadTimeout,
		WriteTimeout:          cfg.WriteTimeout,
		ReadBufferSize:        32 << 10, // long query strings get a problem naming the parameter, not a bare 431
		DisableStartupMessage: true,
		ErrorHandler:          s.errorHandler,
	})
	s.app.Use(requestid.New(requestid.Config{ContextKey: "requestid"}))
	s.app.Use(recover.New())
	s.app.Use(s.metrics.middleware)
	s.app.Use(securityHeaders)
	s.app.Use(s.rateLimit)
	s.routes()
	return s
}

// SetDirectory makes the server answer from d.
func (s *Server) SetDirectory(d *ror.Directory) { s.dir.Store(d) }

// App is the Fiber application, for tests (app.Test) and Listen.
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.app.Listen(addr) }

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

// directory returns the Directory, or Unavailable while loading.
func (s *Server) directory() (*ror.Directory, error) {
	d := s.dir.Load()
	if d == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Le répertoire est en cours de chargement : réessayer dans quelques secondes.")
	}
	return d, nil
}

// queryValues copies the query string out of Fiber's reused buffers.
func queryValues(c *fiber.Ctx) url.Values {
	v := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, val []byte) {
		v.Add(string(k), string(val))
	})
	return v
}

// Serve serves on an open listener until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.app.Listener(ln) }
