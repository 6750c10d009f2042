package replica

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/ror-recherche/ror/store"
)

// markerFile, in the node's data dir, names the cluster whose log its store
// applies (the genesis key's value).
const markerFile = "grappe.id"

// Join opens the node's store (open opens the Badger dir at dir) and brings
// it into the cluster: a store that applies this cluster's log resumes
// where it stopped; an empty one restores the latest snapshot, and so does
// one left behind the log's compaction; the first node of a new cluster,
// its offer imported, writes the first snapshot. A store holding data of
// its own is refused, never overwritten.
func (n *Node) Join(ctx context.Context, dir string, open func() (*store.DB, error)) (*store.DB, error) {
	db, err := open()
	if err != nil {
		return nil, err
	}
	mine, _ := os.ReadFile(filepath.Join(n.cfg.Dir, markerFile))
	marker := strings.TrimSpace(string(mine))
	for {
		if err := ctx.Err(); err != nil {
			db.Close()
			return nil, err
		}
		genesis, err := n.genesis(ctx)
		if err != nil {
			n.log.Warn("grappe: lecture de la genèse, nouvel essai", "err", err)
			sleep(ctx, time.Second)
			continue
		}
		has, err := db.Progress().HasOffer()
		if err != nil {
			db.Close()
			return nil, err
		}
		switch {
		case genesis != "" && marker == genesis:
			applied, err := db.Progress().Applied()
			if err != nil {
				db.Close()
				return nil, err
			}
			// Reported before looking at the log: from now on the compaction
			// keeps what this node needs.
			n.report(ctx, applied)
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			info, err := n.stream.Info(c)
			cancel()
			if err != nil {
				n.log.Warn("grappe: état du journal, nouvel essai", "err", err)
				sleep(ctx, time.Second)
				continue
			}
			if applied+1 >= info.State.FirstSeq {
				n.db = db
				n.log.Info("grappe: reprise", "appliqué", applied, "journal", info.State.LastSeq)
				return db, nil
			}
			n.log.Warn("grappe: ce nœud est derrière la compaction du journal, il repart de l'instantané", "appliqué", applied, "premier", info.State.FirstSeq)
			return n.restore(ctx, dir, db, open, genesis)
		case genesis != "" && !has:
			return n.restore(ctx, dir, db, open, genesis)
		case genesis != "":
			db.Close()
			return nil, fmt.Errorf("replica: le répertoire %s a ses propres données, pas celles de la grappe : le vider pour que ce nœud la rejoigne", dir)
		case has:
			id := make([]byte, 16)
			_, _ = rand.Read(id)
			c, cancel := context.WithTimeout(ctx, 5*time.Second)
			_, err := n.meta.Create(c, genesisKey, []byte(hex.EncodeToString(id)))
			cancel()
			if err != nil {
				if !errors.Is(err, jetstream.ErrKeyExists) {
					n.log.Warn("grappe: fondation, nouvel essai", "err", err)
					sleep(ctx, time.Second)
				}
				continue // or another node founded it first
			}
			n.db = db
			if _, err := n.snapshot(ctx); err != nil {
				db.Close()
				return nil, fmt.Errorf("replica: premier instantané: %w", err)
			}
			if err := writeMarker(n.cfg.Dir, hex.EncodeToString(id)); err != nil {
				db.Close()
				return nil, err
			}
			n.log.Info("grappe: fondée par ce nœud")
			return db, nil
		default:
			n.log.Info("grappe: en attente d'un nœud qui a les données (ror import sur l'un d'eux)")
			if err := sleep(ctx, 2*time.Second); err != nil {
				db.Close()
				return nil, err
			}
		}
	}
}

func (n *Node) genesis(ctx context.Context) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	e, err := n.meta.Get(ctx, genesisKey)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return string(e.Value()), nil
}

// restore empties the store and loads the latest snapshot into it.
func (n *Node) restore(ctx context.Context, dir string, db *store.DB, open func() (*store.DB, error), genesis string) (*store.DB, error) {
	start := time.Now()
	for {
		db.Close()
		if err := os.RemoveAll(dir); err != nil {
			return nil, err
		}
		var err error
		if db, err = open(); err != nil {
			return nil, err
		}
		c, cancel := context.WithTimeout(ctx, 10*time.Minute)
		obj, err := n.snaps.Get(c, snapObject)
		if err == nil {
			err = db.Restore(obj)
			obj.Close()
		}
		cancel()
		if err == nil {
			break
		}
		// The snapshot replaced while read, or not written yet by the founder.
		n.log.Warn("grappe: instantané illisible, nouvel essai", "err", err)
		if err := sleep(ctx, 2*time.Second); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := writeMarker(n.cfg.Dir, genesis); err != nil {
		db.Close()
		return nil, err
	}
	applied, _ := db.Progress().Applied()
	n.report(ctx, applied)
	n.db = db
	n.log.Info("grappe: instantané restauré", "appliqué", applied, "durée", time.Since(start).Round(time.Millisecond))
	return db, nil
}

// snapshot writes the store's backup as the cluster's snapshot and returns
// the sequence it holds at least (the backup is taken after reading it).
func (n *Node) snapshot(ctx context.Context) (uint64, error) {
	seq, err := n.db.Progress().Applied()
	if err != nil {
		return 0, err
	}
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(n.db.Backup(pw)) }()
	_, err = n.snaps.Put(ctx, jetstream.ObjectMeta{Name: snapObject,
		Metadata: map[string]string{"sequence": strconv.FormatUint(seq, 10), "node": n.cfg.Name}}, pr)
	pr.CloseWithError(err)
	if err != nil {
		return 0, err
	}
	n.stats.snaps.Add(1)
	return seq, nil
}

// compactor keeps the log short: every SnapshotEvery, the node that leads
// the stream writes a snapshot and purges the log behind it, Keep messages
// kept.
type compactor struct{ n *Node }

func (c compactor) run() {
	n := c.n
	defer n.wg.Done()
	t := time.NewTicker(n.cfg.SnapshotEvery)
	defer t.Stop()
	for {
		select {
		case <-n.stop:
			return
		case <-t.C:
		}
		if err := c.compact(); err != nil {
			n.log.Warn("grappe: instantané", "err", err)
		}
	}
}

func (c compactor) compact() error {
	n := c.n
	// A request in flight when a leader dies gets no answer: each has its
	// own short deadline, the snapshot's transfer a long one.
	short, cancelShort := context.WithTimeout(n.ctx, 5*time.Second)
	defer cancelShort()
	info, err := n.stream.Info(short)
	if err != nil {
		return err
	}
	if info.Cluster != nil && info.Cluster.Leader != "" && info.Cluster.Leader != n.cfg.Name {
		n.log.Debug("grappe: instantané laissé au meneur", "meneur", info.Cluster.Leader)
		return nil
	}
	if oi, err := n.snaps.GetInfo(short, snapObject); err == nil {
		if prev, _ := strconv.ParseUint(oi.Metadata["sequence"], 10, 64); prev >= n.applied.Load() {
			return nil // nothing new since
		}
	}
	ctx, cancel := context.WithTimeout(n.ctx, 5*time.Minute)
	defer cancel()
	seq, err := n.snapshot(ctx)
	if err != nil {
		return err
	}
	n.log.Info("grappe: instantané écrit", "séquence", seq)
	if seq <= n.cfg.Keep {
		return nil
	}
	upto := seq - n.cfg.Keep // kept: the messages after upto
	// and those that a node still reporting has not applied yet
	after, cancelAfter := context.WithTimeout(n.ctx, 10*time.Second)
	defer cancelAfter()
	if keys, err := n.nodes.Keys(after); err == nil {
		for _, k := range keys {
			if e, err := n.nodes.Get(after, k); err == nil {
				if a, err := strconv.ParseUint(string(e.Value()), 10, 64); err == nil && a < upto+n.cfg.Keep {
					upto = min(upto, a-min(a, n.cfg.Keep))
				}
			}
		}
	}
	if upto < info.State.FirstSeq {
		n.log.Debug("grappe: compaction retenue", "jusqu'à", upto, "premier", info.State.FirstSeq)
		return nil
	}
	if err := n.stream.Purge(after, jetstream.WithPurgeSequence(upto+1)); err != nil {
		return err
	}
	n.log.Info("grappe: journal compacté", "premier gardé", upto+1)
	return nil
}

// report records this node's applied sequence for the compaction.
func (n *Node) report(ctx context.Context, applied uint64) {
	c, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := n.nodes.Put(c, n.cfg.Name, []byte(strconv.FormatUint(applied, 10))); err != nil {
		n.log.Warn("grappe: progression non publiée", "err", err)
	}
}

func writeMarker(dir, id string) error {
	tmp := filepath.Join(dir, markerFile+".tmp")
	if err := os.WriteFile(tmp, []byte(id+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, markerFile))
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(d):
		return nil
	}
}
