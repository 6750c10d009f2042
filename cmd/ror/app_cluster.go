package main

import (
	"context"
	"path/filepath"
	"strconv"

	"github.com/ror-recherche/ror/api"
	"github.com/ror-recherche/ror/internal/wire"
	"github.com/ror-recherche/ror/replica"
	"github.com/ror-recherche/ror/store"
)

// openStore opens the data dir's store; with -cluster, after starting this
// node's NATS server, through the cluster (a new node restores the latest
// snapshot, a restarted one resumes the log).
func (a *App) openStore(ctx context.Context) (*store.DB, error) {
	dir := filepath.Join(a.cfg.DataDir, "badger")
	open := func() (*store.DB, error) { return store.Open(dir, store.Options{Logger: a.log}) }
	c := a.cfg.Cluster
	if !c.On || a.cfg.Command != "serve" {
		return open()
	}
	n, err := replica.Start(ctx, replica.Config{Name: c.Name, Listen: c.Listen, Peers: c.Peers, Client: c.Client, Dir: a.cfg.DataDir,
		Logger: a.log.With("noeud", c.Name), MaxLag: c.MaxLag, Timeout: c.Timeout, SnapshotEvery: c.SnapshotEvery, Keep: c.Keep, Forget: c.Forget})
	if err != nil {
		return nil, err
	}
	db, err := n.Join(ctx, dir, open)
	if err != nil {
		n.Close()
		return nil, err
	}
	a.node = n
	a.users = replica.NewUsers(n, db)
	return db, nil
}

// replicated returns what the server answers from and what publishes the
// due drafts: the workflows themselves, or with -cluster the same through
// the log, whose applier then starts.
func (a *App) replicated(svc *wire.Service) (api.Services, dueDesk, error) {
	v := svc.API(a.db)
	if a.node == nil {
		return v, svc.Dossiers, nil
	}
	v.Beds = replica.NewBeds(a.node, svc.Beds)
	d := replica.NewDossiers(a.node, svc.Dossiers)
	v.Dossiers = d
	v.Reports = replica.NewReports(a.node, svc.Reports)
	if svc.ProDesk != nil {
		v.ProDesk = replica.NewPros(a.node, svc.ProDesk)
	}
	return v, d, a.node.Run()
}

// signinUsers is the accounts of sign-in: the store, or through the log.
func (a *App) signinUsers() api.Users {
	if a.users != nil {
		return a.users
	}
	return a.db.Accounts()
}

// signinSessions is the browser sessions: the store, or through the log.
func (a *App) signinSessions() api.Sessions {
	if a.users != nil {
		return a.users
	}
	return a.db.Sessions()
}

// cluster is the node's status for /readyz and /metrics; nil alone.
func (a *App) cluster() api.Cluster {
	if a.node == nil {
		return nil
	}
	return a.node
}

// failed is closed when this node can no longer apply the log (a cluster
// node only): serve then ends, and a restart by the supervisor rejoins.
func (a *App) failed() (<-chan struct{}, func() error) {
	if a.node == nil {
		return nil, func() error { return nil }
	}
	return a.node.Failed(), a.node.Err
}

func parseUint(v string) (uint64, error) { return strconv.ParseUint(v, 10, 64) }
