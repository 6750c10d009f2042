package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the service. Flags override ROR_* variables,
// which override DefaultConfig.
type Config struct {
	Command string // serve (default) or import
	Addr    string // listen address
	DataDir string // Badger and Bleve live under it
	Sources string // directory of the official open data files
	// Departments, when set, imports the établissements of these
	// départements only (tests, demonstrations); empty: all of France.
	Departments []string
	LogLevel    slog.Level    // debug, info, warn, error
	TileURL     string        // raster tiles under the map; "" = offline
	Shutdown    time.Duration // grace period for in-flight requests
	// ReadRate and WriteRate are requests/s per client IP; negative: no limit.
	ReadRate, WriteRate float64
	ReadAuth            bool // reads of /api/v1 need a token of any role
	// ReportsPerHour is the anonymous reports one client files an hour; 0:
	// the default (30), negative: no limit.
	ReportsPerHour float64
	// TrustedProxies are the reverse proxies (IPs, CIDR) whose
	// X-Forwarded-For names the client of the rate limits; none by default.
	TrustedProxies []string
	// Searches is how many searches run at once, the others queued in
	// arrival order; 0: one per core.
	Searches int
	// MemoryMiB is the Go runtime's soft memory limit for serve (the GC runs
	// more often near it); 0: none. GOMEMLIMIT, when set, wins.
	MemoryMiB int
	// Pprof is a loopback address serving net/http/pprof, to profile the
	// service under load; "" = none.
	Pprof string
	// Router is the URL of an OSRM server whose /table service times the
	// results; "" = the embedded model only. RouterTimeout bounds each
	// request (the model answers past it).
	Router        string
	RouterTimeout time.Duration
	// WriteTimeout bounds the writing of one response; a FHIR export file
	// moves it on as long as the client reads (api/fhir). 0: 30 s.
	WriteTimeout time.Duration

	TokenName, TokenRole, TokenScope string        // ror token: account
	TokenTTL                         time.Duration // ror token: validity; 0 = no expiry
	TokenRevoke                      bool          // ror token: revoke the account instead

	RestoreIn string // ror restore: backup file to load

	Signin SigninConfig // sign-in: cookies, OpenID Connect (config_signin.go)

	Cluster ClusterConfig // serve as a node of a cluster (config_cluster.go)

	GenOut  string // ror gen: directory to write
	GenEGs  int    // ror gen: number of établissements
	GenSeed uint64 // ror gen: seed
}

// DefaultConfig serves on :8080 with the data under ./var/data and the
// official files from ../shared/data when that directory exists.
func DefaultConfig() Config {
	c := Config{Command: "serve", Addr: ":8080", DataDir: filepath.Join("var", "data"), LogLevel: slog.LevelInfo, Shutdown: 10 * time.Second,
		MemoryMiB: 1792} // the national set lives in ~1.2 GiB: keeps the process under 2 GiB

	if st, err := os.Stat(filepath.Join("..", "shared", "data")); err == nil && st.IsDir() {
		c.Sources = filepath.Join("..", "shared", "data")
	}
	return c
}

const usage = `ror — ROR Recherche, annuaire de l'offre de santé

Usage:
  ror [serve] [flags]   importe au premier démarrage puis sert l'API et la page web
  ror import  [flags]   (ré)importe les fichiers officiels dans le répertoire de données
  ror gen -out DIR      écrit un jeu national synthétique (100 000 EG) au format des sources
  ror token -name N -role R [-scope FINESS,…] [-ttl 720h] [-revoke]
                        crée un compte nominatif et affiche son jeton (service arrêté)
  ror admin -name N     crée un administrateur nominatif, mot de passe lu sur l'entrée standard
                        (service arrêté) ; les autres comptes se créent dans le navigateur (/espace)
  ror restore -in FICHIER
                        charge une sauvegarde (GET /api/v1/admin/sauvegarde) dans un répertoire neuf

Chaque commande a ses options: ror COMMANDE -h les liste.
`

