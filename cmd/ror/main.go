// Command ror runs ROR Recherche: it imports the official open data into a
// Badger data dir on first start, builds the index and serves the API and the
// web page. It may import every package of the project but cmd/rorbench
// and cmd/rorload; internal/wire assembles the directory for it.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := Main(ctx, os.Args[1:], os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "ror:", err)
		os.Exit(1)
	}
}
