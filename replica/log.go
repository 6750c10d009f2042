package replica

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/ror-recherche/ror"
)

// envelope is one write of the log.
type envelope struct {
	Op   string    // which operation (ops.go)
	Node string    // the node that took the request
	At   time.Time // its time there: the write's time on every node
	Seed [32]byte  // its random bytes (identifiers, tokens, salts)
	Args []byte    // the operation's arguments, gob, with the writer's account
}

// outcome is what the applier computed for a write, handed to the request
// that sent it when it was sent from this node.
type outcome struct {
	v   any
	err error
}

// handle registers the applier of an operation; fn decodes its arguments.
func register[A any](n *Node, op string, fn func(ctx context.Context, at time.Time, a A) (any, error)) {
	n.ops[op] = func(ctx context.Context, raw []byte) (any, error) {
		var a A
		if err := gob.NewDecoder(bytes.NewReader(raw)).Decode(&a); err != nil {
			return nil, fmt.Errorf("replica: %s: arguments illisibles: %w", op, err)
		}
		return fn(ctx, ror.Now(ctx), a)
	}
}

// submit logs a write made at at, waits until the stream has it on a quorum
// and this node has applied it, and returns what the applier returned.
func submit[R any](ctx context.Context, n *Node, op string, at time.Time, args any) (R, error) {
	var zero R
	out, err := n.submit(ctx, op, at, args)
	if err != nil {
		return zero, err
	}
	if out.err != nil {
		return zero, out.err
	}
	r, _ := out.v.(R)
	return r, nil
}

func (n *Node) submit(ctx context.Context, op string, at time.Time, args any) (outcome, error) {
	var raw bytes.Buffer
	if err := gob.NewEncoder(&raw).Encode(args); err != nil {
		return outcome{}, err
	}
	env := envelope{Op: op, Node: n.cfg.Name, At: at.UTC(), Args: raw.Bytes()}
	_, _ = rand.Read(env.Seed[:])
	var msg bytes.Buffer
	if err := gob.NewEncoder(&msg).Encode(env); err != nil {
		return outcome{}, err
	}
	var idb [16]byte
	_, _ = rand.Read(idb[:])
	id := hex.EncodeToString(idb[:])
	ch := make(chan outcome, 1)
	n.mu.Lock()
	n.waiting[id] = ch
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		delete(n.waiting, id)
		n.mu.Unlock()
	}()
	// The request's own cancellation does not stop a write half sent: the
	// deadline is the node's.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), n.cfg.Timeout)
	defer cancel()
	start := time.Now()
	var ack *jetstream.PubAck
	var err error
	for {
		// The same message id on every try: the stream keeps one copy.
		pctx, pcancel := context.WithTimeout(wctx, 2*time.Second)
		ack, err = n.js.Publish(pctx, subjectRoot+op, msg.Bytes(), jetstream.WithMsgID(id), jetstream.WithExpectStream(streamName))
		pcancel()
		if err == nil || wctx.Err() != nil {
			break
		}
		select {
		case <-wctx.Done():
		case <-time.After(100 * time.Millisecond):
		}
	}
	if err != nil {
		n.stats.failed.Add(1)
		n.log.Warn("grappe: écriture non journalisée", "op", op, "err", err)
		return outcome{}, &ror.Error{Kind: ror.Unavailable, Err: err,
			Message: "La grappe n'a pas confirmé l'écriture (pas de quorum) : elle n'est peut-être pas enregistrée ; la relire puis réessayer dans quelques secondes."}
	}
	n.stats.quorum.observe(time.Since(start))
	n.noteLast(ack.Sequence)
	select {
	case out := <-ch:
		n.stats.acked.Add(1)
		return out, nil
	case <-wctx.Done():
		n.stats.failed.Add(1)
		return outcome{}, &ror.Error{Kind: ror.Unavailable, Err: wctx.Err(),
			Message: fmt.Sprintf("L'écriture est enregistrée dans le journal (n° %d) mais ce nœud ne l'a pas encore appliquée : la relire dans quelques secondes.", ack.Sequence)}
	}
}

func (n *Node) noteLast(seq uint64) {
	for {
		cur := n.last.Load()
		if seq <= cur || n.last.CompareAndSwap(cur, seq) {
			return
		}
	}
}

// Run starts applying the log from the message after the last one the
// store applied; every operation must be registered before.
func (n *Node) Run() error {
	seq, err := n.db.Progress().Applied()
	if err != nil {
		return err
	}
	n.applied.Store(seq)
	n.noteLast(seq)
	n.wg.Add(3)
	go n.apply()
	go n.watch()
	go compactor{n}.run()
	return nil
}

// apply reads the stream in order and applies each message, one at a time.
func (n *Node) apply() {
	defer n.wg.Done()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-n.stop; cancel() }()
	for ctx.Err() == nil {
		cons, err := n.stream.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{
			DeliverPolicy: jetstream.DeliverByStartSequencePolicy, OptStartSeq: n.applied.Load() + 1})
		if err != nil {
			n.log.Warn("grappe: lecteur du journal", "err", err)
			pause(ctx, time.Second)
			continue
		}
		it, err := cons.Messages()
		if err != nil {
			pause(ctx, time.Second)
			continue
		}
		n.running.Store(true)
		go func() { <-ctx.Done(); it.Stop() }()
		for {
			msg, err := it.Next()
			if err != nil {
				break
			}
			if err := n.applyOne(msg); err != nil {
				n.fatal.Store(&err)
				close(n.failed)
				n.running.Store(false)
				n.log.Error("grappe: application arrêtée", "err", err)
				it.Stop()
				return
			}
		}
		n.running.Store(false)
		it.Stop()
	}
}

