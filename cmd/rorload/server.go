package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
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

// server is the ror child process on loopback and the accounts of the load.
type server struct {
	cmd     *exec.Cmd
	base    string // http://127.0.0.1:port
	dir     string // temp data dir
	logPath string
	done    chan error // the process's exit

	bedEGs, draftEGs []string // FINESS written by the gestionnaire, by the référent
	scheduledEG      string   // FINESS of the one publication programmée
	admin, lits, ref string   // bearer tokens
}

// startServer creates the accounts in a new data dir (ror token, before
// the service holds the store), then serves the sources on a free loopback
// port without rate limits and waits until the directory is loaded.
func startServer(ctx context.Context, o options) (*server, error) {
	egs, err := pickEGs(o.sources, o.bedEGs+o.draftEGs+1)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "rorload-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, logPath: filepath.Join(dir, "ror.log"), done: make(chan error, 1),
		bedEGs: egs[:o.bedEGs], draftEGs: egs[o.bedEGs : o.bedEGs+o.draftEGs], scheduledEG: egs[len(egs)-1]}
	data := filepath.Join(dir, "data")
	tokens := []struct {
		dst               *string
		name, role, scope string
	}{
		{&s.admin, "Charge Administratrice", "administrateur", ""},
		{&s.lits, "Charge Gestionnaire de lits", "gestionnaire_lits", strings.Join(s.bedEGs, ",")},
		{&s.ref, "Charge Référent", "referent", strings.Join(append(append([]string{}, s.draftEGs...), s.scheduledEG), ",")},
	}
	for _, t := range tokens {
		out, err := exec.CommandContext(ctx, o.bin, "token", "-data", data, "-name", t.name, "-role", t.role, "-scope", t.scope).Output()
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("ror token %s: %w", t.name, err)
		}
		*t.dst = strings.TrimSpace(string(out))
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(s.logPath)
	if err != nil {
		return nil, err
	}
	s.base = "http://" + addr
	s.cmd = exec.Command(o.bin, "serve", "-addr", addr, "-data", data, "-sources", o.sources,
		"-read-rate", "-1", "-write-rate", "-1", "-log-level", "warn")
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	go func() { s.done <- s.cmd.Wait(); logf.Close() }()
	if err := s.waitReady(ctx, 3*time.Minute); err != nil {
		s.stop(true)
		return nil, err
	}
	return s, nil
}

func (s *server) waitReady(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			return fmt.Errorf("le service s'est arrêté au démarrage (%v) : voir %s", err, s.logPath)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if resp, err := http.Get(s.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
	}
	return errors.New("le service n'est pas prêt après 3 minutes")
}

// stop ends the service with SIGTERM (graceful shutdown), SIGKILL after
// 20 s, and removes the data dir unless keep.
func (s *server) stop(keep bool) {
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(20 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
	}
	if keep {
		fmt.Fprintln(os.Stderr, "données et journal gardés dans", s.dir)
		return
	}
	os.RemoveAll(s.dir)
}

// rssKiB is the server's resident memory from /proc/<pid>/status.
func (s *server) rssKiB() (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			return strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
		}
	}
	return 0, errors.New("VmRSS absent de /proc/<pid>/status")
}

// errorLines counts the lines the service logged at level ERROR.
func (s *server) errorLines() int {
	b, _ := os.ReadFile(s.logPath)
	return bytes.Count(b, []byte(`"level":"ERROR"`))
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
