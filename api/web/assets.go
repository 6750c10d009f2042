package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"
)

// Cache policies. The page's own files and index.html change with each
// build of the binary, so browsers revalidate them (a 304 costs one round
// trip); the vendored files change only with package-lock.json, so they may
// be reused for a day without asking.
const (
	cacheRevalidate = "no-cache"
	cacheVendor     = "public, max-age=86400"
)

// contentTypes are set explicitly rather than from the system's mime
// tables, which differ between machines (.woff2, .webmanifest, .mjs).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".geojson":     "application/geo+json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".ico":         "image/vnd.microsoft.icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/plain; charset=utf-8",
}

// compressible types are gzipped on first request: DSFR's stylesheet is
// 700 kB raw and about 90 kB gzipped. Fonts and PNGs are compressed already.
func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "application/") || ctype == "image/svg+xml"
}

// asset is one embedded file ready to serve.
type asset struct {
	body  []byte
	ctype string
	etag  string // strong validator: a hash of the body
	cache string

	gzOnce sync.Once
	gz     []byte // nil when gzip would not help
}

func newAsset(name string, body []byte, cache string) *asset {
	ctype, ok := contentTypes[strings.ToLower(path.Ext(name))]
	if !ok {
		ctype = "application/octet-stream"
	}
	sum := sha256.Sum256(body)
	return &asset{body: body, ctype: ctype, cache: cache, etag: `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
}

// gzipped returns the gzip encoding of the body, computed once, or nil when
// the type is not worth compressing or the result is not smaller.
func (a *asset) gzipped() []byte {
	a.gzOnce.Do(func() {
		if !compressible(a.ctype) || len(a.body) < 1024 {
			return
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(a.body)
		w.Close()
		if buf.Len() < len(a.body) {
			a.gz = buf.Bytes()
		}
	})
	return a.gz
}

// serve writes the asset with its validators, answering 304 when the
// browser's copy is current and gzip when the browser accepts it.
func (a *asset) serve(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, a.cache)
	c.Set(fiber.HeaderETag, a.etag)
	c.Set(fiber.HeaderVary, fiber.HeaderAcceptEncoding)
	if match := c.Get(fiber.HeaderIfNoneMatch); match != "" && etagMatches(match, a.etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, a.ctype)
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		if gz := a.gzipped(); gz != nil {
			c.Set(fiber.HeaderContentEncoding, "gzip")
			return c.Send(gz)
		}
	}
	return c.Send(a.body)
}

// etagMatches reads an If-None-Match list ("*", or tags with optional W/).
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// assets is a directory of embedded files served under one prefix.
type assets struct {
	files map[string]*asset
}

// newAssets reads every file of fsys once, at Mount: the embedded files
// never change while the binary runs.
func newAssets(fsys fs.FS, cache string) *assets {
	s := &assets{files: map[string]*asset{}}
	fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil
		}
		s.files[p] = newAsset(p, b, cache)
		return nil
	})
	return s
}

// get returns the asset at the slash-separated path p, or nil.
func (s *assets) get(p string) *asset {
	return s.files[p]
}

// handler serves the file named by the route's wildcard. Only exact names
// of embedded files match, so "..", directories and index listings are
// simply not found.
func (s *assets) handler(c *fiber.Ctx) error {
	a := s.files[strings.Clone(c.Params("*"))]
	if a == nil {
		return fiber.ErrNotFound
	}
	return a.serve(c)
}
