package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ror-recherche/ror/store"
)

func logf(f string, a ...any) {
	fmt.Printf("%s  %s\n", time.Now().Format("15:04:05.000"), fmt.Sprintf(f, a...))
}

func run(ctx context.Context, o options) error {
	root := o.dir
	if root == "" {
		d, err := os.MkdirTemp("", "rorcluster-")
		if err != nil {
			return err
		}
		root = d
		if !o.keep && !o.serve {
			defer func() {
				if !o.keep {
					os.RemoveAll(root)
				}
			}()
		}
	}
	nodes, err := newNodes(o, root)
	if err != nil {
		return err
	}
	defer func() {
		for _, n := range nodes {
			n.kill(syscall.SIGTERM)
		}
	}()
	// The first node imports the sources and holds the accounts: it founds
	// the cluster, the others restore its snapshot.
	if _, err := os.Stat(nodes[0].dir); err != nil {
		logf("import des départements %s dans %s", o.deps, nodes[0].dir)
		out, err := exec.CommandContext(ctx, o.bin, "import", "-data", nodes[0].dir, "-sources", o.sources, "-departements", o.deps, "-log-level", "warn").CombinedOutput()
		if err != nil {
			return fmt.Errorf("ror import: %v: %s", err, out)
		}
	}
	token := ""
	tokFile := filepath.Join(root, "jeton-admin")
	if b, err := os.ReadFile(tokFile); err == nil {
		token = strings.TrimSpace(string(b))
	} else {
		out, err := exec.CommandContext(ctx, o.bin, "token", "-data", nodes[0].dir, "-name", "Grappe Administratrice", "-role", "administrateur").Output()
		if err != nil {
			return fmt.Errorf("ror token: %w", err)
		}
		token = strings.TrimSpace(string(out))
		os.WriteFile(tokFile, []byte(token+"\n"), 0o600)
	}
	start := time.Now()
	for _, n := range nodes {
		if err := n.start(); err != nil {
			return err
		}
	}
	for _, n := range nodes {
		if _, err := n.waitReady(ctx, 3*time.Minute); err != nil {
			return err
		}
	}
	logf("trois nœuds prêts en %s : %s, %s, %s", time.Since(start).Round(time.Millisecond), nodes[0].base, nodes[1].base, nodes[2].base)
	if o.serve {
		fmt.Printf("jeton administrateur : %s (dans %s)\nCtrl-C pour arrêter ; données dans %s\n", token, tokFile, root)
		<-ctx.Done()
		return nil
	}
	tg, err := findTargets(ctx, nodes[0])
	if err != nil {
		return err
	}
	logf("charge : %d écrivains sur %d UO et %d EG, %d lecteurs", o.writers, len(tg.uos), len(tg.egs), o.readers)

	var mu sync.Mutex
	down := map[*node]bool{}
	up := func(n *node) bool { mu.Lock(); defer mu.Unlock(); return !down[n] }
	setDown := func(n *node, d bool) { mu.Lock(); down[n] = d; mu.Unlock() }
	t, a := newTally(), &acked{}
	t.setCalm(true)
	lctx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	var wg sync.WaitGroup
	for w := range o.writers {
		wg.Go(func() { writer(lctx, w, o.writers, nodes, up, tg, token, t, a) })
	}
	for r := range o.readers {
		wg.Go(func() { reader(lctx, r, nodes, up, tg, t) })
	}
	var rejoin []string
	var steps []error
	step := func(err error) {
		if err != nil {
			steps = append(steps, err)
			logf("ÉCHEC : %v", err)
		}
	}
	restart := func(n *node, what string) {
		if err := n.start(); err != nil {
			step(err)
			return
		}
		d, err := n.waitReady(ctx, 3*time.Minute)
		step(err)
		if err == nil {
			setDown(n, false)
			go func() { pause(ctx, 3*time.Second); t.setCalm(true) }()
			rejoin = append(rejoin, fmt.Sprintf("%s %s : prêt %s après sa relance", what, n.name, d.Round(time.Millisecond)))
			logf("%s prêt de nouveau en %s", n.name, d.Round(time.Millisecond))
		}
	}
	crash := func(n *node, sig syscall.Signal) {
		t.setCalm(false)
		n.keepHistogram()
		setDown(n, true)
		n.kill(sig)
	}
	pause(ctx, o.warm)
	logf("SIGKILL %s", nodes[0].name)
	crash(nodes[0], syscall.SIGKILL)
	pause(ctx, o.down)
	restart(nodes[0], "tué (SIGKILL)")
	pause(ctx, o.warm)
	logf("SIGKILL %s", nodes[1].name)
	crash(nodes[1], syscall.SIGKILL)
	pause(ctx, o.down)
	restart(nodes[1], "tué (SIGKILL)")
	pause(ctx, o.warm)
	logf("arrêt de %s pour %s", nodes[2].name, o.stopFor)
	crash(nodes[2], syscall.SIGTERM)
	pause(ctx, o.stopFor)
	restart(nodes[2], "arrêté "+o.stopFor.String())
	pause(ctx, o.warm)
	logf("SIGKILL %s et effacement de son disque", nodes[0].name)
	crash(nodes[0], syscall.SIGKILL)
	if err := os.RemoveAll(nodes[0].dir); err != nil {
		return err
	}
	pause(ctx, o.down)
	restart(nodes[0], "disque effacé")
	pause(ctx, o.warm)
	stopLoad()
	wg.Wait()
	logf("charge arrêtée : %d écritures tentées, %d acquittées (%d lits, %d signalements, %d brouillons)",
		t.writes.Load(), len(a.beds)+len(a.reports)+len(a.drafts), len(a.beds), len(a.reports), len(a.drafts))

	// Converged: every node has applied the same last message, knows of no
	// later one (lag 0), and still says so 2 s later. A write answered 503
	// after its 10 s wait may still be committed by the log afterwards:
	// seen equal once, the nodes went on applying it after the first was
	// stopped, and the digests differed by that write.
	var seqs []float64
	last, since := -1.0, time.Time{} // the sequence seen equal and calm, since when
	deadline := time.Now().Add(90 * time.Second)
	for {
		seqs = seqs[:0]
		calm := true
		for _, n := range nodes {
			m, err := n.metrics()
			if err != nil {
				seqs = append(seqs, -1)
				calm = false
				continue
			}
			seqs = append(seqs, m["ror_replication_applied_sequence"])
			calm = calm && m["ror_replication_lag_messages"] == 0
		}
		if !calm || seqs[0] <= 0 || seqs[0] != seqs[1] || seqs[1] != seqs[2] {
			last = -1
		} else if seqs[0] != last {
			last, since = seqs[0], time.Now()
		} else if time.Since(since) >= 2*time.Second {
			break
		}
		if time.Now().After(deadline) {
			step(fmt.Errorf("les nœuds n'ont pas convergé en 90 s : séquences appliquées %v", seqs))
			break
		}
		pause(ctx, 500*time.Millisecond)
	}
	// Stopped together: a node stopped first would miss what the others
	// apply while they are stopped in turn.
	var stopping sync.WaitGroup
	for _, n := range nodes {
		n.keepHistogram()
		stopping.Go(func() { n.kill(syscall.SIGTERM) })
	}
	stopping.Wait()
	p99 := quantile(nodes, 0.99)
	p50 := quantile(nodes, 0.50)

	// Every node's store: the acknowledged writes once each, the digests.
	digests := map[string]string{}
	var lost, twice int
	for _, n := range nodes {
		db, err := store.Open(filepath.Join(n.dir, "badger"), store.Options{})
		if err != nil {
			return err
		}
		d, keys, err := db.Progress().Digest()
		if err != nil {
			db.Close()
			return err
		}
		applied, _ := db.Progress().Applied()
		digests[n.name] = d
		l, tw := checkAcked(ctx, db, a)
		lost += l
		twice += tw
		logf("%s : %d clés, appliqué jusqu'au message %d, empreinte %s, écritures acquittées absentes %d, en double %d", n.name, keys, applied, d[:16], l, tw)
		db.Close()
	}
	fmt.Println("réponses par nœud :")
	t.print(os.Stdout)
	fmt.Println("relances :")
	for _, r := range rejoin {
		fmt.Println("  " + r)
	}
	fmt.Printf("écritures acquittées : %d ; perdues : %d ; appliquées deux fois : %d ; relues sur leur nœud : %d (non relues : %d)\n",
		len(a.beds)+len(a.reports)+len(a.drafts), lost, twice, t.ryw.Load(), t.failedRW.Load())
	fmt.Printf("délai de réplication en direct (du quorum à l'application, tous nœuds) : p50 ≤ %s, p99 ≤ %s (bornes des seaux de l'histogramme)\n", p50, p99)
	same := digests["n1"] == digests["n2"] && digests["n2"] == digests["n3"]
	fmt.Printf("empreintes identiques : %v\n", same)
	if len(t.bad) > 0 {
		fmt.Println("réponses inattendues :")
		for _, b := range t.bad {
			fmt.Println("  " + b)
		}
	}
	switch {
	case len(steps) > 0:
		return fmt.Errorf("%d étape(s) en échec, la première : %w", len(steps), steps[0])
	case lost > 0 || twice > 0:
		return fmt.Errorf("%d écriture(s) acquittée(s) perdue(s), %d appliquée(s) deux fois", lost, twice)
	case !same:
		return fmt.Errorf("empreintes différentes : %v", digests)
	case len(t.bad) > 0:
		return fmt.Errorf("%w : %d", errBad, len(t.bad))
	case len(a.beds) == 0 || len(a.reports) == 0 || len(a.drafts) == 0:
		return fmt.Errorf("une sorte d'écriture n'a jamais été acquittée : la charge n'a rien prouvé")
	}
	fmt.Println("1 passed, 0 failed")
	return nil
}