// tail: a message applied with fewer after it is applied live.
const tail = 10

// errBehind: the messages this node needs were purged behind a snapshot.
var errBehind = errors.New("replica: le journal a été compacté au-delà de ce nœud : le redémarrer, il repartira de l'instantané")

func (n *Node) applyOne(msg jetstream.Msg) error {
	meta, err := msg.Metadata()
	if err != nil {
		return err
	}
	seq, applied := meta.Sequence.Stream, n.applied.Load()
	if seq <= applied {
		return nil // delivered again after a reconnection
	}
	if seq != applied+1 {
		return fmt.Errorf("%w (appliqué %d, suivant disponible %d)", errBehind, applied, seq)
	}
	var env envelope
	if err := gob.NewDecoder(bytes.NewReader(msg.Data())).Decode(&env); err != nil {
		return fmt.Errorf("replica: message %d illisible: %w", seq, err)
	}
	fn := n.ops[env.Op]
	if fn == nil {
		// Written by a newer binary: applying the rest without it would diverge.
		return fmt.Errorf("replica: opération %q du message %d inconnue de ce binaire", env.Op, seq)
	}
	ctx := ror.WithReplay(context.Background(), env.At, env.Seed)
	var out outcome
	for try := 0; ; try++ {
		n.db.Progress().Applying(seq)
		out.v, out.err = call(fn, ctx, env.Args)
		n.db.Progress().Applying(0)
		// A failure of the node itself (its disk) is tried again; a refusal
		// of the domain (400, 409, a stale figure) is the same on every node.
		if out.err == nil || ror.ErrorKind(out.err) != ror.Internal || try == 2 {
			break
		}
		n.log.Warn("grappe: application à refaire", "seq", seq, "op", env.Op, "err", out.err)
		time.Sleep(time.Duration(100<<try) * time.Millisecond)
		ctx = ror.WithReplay(context.Background(), env.At, env.Seed) // the same random bytes again
	}
	if out.err != nil && ror.ErrorKind(out.err) == ror.Internal {
		n.stats.errors.Add(1)
		n.log.Error("grappe: écriture en échec sur ce nœud (comparer les empreintes)", "seq", seq, "op", env.Op, "err", out.err)
	}
	if stored, err := n.db.Progress().Applied(); err != nil {
		return err
	} else if stored < seq { // nothing written: the refusal is recorded alone
		if err := n.db.Progress().SetApplied(seq); err != nil {
			return err
		}
	}
	n.applied.Store(seq)
	n.noteLast(seq + meta.NumPending)
	n.stats.applied.Add(1)
	if meta.NumPending < tail { // a node catching up after a restart is not the lag of the live cluster
		n.stats.delay.observe(time.Since(meta.Timestamp))
	} else {
		n.stats.catchup.Add(1)
	}
	if id := msg.Headers().Get(jetstream.MsgIDHeader); id != "" && env.Node == n.cfg.Name {
		n.mu.Lock()
		ch := n.waiting[id]
		n.mu.Unlock()
		if ch != nil {
			ch <- out
		}
	}
	return nil
}

// call runs fn, a panic becoming an error: the same on every node.
func call(fn func(context.Context, []byte) (any, error), ctx context.Context, args []byte) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, fmt.Errorf("replica: panic: %v", r)
		}
	}()
	return fn(ctx, args)
}

// watch keeps the stream's last sequence known, for the lag, even while
// nothing is delivered.
func (n *Node) watch() {
	defer n.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-n.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(n.ctx, 2*time.Second)
		if info, err := n.stream.Info(ctx); err == nil {
			n.noteLast(info.State.LastSeq)
			n.stats.first.Store(info.State.FirstSeq)
		}
		cancel()
		if n.fatal.Load() == nil {
			n.report(n.ctx, n.applied.Load())
		}
	}
}

func pause(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// Ready is nil when the node applies the log and is at most MaxLag
// messages behind; an Unavailable error saying why otherwise.
func (n *Node) Ready() error {
	if p := n.fatal.Load(); p != nil {
		return &ror.Error{Kind: ror.Unavailable, Err: *p, Message: "Ce nœud n'applique plus le journal des écritures : le redémarrer."}
	}
	if !n.running.Load() {
		return ror.Errorf(ror.Unavailable, "", "Ce nœud rejoint la grappe : réessayer dans quelques secondes.")
	}
	if lag := n.Lag(); lag > n.cfg.MaxLag {
		return ror.Errorf(ror.Unavailable, "", "Ce nœud rattrape le journal des écritures (%d en retard) : réessayer dans quelques secondes.", lag)
	}
	return nil
}

// Failed is closed when the applier has stopped for good (behind the
// compaction, a message it cannot read): the process should end, and a
// restart restores the snapshot.
func (n *Node) Failed() <-chan struct{} { return n.failed }

// Err is why the applier stopped; nil while it runs.
func (n *Node) Err() error {
	if p := n.fatal.Load(); p != nil {
		return *p
	}
	return nil
}

// Lag is how many messages of the log this node has not applied yet.
func (n *Node) Lag() uint64 {
	last, applied := n.last.Load(), n.applied.Load()
	if last <= applied {
		return 0
	}
	return last - applied
}

// Applied is the sequence of the last message applied here.
func (n *Node) Applied() uint64 { return n.applied.Load() }
