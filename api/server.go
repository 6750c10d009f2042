package api

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
	"github.com/valyala/fasthttp"

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
	// ReportsPerHour is how many anonymous reports of anomalies one client
	// files an hour (burst 10); 0 takes the default 30, negative disables,
	// and so does a negative WriteRate (load tests).
	ReportsPerHour float64
	// TrustedProxies are the addresses (IPs or CIDR ranges) of reverse
	// proxies whose X-Forwarded-For names the client, for the rate limits'
	// key; empty (the default): the socket's address, whatever the headers.
	TrustedProxies []string
	// Searches is how many searches (lists, exports, proximity, FHIR) run at
	// once, the others queued in arrival order; 0: one per core.
	Searches int
	// SearchWait is the longest a search queues before a 503; default 5 s.
	SearchWait time.Duration
	// Signin is how people sign in (session.go); zero: tokens only.
	Signin Signin
	// Cluster is the node's replication status; nil: a single process.
	Cluster Cluster
}

// Server is the HTTP face of the directory. It answers 503 until SetServices
// is called, so the port opens while the data loads.
type Server struct {
	app      *fiber.App
	svc      atomic.Pointer[Services]
	log      *slog.Logger
	outlines string
	auth     *auth // who a request is (auth.go)
	metrics  *metrics
	tileURL  string
	backup   ror.Backuper
	signin   Signin
	cluster  Cluster

	readLimit, writeLimit *limiter
	reportLimit           *limiter // anonymous reports, per client
	trustProxies          bool     // Config.TrustedProxies given: clientKey reads X-Forwarded-For
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
	s := &Server{trustProxies: len(cfg.TrustedProxies) > 0, log: cfg.Logger, outlines: cfg.Outlines, metrics: newMetrics(), tileURL: cfg.TileURL, backup: cfg.Backup, cluster: cfg.Cluster}
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
	if cfg.Signin.Users == nil || cfg.Signin.Sessions == nil {
		cfg.Signin.Users, cfg.Signin.Sessions = nil, nil
	}
	s.signin = cfg.Signin
	s.auth = &auth{accounts: cfg.Accounts, sessions: cfg.Signin.Sessions, readAuth: cfg.ReadAuth}
	s.admit = newAdmission(cfg.Searches, cfg.SearchWait)
	if cfg.ReadRate > 0 {
		s.readLimit = newLimiter(cfg.ReadRate, 2*cfg.ReadRate)
	}
	if cfg.WriteRate > 0 {
		s.writeLimit = newLimiter(cfg.WriteRate, 2*cfg.WriteRate)
	}
	if cfg.ReportsPerHour == 0 {
		cfg.ReportsPerHour = 30
	}
	if cfg.ReportsPerHour > 0 && cfg.WriteRate >= 0 {
		s.reportLimit = newLimiter(cfg.ReportsPerHour/3600, 10)
	}
	s.app = fiber.New(fiber.Config{
		AppName:               "ror",
		BodyLimit:             cfg.BodyLimit,
		ReadTimeout:           cfg.ReadTimeout,
		WriteTimeout:          cfg.WriteTimeout,
		ReadBufferSize:        32 << 10, // long query strings get a problem naming the parameter, not a bare 431
		DisableStartupMessage: true,
		ErrorHandler:          s.errorHandler,
		// Behind a reverse proxy every client arrives from the proxy's
		// address: only the configured proxies are believed (clientKey).
		EnableTrustedProxyCheck: len(cfg.TrustedProxies) > 0,
		TrustedProxies:          cfg.TrustedProxies,
		// Every method reaches the routes, so that an unknown one (FOO) gets
		// a problem+json 405 with the security headers, not Fiber's bare 501.
		RequestMethods: knownMethods,
	})
	s.app.Use(requestid.New(requestid.Config{ContextKey: "requestid"}))
	s.app.Use(recover.New())
	s.app.Use(s.metrics.middleware)
	s.app.Use(securityHeaders)
	s.app.Use(noStore)
	s.app.Use(s.rateLimit)
	s.routes()
	// Fiber answers a method outside RequestMethods with a bare text/plain
	// 400 before any middleware: such requests go through as methodUnknown,
	// which no route has, so they get the 404/405 problem+json and every
	// header of the middlewares.
	srv := s.app.Server()
	next := srv.Handler
	srv.Handler = func(ctx *fasthttp.RequestCtx) {
		if !slices.Contains(knownMethods, string(ctx.Method())) {
			ctx.Request.Header.SetMethod(methodUnknown)
		}
		next(ctx)
	}
	return s
}

// methodUnknown stands for any method Fiber does not know (FOO).
const methodUnknown = "X-METHODE-INCONNUE"

var (
	extraMethods = []string{methodUnknown}
	knownMethods = append(slices.Clone(fiber.DefaultMethods), extraMethods...)
)

// App is the Fiber application, for tests (app.Test) and Listen.
func (s *Server) App() *fiber.App { return s.app }

// Listen serves on addr until Shutdown.
func (s *Server) Listen(addr string) error { return s.app.Listen(addr) }

// Shutdown stops accepting connections and waits for in-flight requests
// until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error { return s.app.ShutdownWithContext(ctx) }

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

// Each kind of handler has a receiver of its own holding only what it
// uses (services.go's interfaces through services, the auth): reads and
// writes here, signins (session.go), admins (accounts.go), pages
// (pages_scope.go), ops (health.go). The Server keeps the wiring, the
// routes, the guards and the problems.

// reads are the handlers of the coordinators' reads (search, exports, map,
// fiche, communes, proximity).
type reads struct {
	services func() (*Services, error)
	outlines string // departements.geojson; "" = none
}

// writes are the handlers of the writes and of what needs an account
// (beds, history, backup, reports, dossiers).
type writes struct {
	services    func() (*Services, error)
	auth        *auth
	backup      ror.Backuper // nil: no online backup
	allowReport func(c *fiber.Ctx) error
	log         *slog.Logger
}
