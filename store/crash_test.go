package store_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ror-recherche/ror/store"
)

// crashEGs is the size of the import a child writes when it is killed:
// 200,000 UOs, more than Badger commits in one internal batch.
const crashEGs = 40_000

// TestCrashDuringImport kills a child process with SIGKILL at random
// moments of a big import (writing, publishing, dropping the previous
// generation): reopening always finds one whole import, the previous or
// the new one.
func TestCrashDuringImport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes")
	}
	ctx := context.Background()
	dir := t.TempDir()
	db := open(t, dir)
	if err := db.Offer().ReplaceOffer(ctx, offer(50, "ancien")); err != nil {
		t.Fatal(err)
	}
	db.Close()
	sizes := map[string]int{"ancien": 50} // EGs of each import that may be found
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 0))
	deadline := time.Now().Add(25 * time.Second)
	var killed, finished int
	for i := 0; i < 8 && time.Now().Before(deadline); i++ {
		tag := fmt.Sprintf("nouveau%d", i)
		sizes[tag] = crashEGs
		delay := time.Duration(r.Int64N(int64(2500 * time.Millisecond)))
		if done := killDuringImport(t, dir, tag, delay); done {
			finished++
		} else {
			killed++
		}
		db := open(t, dir)
		o, err := db.Offer().LoadOffer(ctx)
		db.Close()
		if err != nil {
			t.Fatalf("after a kill at %s: %v", delay, err)
		}
		imports := map[string]int{}
		for _, u := range o.UOs {
			imports[u.Name]++
		}
		got := o.Sources[0]
		if len(imports) != 1 || imports[got] != 5*sizes[got] || len(o.EGs) != sizes[got] {
			t.Fatalf("after a kill at %s: got UOs of imports %v and %d EGs, want the whole import %s", delay, imports, len(o.EGs), got)
		}
	}
	t.Logf("%d imports killed midway, %d finished first", killed, finished)
	if killed == 0 {
		t.Error("no import was killed midway: the test proved nothing")
	}
}

// killDuringImport starts a child importing, kills it delay after it began
// writing, and reports whether it had finished first.
func killDuringImport(t *testing.T, dir, tag string, delay time.Duration) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), "ROR_STORE_CHILD="+dir, "ROR_STORE_TAG="+tag)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewReader(out)
	if l, err := lines.ReadString('\n'); err != nil || l != "import\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: got %q, %v, want it to start importing", l, err)
	}
	time.Sleep(delay)
	cmd.Process.Signal(syscall.SIGKILL)
	rest, _ := io.ReadAll(lines)
	cmd.Wait()
	return strings.Contains(string(rest), "fini")
}

// TestHelperProcess is the child of TestCrashDuringImport: it imports a big
// offer into ROR_STORE_CHILD, saying when it starts and when it is done.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv("ROR_STORE_CHILD")
	if dir == "" {
		t.Skip("child process only")
	}
	db, err := store.Open(dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	o := offer(crashEGs, os.Getenv("ROR_STORE_TAG"))
	fmt.Println("import")
	if err := db.Offer().ReplaceOffer(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	fmt.Println("fini")
}
