package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/internal/sources"
)

// TestKillDuringWrites kills the server (SIGKILL) in the middle of a stream
// of bed updates, restarts it on the same data dir, and checks that every
// acknowledged write is there and nothing else: the figure is the last
// acknowledged one, or the one in flight when the process died.
func TestKillDuringWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a child process")
	}
	src := sources.Dir(t)
	dir := t.TempDir()
	first := startApp(t, dir, src, slice) // import once, and an account
	token, err := first.db.Accounts().CreateAccount(context.Background(), ror.Account{Name: "Flux Bed Management", Role: ror.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	first.Close()

	const uo = "010000024-MED"
	for round, killAfter := range []time.Duration{300 * time.Millisecond, 900 * time.Millisecond} {
		addr := freeAddr(t)
		cmd := exec.Command(os.Args[0], "-test.run=^TestServerChild$")
		cmd.Env = append(os.Environ(), "ROR_CHILD_DATA="+dir, "ROR_CHILD_ADDR="+addr)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitReady(t, addr)
		acked, inFlight := 0, 0
		deadline := time.Now().Add(killAfter)
		killed := false
		for v := 1; ; v++ {
			if !killed && (time.Now().After(deadline) || v > 4000) {
				// kill while a write is on its way
				go func() { time.Sleep(time.Millisecond); cmd.Process.Signal(syscall.SIGKILL) }()
				killed = true
			}
			inFlight = 5000*round + v
			body := fmt.Sprintf(`{"lits_installes":10000,"lits_disponibles":%d}`, inFlight)
			req, _ := http.NewRequest("PUT", "http://"+addr+"/api/v1/uo/"+uo+"/capacitaire", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				break // the server is gone
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("write %d: status %d", v, resp.StatusCode)
			}
			acked = inFlight
		}
		cmd.Wait()
		if acked == 0 {
			t.Fatal("no write was acknowledged before the kill")
		}
		app := startApp(t, dir, "")
		u, err := appDirectoryUO(app, uo)
		if err != nil {
			t.Fatal(err)
		}
		got := u.Capacite.Disponibles
		if got != acked && got != inFlight {
			t.Errorf("round %d: after the kill the unit has %d beds available, want the last acknowledged %d (or the in-flight %d)", round, got, acked, inFlight)
		}
		t.Logf("round %d: %d writes acknowledged, found %d after restart", round, acked-5000*round, got)
		app.Close()
	}
}

func appDirectoryUO(app *App, id string) (*ror.UOView, error) {
	var u ror.UOView
	resp, err := http.Get("http://" + app.Addr() + "/api/v1/eg/" + id[:9])
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var f ror.Fiche
	if err := jsonDecode(resp.Body, &f); err != nil {
		return nil, err
	}
	for _, x := range f.UOs {
		if x.ID == id {
			u = x
			return &u, nil
		}
	}
	return nil, fmt.Errorf("no UO %s", id)
}

// TestServerChild is the server process TestKillDuringWrites kills.
func TestServerChild(t *testing.T) {
	dir := os.Getenv("ROR_CHILD_DATA")
	if dir == "" {
		t.Skip("child process only")
	}
	cfg := DefaultConfig()
	cfg.DataDir, cfg.Addr, cfg.Sources, cfg.WriteRate = dir, os.Getenv("ROR_CHILD_ADDR"), "", -1
	app := NewApp(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := app.Run(context.Background()); err != nil {
		os.Exit(2)
	}
	select {} // until killed
}

func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func waitReady(t *testing.T, addr string) {
	for i := 0; i < 600; i++ {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the child server never got ready")
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }
