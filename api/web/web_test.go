package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// newApp mounts the page on a Fiber app whose catch-all stands for the
// API's own 404, as api.Server's routes end.
func newApp(t *testing.T, opts Options) *fiber.App {
	t.Helper()
	app := fiber.New()
	Mount(app, opts)
	app.Use(func(c *fiber.Ctx) error { return c.Status(fiber.StatusTeapot).SendString("api 404") })
	return app
}

func get(t *testing.T, app *fiber.App, path string, header map[string]string) (int, map[string]string, []byte) {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	h := map[string]string{}
	for k := range resp.Header {
		h[k] = resp.Header.Get(k)
	}
	return resp.StatusCode, h, body
}

func TestRoutes(t *testing.T) {
	app := newApp(t, Options{})
	tests := []struct {
		name, path string
		status     int
		ctype      string
	}{
		// The page itself, at the root.
		{"the page at /", "/", 200, "text/html; charset=utf-8"},
		// ES modules need a JavaScript type or the browser refuses them.
		{"a module", "/static/js/main.js", 200, "text/javascript; charset=utf-8"},
		{"the stylesheet", "/static/app.css", 200, "text/css; charset=utf-8"},
		// dist/README.txt is committed, so /assets works on a fresh clone.
		{"a vendored file", "/assets/README.txt", 200, "text/plain; charset=utf-8"},
		// Unknown API paths fall through to the API's problem answer.
		{"an unknown API path", "/api/v1/nulle-part", fiber.StatusTeapot, ""},
		{"an unknown page path", "/ailleurs", fiber.StatusTeapot, ""},
		// Only embedded names match: no climbing out, no listing.
		{"a path climbing out", "/static/../web.go", fiber.StatusNotFound, ""},
		{"a directory", "/static/js", fiber.StatusNotFound, ""},
		{"a missing file", "/static/absent.js", fiber.StatusNotFound, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, h, _ := get(t, app, tt.path, nil)
			if status != tt.status {
				t.Fatalf("got status %d, want %d", status, tt.status)
			}
			if tt.ctype != "" && h["Content-Type"] != tt.ctype {
				t.Errorf("got content type %q, want %q", h["Content-Type"], tt.ctype)
			}
		})
	}
}

func TestCaching(t *testing.T) {
	app := newApp(t, Options{})
	_, h, body := get(t, app, "/static/app.css", nil)
	t.Run("own files are revalidated", func(t *testing.T) {
		if h["Cache-Control"] != "no-cache" || h["Etag"] == "" {
			t.Errorf("got Cache-Control %q ETag %q, want no-cache with an ETag", h["Cache-Control"], h["Etag"])
		}
	})
	t.Run("a current copy gets 304 without a body", func(t *testing.T) {
		status, _, b := get(t, app, "/static/app.css", map[string]string{"If-None-Match": h["Etag"]})
		if status != fiber.StatusNotModified || len(b) != 0 {
			t.Errorf("got %d with %d bytes, want 304 and none", status, len(b))
		}
	})
	t.Run("a stale copy gets the file", func(t *testing.T) {
		if status, _, _ := get(t, app, "/static/app.css", map[string]string{"If-None-Match": `"autre"`}); status != 200 {
			t.Errorf("got %d, want 200", status)
		}
	})
	t.Run("vendored files are cached for a day", func(t *testing.T) {
		_, vh, _ := get(t, app, "/assets/README.txt", nil)
		if vh["Cache-Control"] != "public, max-age=86400" {
			t.Errorf("got Cache-Control %q, want public, max-age=86400", vh["Cache-Control"])
		}
	})
	t.Run("gzip when accepted, same bytes once inflated", func(t *testing.T) {
		_, gh, gz := get(t, app, "/static/app.css", map[string]string{"Accept-Encoding": "gzip, br"})
		if gh["Content-Encoding"] != "gzip" {
			t.Fatalf("got Content-Encoding %q, want gzip", gh["Content-Encoding"])
		}
		r, err := gzip.NewReader(bytes.NewReader(gz))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(r)
		if !bytes.Equal(plain, body) {
			t.Errorf("got %d bytes inflated, want the %d of the file", len(plain), len(body))
		}
	})
}

func TestTileOptions(t *testing.T) {
	tests := []struct {
		name, url, want string
	}{
		// The default page is offline: no tiles.
		{"none", "", `data-tiles=""`},
		// A template with the three placeholders is passed through.
		{"OSM-like template", "https://tile.example/{z}/{x}/{y}.png", `data-tiles="https://tile.example/{z}/{x}/{y}.png"`},
		// Anything else would draw broken images, or worse.
		{"javascript URL", "javascript:alert(1)//{z}{x}{y}", `data-tiles=""`},
		{"no placeholders", "https://tile.example/fond.png", `data-tiles=""`},
		// Quotes cannot close the attribute.
		{"quotes escaped", `https://t.example/{z}/{x}/{y}.png?a="><script>`, `data-tiles="https://t.example/{z}/{x}/{y}.png?a=&#34;&gt;&lt;script&gt;"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, body := get(t, newApp(t, Options{TileURL: tt.url, TileAttribution: "© contributeurs"}), "/", nil)
			if !bytes.Contains(body, []byte(tt.want)) {
				m := regexp.MustCompile(`data-tiles="[^"]*"`).Find(body)
				t.Errorf("got %s, want %s", m, tt.want)
			}
		})
	}
}

// TestPageReferences checks that every /static/ file the page and its
// modules name is embedded: a typo would only show as a broken page.
func TestPageReferences(t *testing.T) {
	static, _ := fs.Sub(files, "static")
	page, _ := fs.ReadFile(static, "index.html")
	for _, m := range regexp.MustCompile(`(?:href|src)="/static/([^"]+)"`).FindAllSubmatch(page, -1) {
		if _, err := fs.Stat(static, string(m[1])); err != nil {
			t.Errorf("index.html names /static/%s: %v", m[1], err)
		}
	}
	modules, _ := fs.Glob(static, "js/*.js")
	if len(modules) == 0 {
		t.Fatal("no module under static/js")
	}
	imp := regexp.MustCompile(`from '\./([\w.-]+\.js)'`)
	for _, name := range modules {
		src, _ := fs.ReadFile(static, name)
		for _, m := range imp.FindAllSubmatch(src, -1) {
			if _, err := fs.Stat(static, "js/"+string(m[1])); err != nil {
				t.Errorf("%s imports ./%s: %v", name, m[1], err)
			}
		}
		if bytes.Contains(src, []byte("innerHTML")) && !strings.HasSuffix(name, "map.js") {
			t.Errorf("%s uses innerHTML: API text must be set as text", name)
		}
	}
}
