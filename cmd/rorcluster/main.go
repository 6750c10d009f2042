// Command rorcluster runs three ror nodes of a cluster (serve -cluster) on
// loopback and breaks them on purpose under a mixed load, bounded in time:
// it SIGKILLs one node then another, stops one for a while and brings it
// back, wipes one node's data dir and lets it rejoin from the snapshot and
// the log. Then it checks, on every node's store, that every acknowledged
// write is there exactly once and that the data digests are identical, and
// that no answer was a 5xx other than a 503 with Retry-After.
//
//	go build -o bin/ror ./cmd/ror && go run ./cmd/rorcluster -bin bin/ror -sources ../shared/data
//
// With -serve it only starts the three nodes and waits for Ctrl-C (make
// cluster). It may import store, to read the nodes' stores once they are
// stopped; it talks to the nodes over HTTP like any client.
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
	bin, sources, deps, dir string
	serve, keep             bool
	writers, readers        int
	warm, down, stopFor     time.Duration
	snapshotEvery, forget   time.Duration
	keepMsgs                int
	basePort                int
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/ror", "binaire ror")
	flag.StringVar(&o.sources, "sources", "../shared/data", "répertoire des fichiers officiels")
	flag.StringVar(&o.deps, "departements", "01", "départements importés (petites données : rapide)")
	flag.StringVar(&o.dir, "dir", "", "répertoire des trois nœuds (vide : temporaire)")
	flag.BoolVar(&o.serve, "serve", false, "démarrer les trois nœuds et attendre Ctrl-C, sans panne ni charge")
	flag.BoolVar(&o.keep, "keep", false, "garder les répertoires des nœuds")
	flag.IntVar(&o.writers, "writers", 6, "écrivains simultanés, répartis sur les trois nœuds")
	flag.IntVar(&o.readers, "readers", 4, "lecteurs simultanés")
	flag.DurationVar(&o.warm, "warm", 10*time.Second, "charge avant et entre les pannes")
	flag.DurationVar(&o.down, "down", 8*time.Second, "durée d'un nœud tué avant sa relance")
	flag.DurationVar(&o.stopFor, "stop-for", 30*time.Second, "durée d'un nœud arrêté avant son retour")
	flag.DurationVar(&o.snapshotEvery, "snapshot-every", 5*time.Second, "intervalle des instantanés des nœuds (compaction)")
	flag.DurationVar(&o.forget, "forget", 15*time.Second, "un nœud muet plus longtemps ne retient plus la compaction (le nœud arrêté repart alors de l'instantané)")
	flag.IntVar(&o.keepMsgs, "keep-messages", 20, "messages gardés derrière un instantané")
	flag.IntVar(&o.basePort, "port", 0, "premier port HTTP (puis +1, +2), routes NATS à port+100… ; 0 = ports libres")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "rorcluster:", err)
		os.Exit(1)
	}
}
