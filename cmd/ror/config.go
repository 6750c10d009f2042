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
	Command  string        // serve (default) or import
	Addr     string        // listen address
	DataDir  string        // Badger and Bleve live under it
	Sources  string        // directory of the official open data files
	LogLevel slog.Level    // debug, info, warn, error
	TileURL  string        // raster tiles under the map; "" = offline
	Shutdown time.Duration // grace period for in-flight requests
	// ReadRate and WriteRate are requests/s per client IP; negative: no limit.
	ReadRate, WriteRate float64
	ReadAuth            bool // reads of /api/v1 need a token of any role
	// Searches is how many searches run at once, the others queued in
	// arrival order; 0: one per core.
	Searches int
	// MemoryMiB is the Go runtime's soft memory limit for serve (the GC runs
	// more often near it); 0: none. GOMEMLIMIT, when set, wins.
	MemoryMiB int
	// Pprof is a loopback address serving net/http/pprof, to profile the
	// service under load; "" = none.
	Pprof string

	TokenName, TokenRole, TokenScope string        // ror token: account
	TokenTTL                         time.Duration // ror token: validity; 0 = no expiry
	TokenRevoke                      bool          // ror token: revoke the account instead

	RestoreIn string // ror restore: backup file to load

	GenOut  string // ror gen: directory to write
	GenEGs  int    // ror gen: number of établissements
	GenSeed uint64 // ror gen: seed

	BenchN      int           // ror bench: requests per case
	BenchLoad   time.Duration // ror bench: wrk duration; 0 = no load
	BenchConns  int           // ror bench: wrk connections of the saturating load (twice that at the offered one)
	BenchThink  time.Duration // ror bench: mean think time of the offered load; 0 = no such run
	BenchMix    string        // ror bench: wrk script of the query mix
	BenchNaive  bool          // ror bench: compare with the naive Bleve way
	BenchImport bool          // ror bench: (re)import from Sources first, timed
	BenchCPU    string        // ror bench: CPU profile of the in-process cases
	BenchOnly   bool          // ror bench: in-process cases only (no naive, no server)
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
  ror bench -data DIR [-sources DIR] [-import]
                        mesure le service sur ce répertoire (jeu national): tableau p50/p99, cibles,
                        Bleve naïf, wrk, redémarrage, mémoire (make bench)
  ror restore -in FICHIER
                        charge une sauvegarde (GET /api/v1/admin/sauvegarde) dans un répertoire neuf

Flags (et variables d'environnement):
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
	level := getenv("ROR_LOG_LEVEL")
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		c.Command, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("ror", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	fs.StringVar(&c.Addr, "addr", c.Addr, "adresse d'écoute (ROR_ADDR)")
	fs.StringVar(&c.DataDir, "data", c.DataDir, "répertoire de données Badger + Bleve (ROR_DATA)")
	fs.StringVar(&c.Sources, "sources", c.Sources, "répertoire des fichiers officiels (ROR_SOURCES)")
	fs.StringVar(&level, "log-level", level, "debug, info, warn, error (ROR_LOG_LEVEL)")
	fs.StringVar(&c.TileURL, "tiles", c.TileURL, "URL https de tuiles raster {z}/{x}/{y} sous la carte (ROR_TILES); vide = hors ligne")
	fs.StringVar(&c.TokenName, "name", "", "ror token: nom du compte (nominatif)")
	fs.StringVar(&c.TokenRole, "role", string("gestionnaire_lits"), "ror token: lecteur, referent, gestionnaire_lits, administrateur")
	fs.StringVar(&c.TokenScope, "scope", "", "ror token: FINESS des EJ/EG du périmètre, séparés par des virgules")
	fs.DurationVar(&c.TokenTTL, "ttl", 0, "ror token: durée de validité (0 = sans expiration)")
	fs.BoolVar(&c.TokenRevoke, "revoke", false, "ror token: révoquer le compte -name")
	fs.StringVar(&c.RestoreIn, "in", "", "ror restore: fichier de sauvegarde")
	fs.StringVar(&c.GenOut, "out", "", "ror gen: répertoire à écrire")
	fs.IntVar(&c.GenEGs, "eg", 100_000, "ror gen: nombre d'établissements")
	fs.Uint64Var(&c.GenSeed, "seed", 1, "ror gen: graine")
	fs.IntVar(&c.MemoryMiB, "memory-mib", envInt(getenv, "ROR_MEMORY_MIB", c.MemoryMiB), "limite mémoire souple du service en Mio, 0 = aucune (ROR_MEMORY_MIB; GOMEMLIMIT l'emporte)")
	fs.IntVar(&c.BenchN, "n", 400, "ror bench: requêtes par cas")
	fs.DurationVar(&c.BenchLoad, "load", 30*time.Second, "ror bench: durée de la charge wrk (0 = sans)")
	fs.IntVar(&c.BenchConns, "conns", 32, "ror bench: connexions wrk de la charge saturante (le double pour la charge offerte)")
	fs.DurationVar(&c.BenchThink, "think", 10*time.Millisecond, "ror bench: temps de réflexion moyen par connexion de la charge offerte (0 = sans)")
	fs.StringVar(&c.BenchMix, "mix", filepath.Join("api", "testdata", "load-mix.lua"), "ror bench: script wrk du mélange de requêtes")
	fs.BoolVar(&c.BenchNaive, "naive", true, "ror bench: comparer avec Bleve naïf")
	fs.StringVar(&c.BenchCPU, "cpuprofile", "", "ror bench: profil CPU (pprof) des cas en processus")
	fs.BoolVar(&c.BenchOnly, "local", false, "ror bench: cas en processus seulement")
	fs.BoolVar(&c.BenchImport, "import", false, "ror bench: (ré)importer -sources d'abord, chronométré")
	fs.Float64Var(&c.ReadRate, "read-rate", envFloat(getenv, "ROR_READ_RATE"), "lectures/s par client, -1 sans limite (ROR_READ_RATE)")
	fs.Float64Var(&c.WriteRate, "write-rate", envFloat(getenv, "ROR_WRITE_RATE"), "écritures/s par client, -1 sans limite (ROR_WRITE_RATE)")
	fs.StringVar(&c.Pprof, "pprof", getenv("ROR_PPROF"), "adresse locale (127.0.0.1:6060) des profils pprof du service ; vide = aucun (ROR_PPROF)")
	fs.IntVar(&c.Searches, "searches", envInt(getenv, "ROR_SEARCHES", 0), "recherches menées de front, les autres en file d'attente ; 0 = une par cœur (ROR_SEARCHES)")
	fs.BoolVar(&c.ReadAuth, "read-auth", envBool(getenv, "ROR_READ_AUTH"), "lectures de /api/v1 réservées aux comptes (jeton de tout rôle) ; par défaut ouvertes (ROR_READ_AUTH=1)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if level != "" {
		if err := c.LogLevel.UnmarshalText([]byte(level)); err != nil {
			return c, fmt.Errorf("log-level %q: %w", level, err)
		}
	}
	switch c.Command {
	case "serve", "import", "gen", "token", "restore", "bench":
	default:
		fs.Usage()
		return c, fmt.Errorf("commande inconnue %q", c.Command)
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
