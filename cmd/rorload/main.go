// Command rorload runs the real service on loopback for a bounded time
// under a mixed load — coordinators' reads (searches by commune and type
// d'UO, free text, facets, suggestions, communes, fiches, proximité,
// GeoJSON) while gestionnaires write beds (PUT and bulk feeds) and
// référents' dossiers are submitted and validated — and watches the
// server's resident memory. It fails on any unexpected answer (5xx, or a
// 4xx the scenario never provokes) and when the median RSS of the last
// third of the run exceeds that of the second third by more than
// -max-growth (the first third is warm-up).
//
//	go build -o bin/ror ./cmd/ror && go run ./cmd/rorload -bin bin/ror -sources ../shared/data
//
// It imports the sources into a temp dir, so it needs no running service;
// rate limits are off. Only the standard library: it talks HTTP like any
// client, and reads /proc/<pid>/status for the memory.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

type options struct {
	bin, sources       string
	duration           time.Duration
	readers, writers   int
	maxGrowth          float64
	keep, curve        bool
	bedEGs, draftEGs   int
	sampleEvery        time.Duration
	scheduledPublishIn time.Duration
	writePause         time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/ror", "binaire ror à lancer")
	flag.StringVar(&o.sources, "sources", "../shared/data", "répertoire des fichiers officiels")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "durée de la charge")
	flag.IntVar(&o.readers, "readers", 8, "clients de lecture simultanés")
	flag.IntVar(&o.writers, "writers", 4, "clients d'écriture simultanés (lits, flux, brouillons)")
	flag.Float64Var(&o.maxGrowth, "max-growth", 0.10, "croissance tolérée de la mémoire résidente (médiane du dernier tiers / deuxième tiers − 1)")
	flag.BoolVar(&o.keep, "keep", false, "garder le répertoire de données temporaire")
	flag.DurationVar(&o.writePause, "write-pause", 100*time.Millisecond, "pause de chaque écrivain entre deux écritures")
	flag.BoolVar(&o.curve, "v", false, "afficher la courbe de la mémoire résidente")
	flag.Parse()
	o.bedEGs, o.draftEGs, o.sampleEvery = 16, 4, time.Second
	o.scheduledPublishIn = min(5*time.Second, o.duration/4)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := run(ctx, o)
	if rep != nil {
		rep.print(os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "rorload:", err)
		os.Exit(1)
	}
}

// run starts the service, drives the load, stops the service and checks
// the outcome.
func run(ctx context.Context, o options) (*report, error) {
	srv, err := startServer(ctx, o)
	if err != nil {
		return nil, err
	}
	defer srv.stop(o.keep)
	plan, err := newPlan(ctx, srv, o)
	if err != nil {
		return nil, err
	}
	rep := drive(ctx, srv, plan, o)
	if o.duration >= 40*time.Second { // the service looks for due drafts every 30 s
		if err := plan.checkScheduled(ctx); err != nil {
			rep.fail("publication programmée : %v", err)
		}
	}
	if n := srv.errorLines(); n > 0 {
		rep.fail("%d ligne(s) d'erreur dans le journal du service", n)
	}
	return rep, rep.verdict(o.maxGrowth)
}
