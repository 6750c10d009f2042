package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// node is one ror process of the cluster.
type node struct {
	name, dir, base, route string
	peers                  []string
	o                      options
	cmd                    *exec.Cmd
	done                   chan struct{}
	logf                   *os.File
	started                time.Time
	hist                   []float64 // the live delay histogram of its past lives (cumulative counts by bucket)
}

func newNodes(o options, root string) ([]*node, error) {
	var ns []*node
	for i := range 3 {
		web, route := o.basePort+i, o.basePort+100+i
		if o.basePort == 0 { // free ports, for a run beside anything else
			var err error
			if web, err = freePort(); err != nil {
				return nil, err
			}
			if route, err = freePort(); err != nil {
				return nil, err
			}
		}
		ns = append(ns, &node{name: fmt.Sprintf("n%d", i+1), dir: filepath.Join(root, fmt.Sprintf("n%d", i+1)),
			base: fmt.Sprintf("http://127.0.0.1:%d", web), route: fmt.Sprintf("127.0.0.1:%d", route), o: o})
	}
	for _, n := range ns {
		for _, m := range ns {
			if m != n {
				n.peers = append(n.peers, m.route)
			}
		}
	}
	return ns, nil
}

// freePort returns a loopback port free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs the node's process, its log appended to <dir>.log.
func (n *node) start() error {
	f, err := os.OpenFile(n.dir+".log", os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	n.logf = f
	n.cmd = exec.Command(n.o.bin, "serve", "-data", n.dir, "-sources", n.o.sources, "-addr", strings.TrimPrefix(n.base, "http://"),
		"-read-rate", "-1", "-write-rate", "-1", "-reports-per-hour", "-1", "-log-level", "info",
		"-cluster", "-cluster-name", n.name, "-cluster-listen", n.route, "-cluster-peers", strings.Join(n.peers, ","),
		"-cluster-snapshot-every", n.o.snapshotEvery.String(), "-cluster-keep", strconv.Itoa(n.o.keepMsgs), "-cluster-forget", n.o.forget.String(), "-memory-mib", "0")
	n.cmd.Stdout, n.cmd.Stderr = f, f
	if err := n.cmd.Start(); err != nil {
		return err
	}
	n.started = time.Now()
	n.done = make(chan struct{})
	go func() { n.cmd.Wait(); f.Close(); close(n.done) }()
	return nil
}

func (n *node) alive() bool {
	if n.done == nil {
		return false
	}
	select {
	case <-n.done:
		return false
	default:
		return true
	}
}

// kill ends the process with sig and waits for it.
func (n *node) kill(sig syscall.Signal) {
	if !n.alive() {
		return
	}
	n.cmd.Process.Signal(sig)
	select {
	case <-n.done:
	case <-time.After(30 * time.Second):
		n.cmd.Process.Kill()
		<-n.done
	}
}

// waitReady waits until /readyz answers 200 (joined, lag within bound).
func (n *node) waitReady(ctx context.Context, within time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if !n.alive() {
			return 0, fmt.Errorf("%s s'est arrêté : voir %s.log", n.name, n.dir)
		}
		if resp, err := http.Get(n.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Since(n.started), nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return 0, fmt.Errorf("%s n'est pas prêt après %s : voir %s.log", n.name, within, n.dir)
}

// metrics returns the node's replication series: name (with its labels) → value.
func (n *node) metrics() (map[string]float64, error) {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(n.base + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	m := map[string]float64{}
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(line, "ror_replication_") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if v, err := strconv.ParseFloat(line[i+1:], 64); err == nil {
			m[line[:i]] = v
		}
	}
	if len(m) == 0 {
		return nil, errors.New(n.name + ": pas de série ror_replication_ dans /metrics")
	}
	return m, nil
}

// delayBuckets are replica's bounds (replica/stats.go).
var delayBuckets = []string{"0.001", "0.002", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "+Inf"}

// keepHistogram adds the live delay histogram of the running process to
// the node's past lives, before it is killed.
func (n *node) keepHistogram() {
	m, err := n.metrics()
	if err != nil {
		return
	}
	if n.hist == nil {
		n.hist = make([]float64, len(delayBuckets))
	}
	for i, le := range delayBuckets {
		n.hist[i] += m[`ror_replication_delay_seconds_bucket{le="`+le+`"}`]
	}
}
