package main

import (
	"flag"
	"time"
)

// ClusterConfig makes serve a node of a cluster (package replica): the
// writes go through a log replicated on three NATS JetStream servers, one
// embedded in each node. Off (the default): one process, Badger alone.
type ClusterConfig struct {
	On            bool
	Name          string   // this node, unique in the cluster
	Listen        string   // the routes between the nodes' NATS servers
	Peers         []string // the other nodes' -cluster-listen
	Client        string   // optional NATS client port (monitoring); "" = none
	MaxLag        uint64   // /readyz 503 past this many messages behind
	Timeout       time.Duration
	SnapshotEvery time.Duration
	Keep          uint64
	Forget        time.Duration
}

// clusterFlags registers the flags of serve that make it a cluster node.
func clusterFlags(fs *flag.FlagSet, c *ClusterConfig, getenv func(string) string) {
	fs.BoolVar(&c.On, "cluster", envBool(getenv, "ROR_CLUSTER"), "nœud d'une grappe : les écritures passent par un journal répliqué (NATS JetStream embarqué) ; sans -cluster-peers, une grappe d'un nœud (ROR_CLUSTER=1)")
	fs.StringVar(&c.Name, "cluster-name", getenv("ROR_CLUSTER_NAME"), "nom de ce nœud, unique dans la grappe (ROR_CLUSTER_NAME)")
	fs.StringVar(&c.Listen, "cluster-listen", or(getenv("ROR_CLUSTER_LISTEN"), "127.0.0.1:6222"), "adresse des routes entre les nœuds (ROR_CLUSTER_LISTEN)")
	fs.Func("cluster-peers", "adresses -cluster-listen des autres nœuds, séparées par des virgules (ROR_CLUSTER_PEERS)", func(v string) error {
		c.Peers = splitList(v)
		return nil
	})
	if v := getenv("ROR_CLUSTER_PEERS"); v != "" {
		c.Peers = splitList(v)
	}
	fs.StringVar(&c.Client, "cluster-client", getenv("ROR_CLUSTER_CLIENT"), "port client NATS facultatif (supervision, nats CLI) ; vide = aucun (ROR_CLUSTER_CLIENT)")
	fs.Func("cluster-max-lag", "messages de retard au-delà desquels /readyz répond 503 (défaut 1000)", func(v string) error {
		n, err := parseUint(v)
		c.MaxLag = n
		return err
	})
	fs.DurationVar(&c.Timeout, "cluster-timeout", 10*time.Second, "attente maximale d'une écriture (quorum puis application locale) avant un 503")
	fs.DurationVar(&c.SnapshotEvery, "cluster-snapshot-every", 10*time.Minute, "intervalle des instantanés, derrière lesquels le journal est compacté")
	fs.Func("cluster-keep", "messages gardés derrière chaque instantané (défaut 10000)", func(v string) error {
		n, err := parseUint(v)
		c.Keep = n
		return err
	})
	c.Keep = 10000
	fs.DurationVar(&c.Forget, "cluster-forget", 10*time.Minute, "au-delà, un nœud qui ne donne plus sa progression ne retient plus la compaction : il repartira de l'instantané")
}
