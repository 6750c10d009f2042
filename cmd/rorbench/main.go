// Command rorbench is the national benchmark of `make bench`: it reads a
// data dir (the generated national set) in process, then serves it with the
// real binary (-bin, built by make) on loopback and measures it from
// outside — p50/p99 per case beside the targets, the naive Bleve
// way of the same searches, start, memory, a wrk load and the delay before
// a bed change shows. It ships apart from cmd/ror so that the service
// binary carries no harness (nor the naive Bleve index). It imports ror,
// store and internal/wire (to build the service's directory in process),
// Bleve for the naive comparison, and nothing of cmd/ror.
//
//	go build -o bin/ror ./cmd/ror && go run ./cmd/rorbench -bin bin/ror -data var/national/data -sources var/national/sources
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// options are the benchmark's flags.
type options struct {
	bin, data, sources string
	n                  int           // requests per case
	load               time.Duration // wrk duration; 0 = no load
	conns              int           // wrk connections of the saturating load (twice that at the offered one)
	think              time.Duration // mean think time of the offered load; 0 = no such run
	mix                string        // wrk script of the query mix
	naive              bool          // compare with the naive Bleve way
	reimport           bool          // (re)import from sources first, timed
	cpuprofile         string        // CPU profile of the in-process cases
	local              bool          // in-process cases only (no naive, no server)
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("rorbench", flag.ContinueOnError)
	fs.StringVar(&o.bin, "bin", filepath.Join("bin", "ror"), "binaire ror à servir")
	fs.StringVar(&o.data, "data", "", "répertoire de données à mesurer (jeu national)")
	fs.StringVar(&o.sources, "sources", "", "répertoire des sources, pour -import ou un répertoire de données neuf")
	fs.IntVar(&o.n, "n", 400, "requêtes par cas")
	fs.DurationVar(&o.load, "load", 30*time.Second, "durée de la charge wrk (0 = sans)")
	fs.IntVar(&o.conns, "conns", 32, "connexions wrk de la charge saturante (le double pour la charge offerte)")
	fs.DurationVar(&o.think, "think", 10*time.Millisecond, "temps de réflexion moyen par connexion de la charge offerte (0 = sans)")
	fs.StringVar(&o.mix, "mix", filepath.Join("api", "testdata", "load-mix.lua"), "script wrk du mélange de requêtes")
	fs.BoolVar(&o.naive, "naive", true, "comparer avec Bleve naïf")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "profil CPU (pprof) des cas en processus")
	fs.BoolVar(&o.local, "local", false, "cas en processus seulement")
	fs.BoolVar(&o.reimport, "import", false, "(ré)importer -sources d'abord, chronométré")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.data == "" {
		return o, errors.New("-data est requis (make bench le passe)")
	}
	return o, nil
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	o, err := parseFlags(os.Args[1:])
	if err == nil {
		err = bench(ctx, o, os.Stdout)
	}
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "rorbench:", err)
		os.Exit(1)
	}
}