// ParseFlags reads args (without the program name) and the environment.
func ParseFlags(args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := DefaultConfig()
	if v := getenv("ROR_ADDR"); v != "" {
		c.Addr = v
	}
	if v := getenv("ROR_DATA"); v != "" {
		c.DataDir = v
	}
	if v := getenv("ROR_SOURCES"); v != "" {
		c.Sources = v
	}
	c.TileURL = getenv("ROR_TILES")
	c.TrustedProxies = splitList(getenv("ROR_TRUSTED_PROXIES"))
	level := getenv("ROR_LOG_LEVEL")
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		c.Command, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("ror "+c.Command, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	// Every command reads the sources or the data dir, and logs.
	fs.StringVar(&c.DataDir, "data", c.DataDir, "répertoire de données Badger + Bleve (ROR_DATA)")
	fs.StringVar(&c.Sources, "sources", c.Sources, "répertoire des fichiers officiels (ROR_SOURCES)")
	deps := getenv("ROR_DEPARTEMENTS")
	fs.StringVar(&deps, "departements", deps, "n'importer que ces départements, séparés par des virgules (ROR_DEPARTEMENTS); vide = toute la France")
	fs.StringVar(&level, "log-level", level, "debug, info, warn, error (ROR_LOG_LEVEL)")
	switch c.Command {
	case "serve":
		fs.StringVar(&c.Addr, "addr", c.Addr, "adresse d'écoute (ROR_ADDR)")
		fs.StringVar(&c.TileURL, "tiles", c.TileURL, "URL https de tuiles raster {z}/{x}/{y} sous la carte (ROR_TILES); vide = hors ligne")
		fs.IntVar(&c.MemoryMiB, "memory-mib", envInt(getenv, "ROR_MEMORY_MIB", c.MemoryMiB), "limite mémoire souple du service en Mio, 0 = aucune (ROR_MEMORY_MIB; GOMEMLIMIT l'emporte)")
		fs.Float64Var(&c.ReadRate, "read-rate", envFloat(getenv, "ROR_READ_RATE"), "lectures/s par client, -1 sans limite (ROR_READ_RATE)")
		fs.Float64Var(&c.WriteRate, "write-rate", envFloat(getenv, "ROR_WRITE_RATE"), "écritures/s par client, -1 sans limite (ROR_WRITE_RATE)")
		fs.StringVar(&c.Router, "router", getenv("ROR_ROUTER"), "URL d'un serveur OSRM (http://hôte:5000) dont le service /table calcule les durées ; vide = modèle embarqué seul (ROR_ROUTER)")
		fs.DurationVar(&c.RouterTimeout, "router-timeout", 800*time.Millisecond, "délai maximal d'une requête au serveur OSRM, le modèle répond au-delà")
		fs.DurationVar(&c.WriteTimeout, "write-timeout", 30*time.Second, "délai d'écriture d'une réponse ; un fichier d'export FHIR le prolonge tant que le client lit")
		fs.Float64Var(&c.ReportsPerHour, "reports-per-hour", envFloat(getenv, "ROR_REPORTS_PER_HOUR"), "signalements anonymes par client et par heure, -1 sans limite (ROR_REPORTS_PER_HOUR)")
		fs.Func("trusted-proxies", "mandataires inverses (IP ou CIDR, séparés par des virgules) dont l'en-tête X-Forwarded-For désigne le client des limites de débit ; aucun par défaut (ROR_TRUSTED_PROXIES)", func(v string) error {
			c.TrustedProxies = splitList(v)
			return nil
		})
		fs.StringVar(&c.Pprof, "pprof", getenv("ROR_PPROF"), "adresse locale (127.0.0.1:6060) des profils pprof du service ; vide = aucun (ROR_PPROF)")
		fs.IntVar(&c.Searches, "searches", envInt(getenv, "ROR_SEARCHES", 0), "recherches menées de front, les autres en file d'attente ; 0 = une par cœur (ROR_SEARCHES)")
		fs.BoolVar(&c.ReadAuth, "read-auth", envBool(getenv, "ROR_READ_AUTH"), "lectures de /api/v1 réservées aux comptes (jeton de tout rôle) ; par défaut ouvertes (ROR_READ_AUTH=1)")
		signinFlags(fs, &c.Signin, getenv)   // config_signin.go
		clusterFlags(fs, &c.Cluster, getenv) // config_cluster.go
	case "import":
	case "token":
		fs.StringVar(&c.TokenName, "name", "", "nom du compte (nominatif)")
		fs.StringVar(&c.TokenRole, "role", string("gestionnaire_lits"), "lecteur, referent, gestionnaire_lits, administrateur")
		fs.StringVar(&c.TokenScope, "scope", "", "FINESS des EJ/EG du périmètre, séparés par des virgules")
		fs.DurationVar(&c.TokenTTL, "ttl", 0, "durée de validité (0 = sans expiration)")
		fs.BoolVar(&c.TokenRevoke, "revoke", false, "révoquer le compte -name")
	case "admin":
		fs.StringVar(&c.TokenName, "name", "", "nom de l'administrateur (nominatif)")
	case "restore":
		fs.StringVar(&c.RestoreIn, "in", "", "fichier de sauvegarde")
	case "gen":
		fs.StringVar(&c.GenOut, "out", "", "répertoire à écrire")
		fs.IntVar(&c.GenEGs, "eg", 100_000, "nombre d'établissements")
		fs.Uint64Var(&c.GenSeed, "seed", 1, "graine")
	default:
		fs.Usage()
		return c, fmt.Errorf("commande inconnue %q", c.Command)
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	for _, d := range strings.Split(deps, ",") {
		if d = strings.TrimSpace(d); d != "" {
			c.Departments = append(c.Departments, d)
		}
	}
	if level != "" {
		if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
			return c, fmt.Errorf("log-level %q: %w", level, err)
		}
	}
	if c.Pprof != "" {
		if host, _, err := net.SplitHostPort(c.Pprof); err != nil || !isLoopback(host) {
			return c, fmt.Errorf("pprof %q: une adresse de bouclage est attendue (127.0.0.1:6060)", c.Pprof)
		}
	}
	if c.DataDir == "" {
		return c, errors.New("le répertoire de données (-data) est vide")
	}
	return c, nil
}

// envInt reads a number from the environment; def when unset or malformed.
func envInt(getenv func(string) string, name string, def int) int {
	if n, err := strconv.Atoi(getenv(name)); err == nil {
		return n
	}
	return def
}

// envFloat reads a number from the environment; 0 when unset or malformed
// (the service then takes its default).
// splitList splits a comma list, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func envFloat(getenv func(string) string, name string) float64 {
	f, _ := strconv.ParseFloat(getenv(name), 64)
	return f
}

// envBool reads a switch from the environment (1, true, oui); false when
// unset or anything else.
func envBool(getenv func(string) string, name string) bool {
	switch strings.ToLower(strings.TrimSpace(getenv(name))) {
	case "1", "true", "oui", "yes", "on":
		return true
	}
	return false
}

// isLoopback reports whether host names this machine only: profiles say too
// much of the service to be served beyond it.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
