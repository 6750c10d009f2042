// Package web serves the coordinator's page of ROR Recherche: one HTML page
// at / (search, list, map, fiche) with its own ES modules under /static/ and
// the vendored DSFR and Leaflet files under /assets/, all embedded in the
// binary so that nothing is fetched from the internet at run time.
//
// It imports Fiber and the standard library only; the page talks to the JSON
// API under /api/v1, which this package never mounts nor shadows.
package web

import (
	"embed"
	"html"
	"io/fs"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// files holds the page's own sources (static/) and the vendored assets
// (dist/, copied from npm by build.sh and committed as built, so that the
// binary builds with no network and no Node).
//
//go:embed static dist
var files embed.FS

// Options configure the page; the zero value is the offline page.
type Options struct {
	// TileURL is a raster tile template ("https://tile.example/{z}/{x}/{y}.png")
	// drawn under the markers. Empty: the map shows only the department
	// outlines served by the API, so it works with no network at all.
	// The API's Content-Security-Policy must allow the tile host in img-src.
	TileURL string
	// TileAttribution is the credit line the tile provider requires
	// (HTML allowed, e.g. "© OpenStreetMap"); ignored without TileURL.
	TileAttribution string
}

// Mount serves the page on app: GET / (index.html), /static/* (the page's
// modules and stylesheet), /assets/* (DSFR, Leaflet) and /favicon.ico. It
// mounts nothing else, so unknown /api/... paths still reach the API's own
// 404. Call it before any catch-all handler.
func Mount(app *fiber.App, opts Options) {
	static, _ := fs.Sub(files, "static")
	dist, _ := fs.Sub(files, "dist")
	own := newAssets(static, cacheRevalidate)
	vendor := newAssets(dist, cacheVendor)
	index := newAsset("index.html", indexHTML(static, opts), cacheRevalidate)

	app.Get("/", func(c *fiber.Ctx) error { return index.serve(c) })
	mountEspace(app, static) // espace.go
	app.Get("/static/*", own.handler)
	app.Get("/assets/*", vendor.handler)
	app.Get("/favicon.ico", func(c *fiber.Ctx) error {
		if a := vendor.get("dsfr/favicon/favicon.ico"); a != nil {
			return a.serve(c)
		}
		return fiber.ErrNotFound
	})
}

// indexHTML is index.html with the map options written into the
// data-tiles attributes of <body>: the page reads its configuration from the
// DOM because the Content-Security-Policy forbids inline scripts.
func indexHTML(static fs.FS, opts Options) []byte {
	b, err := fs.ReadFile(static, "index.html")
	if err != nil {
		return []byte("<!doctype html><title>ROR Recherche</title><p>Page absente de ce binaire.</p>")
	}
	page := string(b)
	url := strings.TrimSpace(opts.TileURL)
	if !validTileURL(url) {
		url = ""
	}
	page = strings.Replace(page, `data-tiles=""`, `data-tiles="`+html.EscapeString(url)+`"`, 1)
	if url != "" {
		page = strings.Replace(page, `data-tiles-attribution=""`, `data-tiles-attribution="`+html.EscapeString(opts.TileAttribution)+`"`, 1)
	}
	return []byte(page)
}

// validTileURL accepts http(s) templates with the {z}, {x} and {y}
// placeholders Leaflet fills; anything else would only draw broken images.
func validTileURL(u string) bool {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "/") {
		return false
	}
	return strings.Contains(u, "{z}") && strings.Contains(u, "{x}") && strings.Contains(u, "{y}")
}
