package replica

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// delayBuckets are the upper bounds (seconds) of the replication delays.
var delayBuckets = []float64{0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}

type histogram struct {
	mu     sync.Mutex
	counts []uint64 // per bucket, the last one past every bound
	sum    float64
	n      uint64
}

func (h *histogram) observe(d time.Duration) {
	s := d.Seconds()
	i := sort.SearchFloat64s(delayBuckets, s)
	h.mu.Lock()
	h.counts[i]++
	h.sum += s
	h.n++
	h.mu.Unlock()
}

func (h *histogram) write(b *strings.Builder, name, help string) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name)
	h.mu.Lock()
	defer h.mu.Unlock()
	var cum uint64
	for i, le := range delayBuckets {
		cum += h.counts[i]
		fmt.Fprintf(b, "%s_bucket{le=\"%g\"} %d\n", name, le, cum)
	}
	fmt.Fprintf(b, "%s_bucket{le=\"+Inf\"} %d\n%s_sum %g\n%s_count %d\n", name, h.n, name, h.sum, name, h.n)
}

type stats struct {
	delay   histogram     // stored on a quorum → applied here, live (less than tail behind)
	catchup atomic.Uint64 // messages applied further behind (a restart)
	quorum  histogram     // sent → stored on a quorum, the writes of this node
	applied atomic.Uint64
	acked   atomic.Uint64 // writes of this node answered after their application
	failed  atomic.Uint64 // writes of this node answered 503
	errors  atomic.Uint64 // messages whose application failed here alone
	first   atomic.Uint64 // the stream's first sequence (after compaction)
	snaps   atomic.Uint64 // snapshots written by this node
}

func (s *stats) init() {
	s.delay.counts = make([]uint64, len(delayBuckets)+1)
	s.quorum.counts = make([]uint64, len(delayBuckets)+1)
}

// WriteMetrics appends the replication series to a Prometheus text page.
func (n *Node) WriteMetrics(b *strings.Builder) {
	ready := 1
	if n.Ready() != nil {
		ready = 0
	}
	fmt.Fprintf(b, "# HELP ror_replication_lag_messages Messages of the write log not applied on this node yet.\n# TYPE ror_replication_lag_messages gauge\nror_replication_lag_messages %d\n", n.Lag())
	fmt.Fprintf(b, "# HELP ror_replication_applied_sequence Last message of the write log applied on this node.\n# TYPE ror_replication_applied_sequence gauge\nror_replication_applied_sequence %d\n", n.applied.Load())
	fmt.Fprintf(b, "# HELP ror_replication_log_first_sequence First message kept in the log (the older ones are in a snapshot).\n# TYPE ror_replication_log_first_sequence gauge\nror_replication_log_first_sequence %d\n", n.stats.first.Load())
	fmt.Fprintf(b, "# HELP ror_replication_ready 1 when this node applies the log and is within the lag bound.\n# TYPE ror_replication_ready gauge\nror_replication_ready %d\n", ready)
	for _, c := range []struct {
		name, help string
		v          uint64
	}{
		{"ror_replication_applied_total", "Messages applied on this node since it started.", n.stats.applied.Load()},
		{"ror_replication_writes_acknowledged_total", "Writes taken by this node, stored on a quorum and applied here.", n.stats.acked.Load()},
		{"ror_replication_writes_unavailable_total", "Writes taken by this node answered 503 (no quorum, or not applied in time).", n.stats.failed.Load()},
		{"ror_replication_apply_errors_total", "Messages whose application failed on this node (its store), digests to compare.", n.stats.errors.Load()},
		{"ror_replication_catchup_total", "Messages applied while catching up (more than 10 behind), not in the delay histogram.", n.stats.catchup.Load()},
		{"ror_replication_snapshots_total", "Snapshots written by this node.", n.stats.snaps.Load()},
	} {
		fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", c.name, c.help, c.name, c.name, c.v)
	}
	n.stats.delay.write(b, "ror_replication_delay_seconds", "From a write stored on a quorum to its application on this node, applied live.")
	n.stats.quorum.write(b, "ror_replication_quorum_seconds", "From a write sent by this node to its storage on a quorum.")
}
