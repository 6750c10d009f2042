package web

import (
	"io/fs"

	"github.com/gofiber/fiber/v2"
)

// mountEspace serves GET /espace: the page of those who keep the offer
// true (sign-in, beds, dossiers, validation, accounts, reports), its views
// chosen by ?vue= and drawn by /static/js/gestion.js from the JSON API.
func mountEspace(app *fiber.App, static fs.FS) {
	b, err := fs.ReadFile(static, "espace.html")
	if err != nil {
		b = []byte("<!doctype html><title>ROR Recherche</title><p>Page absente de ce binaire.</p>")
	}
	page := newAsset("espace.html", b, cacheRevalidate)
	app.Get("/espace", func(c *fiber.Ctx) error { return page.serve(c) })
}
