package data

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

//go:embed sources.json
var sourcesJSON []byte

// Source is one official file the import reads: where it lives in a sources
// directory and where it is published.
type Source struct {
	File    string `json:"file"`
	URL     string `json:"url"`
	Note    string `json:"note"`
	Licence string `json:"licence"`
}

// Manifest returns the official sources of data/sources.json.
func Manifest() ([]Source, error) {
	var s []Source
	if err := json.Unmarshal(sourcesJSON, &s); err != nil {
		return nil, fmt.Errorf("data/sources.json: %w", err)
	}
	return s, nil
}

// Fetch downloads every source into dir. Each file is written to a
// temporary name and renamed when complete, so an interrupted download never
// leaves a truncated file where the import would read it.
func Fetch(ctx context.Context, client *http.Client, sources []Source, dir string) error {
	for _, s := range sources {
		if err := fetchOne(ctx, client, s, dir); err != nil {
			return fmt.Errorf("téléchargement de %s (%s): %w", s.File, s.URL, err)
		}
	}
	return nil
}

func fetchOne(ctx context.Context, client *http.Client, s Source, dir string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	dst := filepath.Join(dir, s.File)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".fetch-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}
