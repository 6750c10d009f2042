package api

import "strings"

// Cluster is the replication status of a node of a cluster (package
// replica): /readyz answers 503 while it is not ready (far behind the log,
// or joining), /metrics gets its series.
type Cluster interface {
	Ready() error
	WriteMetrics(b *strings.Builder)
}
