package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/ror-recherche/ror"
)

// hostileCase is one request of the hostile-input suite
// (testdata/hostile/*.json): what a careless or hostile client sends, and
// the answer the contract promises.
type hostileCase struct {
	Name       string            `json:"name"`
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Auth       string            `json:"auth,omitempty"` // "", lecteur, referent, gestionnaire, admin
	Headers    map[string]string `json:"headers,omitempty"`
	Body       *string           `json:"body,omitempty"`
	BodyBase64 string            `json:"body_base64,omitempty"` // raw bytes: wrongly encoded bodies
	// BodyFill builds a large body: Template's %s is replaced by Item
	// repeated N times (comma separated) or, without Item, N × "a".
	BodyFill *struct {
		Template string `json:"template"`
		N        int    `json:"n"`
		Item     string `json:"item,omitempty"`
	} `json:"body_fill,omitempty"`
	Status int    `json:"status"`         // expected; 0: any answer but a 5xx
	Type   string `json:"type,omitempty"` // expected problem type; "": not checked
}

func (c *hostileCase) body() io.Reader {
	switch {
	case c.BodyBase64 != "":
		b, _ := base64.StdEncoding.DecodeString(c.BodyBase64)
		return strings.NewReader(string(b))
	case c.BodyFill != nil:
		fill := strings.Repeat("a", c.BodyFill.N)
		if c.BodyFill.Item != "" {
			fill = strings.TrimSuffix(strings.Repeat(c.BodyFill.Item+",", c.BodyFill.N), ",")
		}
		return strings.NewReader(strings.Replace(c.BodyFill.Template, "%s", fill, 1))
	case c.Body != nil:
		return strings.NewReader(*c.Body)
	}
	return nil
}

// TestHostileInputs runs every case of testdata/hostile against the real
// service on the real data: the expected status and problem type, never a
// 5xx, and the security headers on every answer.
func TestHostileInputs(t *testing.T) {
	app := sharedApp(t)
	ctx := context.Background()
	tokens := map[string]string{}
	for role, a := range map[string]ror.Account{
		"lecteur":      {Name: "Hostile Lecteur", Role: ror.RoleLecteur},
		"referent":     {Name: "Hostile Référent", Role: ror.RoleReferent, Scope: []string{"010000024"}},
		"gestionnaire": {Name: "Hostile Gestionnaire", Role: ror.RoleGestionnaire, Scope: []string{"010000024"}},
		"admin":        {Name: "Hostile Admin", Role: ror.RoleAdmin},
	} {
		tok, err := app.db.Accounts().CreateAccount(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		tokens[role] = tok
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "hostile", "*.json"))
	total := 0
	for _, file := range files {
		var cases []hostileCase
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &cases); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		total += len(cases)
		group := strings.TrimSuffix(filepath.Base(file), ".json")
		for _, c := range cases {
			t.Run(group+"/"+c.Name, func(t *testing.T) {
				req, err := http.NewRequest(c.Method, "http://"+app.Addr()+c.Path, c.body())
				if err != nil {
					t.Fatal(err)
				}
				for k, v := range c.Headers {
					req.Header.Set(k, v)
				}
				if c.Auth != "" {
					req.Header.Set("Authorization", "Bearer "+tokens[c.Auth])
				}
				resp, err := http.DefaultClient.Do(req)
				if err != nil && c.Status == http.StatusRequestEntityTooLarge && (errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)) {
					// The server answered 413 and closed after the headers
					// while the client was still writing the body: the reset
					// can reach the client before the answer does.
					t.Logf("refused while sending (%v)", err)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				var p struct {
					Type string `json:"type"`
				}
				json.Unmarshal(body, &p)
				if resp.StatusCode >= 500 || (c.Status != 0 && resp.StatusCode != c.Status) {
					t.Errorf("got %d %.300s, want %d", resp.StatusCode, body, c.Status)
				}
				if c.Type != "" && p.Type != c.Type {
					t.Errorf("got type %q, want %q (%d %.200s)", p.Type, c.Type, resp.StatusCode, body)
				}
				if resp.StatusCode >= 400 && resp.Header.Get("X-Content-Type-Options") != "nosniff" {
					t.Errorf("a %d without the security headers", resp.StatusCode)
				}
				if os.Getenv("ROR_HOSTILE_PRINT") != "" {
					fmt.Printf("HOSTILE %s/%s\t%d\t%s\n", group, c.Name, resp.StatusCode, p.Type)
				}
			})
		}
	}
	if total < 200 {
		t.Errorf("the suite has %d cases, want at least 200", total)
	}
}
