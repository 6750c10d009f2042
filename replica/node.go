package replica

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/ror-recherche/ror/store"
)

// The stream of writes, its subjects, and the buckets beside it.
const (
	streamName  = "ROR_ECRITURES"
	subjectRoot = "ror.ecriture."
	snapBucket  = "ROR_INSTANTANES"
	snapObject  = "instantane"
	metaBucket  = "ROR_GRAPPE"
	nodesBucket = "ROR_NOEUDS" // each node's applied sequence, forgotten after Config.Forget
	genesisKey  = "genese"
)

// Config is one node of a cluster.
type Config struct {
	Name    string   // this node's name, unique in the cluster (n1)
	Listen  string   // address of the cluster routes (127.0.0.1:6222)
	Peers   []string // the other nodes' route addresses; none: a cluster of one
	Client  string   // optional address for NATS clients (monitoring, the nats CLI); "": none
	Dir     string   // the node's data dir: JetStream keeps its files under it
	Logger  *slog.Logger
	MaxLag  uint64        // /readyz answers 503 while the node is more messages behind; default 1000
	Timeout time.Duration // the longest a write waits for the quorum and its application; default 10 s
	// SnapshotEvery is how often the stream's leader writes a snapshot and
	// purges the log behind it (default 10 min); Keep messages are kept
	// behind it, for nodes a little behind to catch up without a snapshot.
	SnapshotEvery time.Duration
	Keep          uint64
	// Forget is how long a node that stopped reporting its progress still
	// holds back the compaction (default 10 min): one stopped longer
	// restores the snapshot when it comes back.
	Forget time.Duration
}

// Node is this process's part of the cluster.
type Node struct {
	cfg    Config
	log    *slog.Logger
	srv    *server.Server
	nc     *nats.Conn
	js     jetstream.JetStream
	stream jetstream.Stream
	snaps  jetstream.ObjectStore
	meta   jetstream.KeyValue
	nodes  jetstream.KeyValue
	db     *store.DB

	ops     map[string]func(ctx context.Context, args []byte) (any, error)
	mu      sync.Mutex
	waiting map[string]chan outcome // by message id, the writes of this node

	applied  atomic.Uint64 // the last message applied here
	last     atomic.Uint64 // the last message the stream is known to have
	running  atomic.Bool   // the applier runs
	fatal    atomic.Pointer[error]
	failed   chan struct{} // closed when the applier stops for good
	stats    stats
	stop     chan struct{}
	ctx      context.Context // cancelled by Close: requests in flight end
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	closeOne sync.Once
}

// Start starts the node's NATS server and waits (up to ctx) until the
// cluster has a quorum and the stream and its buckets exist.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.MaxLag == 0 {
		cfg.MaxLag = 1000
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Forget == 0 {
		cfg.Forget = 10 * time.Minute
	}
	if cfg.SnapshotEvery == 0 {
		cfg.SnapshotEvery = 10 * time.Minute
	}
	if cfg.Name == "" {
		return nil, errors.New("replica: -cluster-name manquant")
	}
	opts := &server.Options{
		ServerName:         cfg.Name,
		JetStream:          true,
		StoreDir:           filepath.Join(cfg.Dir, "jetstream"),
		JetStreamMaxMemory: 64 << 20,
		JetStreamMaxStore:  8 << 30,
		NoSigs:             true,
		NoLog:              true,
		// The service talks to its server in process; the client port, on
		// loopback and random unless -cluster-client, is for monitoring.
		Host: "127.0.0.1", Port: server.RANDOM_PORT,
	}
	if cfg.Client != "" {
		host, port, err := splitAddr(cfg.Client)
		if err != nil {
			return nil, fmt.Errorf("replica: -cluster-client: %w", err)
		}
		opts.Host, opts.Port = host, port
	}
	if len(cfg.Peers) > 0 {
		host, port, err := splitAddr(cfg.Listen)
		if err != nil {
			return nil, fmt.Errorf("replica: -cluster-listen: %w", err)
		}
		opts.Cluster = server.ClusterOpts{Name: "ror", Host: host, Port: port}
		for _, p := range cfg.Peers {
			u, err := url.Parse("nats://" + p)
			if err != nil {
				return nil, fmt.Errorf("replica: -cluster-peers %q: %w", p, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	if err := os.MkdirAll(opts.StoreDir, 0o755); err != nil {
		return nil, err
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("replica: serveur NATS: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("replica: le serveur NATS n'a pas démarré en 30 s")
	}
	nc, err := nats.Connect("", nats.InProcessServer(srv), nats.MaxReconnects(-1), nats.Name("ror-"+cfg.Name))
	if err != nil {
		srv.Shutdown()
		return nil, err
	}
	n := &Node{cfg: cfg, log: cfg.Logger, srv: srv, nc: nc, ops: map[string]func(context.Context, []byte) (any, error){},
		waiting: map[string]chan outcome{}, stop: make(chan struct{}), failed: make(chan struct{})}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	n.stats.init()
	if n.js, err = jetstream.New(nc); err != nil {
		n.Close()
		return nil, err
	}
	replicas := min(len(cfg.Peers)+1, 3)
	// The meta leader needs a quorum of the servers: until two of three are
	// up, creating the stream fails; try again until ctx ends.
	for {
		err = n.setup(ctx, replicas)
		if err == nil {
			break
		}
		n.log.Info("grappe: en attente du quorum", "err", err)
		select {
		case <-ctx.Done():
			n.Close()
			return nil, fmt.Errorf("replica: pas de quorum: %w", err)
		case <-time.After(time.Second):
		}
	}
	return n, nil
}

func (n *Node) setup(ctx context.Context, replicas int) error {
	c, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var err error
	n.stream, err = n.js.CreateOrUpdateStream(c, jetstream.StreamConfig{
		Name: streamName, Subjects: []string{subjectRoot + ">"}, Replicas: replicas, Storage: jetstream.FileStorage,
		Retention: jetstream.LimitsPolicy, Duplicates: 2 * time.Minute, // a write sent again after a lost ack is kept once
		AllowDirect: true,
	})
	if err != nil {
		return err
	}
	if n.snaps, err = n.js.CreateOrUpdateObjectStore(c, jetstream.ObjectStoreConfig{Bucket: snapBucket, Replicas: replicas, Storage: jetstream.FileStorage}); err != nil {
		return err
	}
	if n.meta, err = n.js.CreateOrUpdateKeyValue(c, jetstream.KeyValueConfig{Bucket: metaBucket, Replicas: replicas, Storage: jetstream.FileStorage}); err != nil {
		return err
	}
	n.nodes, err = n.js.CreateOrUpdateKeyValue(c, jetstream.KeyValueConfig{Bucket: nodesBucket, Replicas: replicas, Storage: jetstream.FileStorage, TTL: n.cfg.Forget})
	return err
}

// Close stops the applier and the snapshots, then the NATS server.
func (n *Node) Close() error {
	n.closeOne.Do(func() {
		close(n.stop)
		n.cancel()
		n.wg.Wait()
		if n.nc != nil {
			n.nc.Close()
		}
		n.srv.Shutdown()
		n.srv.WaitForShutdown()
	})
	return nil
}

func splitAddr(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	return host, port, err
}