// checkAcked counts the acknowledged writes missing from db, and those
// whose audit entry is there more than once (applied twice).
func checkAcked(ctx context.Context, db *store.DB, a *acked) (lost, twice int) {
	byUO := map[string][]time.Time{}
	for _, b := range a.beds {
		byUO[b.UO] = append(byUO[b.UO], b.Maj)
	}
	for uo, times := range byUO {
		ch, err := db.Offer().Changes(ctx, uo, 1_000_000)
		if err != nil {
			lost += len(times)
			continue
		}
		n := map[int64]int{}
		for _, c := range ch {
			if c.Kind == "capacitaire" {
				n[c.At.UnixNano()]++
			}
		}
		for _, at := range times {
			switch n[at.UnixNano()] {
			case 0:
				lost++
			case 1:
			default:
				twice++
			}
		}
	}
	for _, ids := range [][]string{a.reports, a.drafts} {
		for _, id := range ids {
			ch, err := db.Offer().Changes(ctx, id, 1000)
			switch {
			case err != nil || len(ch) == 0:
				lost++
			case len(ch) > 1:
				twice++
			}
		}
	}
	return lost, twice
}

// quantile is the upper bound of the bucket holding quantile q of the live
// delays of every node's lives.
func quantile(nodes []*node, q float64) string {
	sum := make([]float64, len(delayBuckets))
	for _, n := range nodes {
		for i := range n.hist {
			sum[i] += n.hist[i]
		}
	}
	total := sum[len(sum)-1]
	if total == 0 {
		return "?"
	}
	want := math.Ceil(q * total)
	i := sort.Search(len(sum), func(i int) bool { return sum[i] >= want })
	if i >= len(delayBuckets) {
		return "+Inf"
	}
	return delayBuckets[i] + " s"
}
