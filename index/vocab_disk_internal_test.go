//go:build linux

package index

import (
	"os/signal"
	"strconv"
	"syscall"
	"testing"

	"github.com/ror-recherche/ror"
)

// A vocabulary that cannot be written to disk is an error, not an index
// reported built: here the disk "fills up" (a file size limit, which binds
// root too) once Bleve has created the index and while it writes the first
// segment. The index must fail to build, and the next start must not reuse
// the half-written directory.
func TestDiskVocabWriteFailureIsReported(t *testing.T) {
	entries := make([]entry, 20000)
	for i := range entries {
		entries[i] = newEntry(ror.DansNoms, strconv.Itoa(100000000+i), "Centre hospitalier numéro "+strconv.Itoa(i)+" de la commune "+strconv.Itoa(i*7919), "", nil, nil)
	}
	dir := t.TempDir()

	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Skip(err)
	}
	// EFBIG instead of the SIGXFSZ that would kill the test binary.
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	lim := old
	lim.Cur = 64 << 10 // room for index_meta.json and root.bolt, not for the segment
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		t.Skip(err)
	}
	idx, err := openDiskVocab(entries, dir, "stamp")
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	if err == nil {
		idx.Close()
		t.Fatal("openDiskVocab returned an index although its segment could not be written; want an error")
	}

	// With room again, the same directory is rebuilt, never reused half-written.
	idx, err = openDiskVocab(entries, dir, "stamp")
	if err != nil {
		t.Fatalf("rebuild with room: %v", err)
	}
	defer idx.Close()
	n, err := idx.DocCount()
	if err != nil || n != uint64(len(entries)) {
		t.Errorf("rebuilt vocabulary holds %d documents (%v), want %d", n, err, len(entries))
	}
}
