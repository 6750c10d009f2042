package wire

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/data"
	"github.com/ror-recherche/ror/geo"
	"github.com/ror-recherche/ror/search"
	"github.com/ror-recherche/ror/store"
	"github.com/ror-recherche/ror/workflow"
)

// RPPSPattern is the Annuaire Santé extract a sources directory may hold;
// the last one by name (they are dated) is imported.
const RPPSPattern = "PS_LibreAcces_Personne_activite_*.txt"

// SynthRPPS is the name ror gen gives its generated extract: its records
// say « ror gen (synthétique) », never the Annuaire Santé.
const SynthRPPS = "PS_LibreAcces_Personne_activite_synthetique.txt"

// proSide is the professionals' read side built from the store, or why not.
type proSide struct {
	pros *search.Professionals
	err  error
}

// startPros reads the professionals of db (nil db: none) and builds their
// read side in the background, beside the offer's index; the function it
// returns waits for them, as often as called. parts' nomenclature must hold
// the professions already (data.AddProfessionCodes): it is read here while
// the index reads it.
func startPros(db *store.DB, parts search.ProParts) func() proSide {
	ch := make(chan proSide, 1)
	go func() {
		var list []ror.Professional
		if db != nil {
			l, err := store.NewProStore(db).Professionals(context.Background())
			if err != nil {
				ch <- proSide{err: err}
				return
			}
			list = l
		}
		ch <- proSide{pros: search.NewProfessionals(parts, list)}
	}()
	return sync.OnceValue(func() proSide { return <-ch })
}

// buildPros adds the professionals' read and write sides to svc, from what
// startPros built (none read-only).
func buildPros(svc *Service, offer *ror.Offer, gaz *geo.Gazetteer, db *store.DB, built func() proSide) error {
	got := built()
	if got.err != nil {
		return got.err
	}
	var ps ror.ProStore
	if db != nil {
		ps = store.NewProStore(db)
	}
	svc.Pros = got.pros
	svc.ProDesk = workflow.NewProDesk(svc.Pros, ps, offer.Nomenclature, gaz)
	return nil
}

// importRPPS reads the sources' RPPS extract, if any, into db and returns
// the lines of its report; without one, nothing changes.
func importRPPS(ctx context.Context, db *store.DB, sources string, offer *ror.Offer) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(sources, RPPSPattern))
	if err != nil || len(files) == 0 {
		return []string{"RPPS : aucune extraction " + RPPSPattern + " dans les sources, aucun professionnel importé"}, err
	}
	sort.Strings(files)
	rep, err := ImportRPPS(ctx, db, files[len(files)-1], offer.Communes, time.Now())
	if err != nil {
		return nil, err
	}
	return rep.Summary(), nil
}

// ImportRPPS reads one extract and replaces the professionals of db with
// it (those who described themselves are kept as they did).
func ImportRPPS(ctx context.Context, db *store.DB, path string, communes []ror.Commune, now time.Time) (*data.RPPSReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	byINSEE := make(map[string]ror.Commune, len(communes))
	for _, c := range communes {
		byINSEE[c.INSEE] = c
	}
	name := filepath.Base(path)
	source := "RPPS " + name
	if name == SynthRPPS {
		source = "ror gen (synthétique)"
	}
	list, rep, err := data.ReadRPPS(f, name, data.RPPSOptions{Communes: byINSEE, Source: source, Now: now.UTC()})
	if err != nil {
		return nil, err
	}
	change, err := ror.ChangeOf(ror.Change{At: now.UTC(), Author: "import", Kind: "rpps", ID: "rpps"}, nil,
		map[string]any{"fichier": name, "professionnels": rep.Professionals, "lieux": rep.Places, "illisibles": len(rep.Malformed), "bilan": strings.Join(rep.Summary(), " ; ")})
	if err != nil {
		return nil, err
	}
	if err := store.NewProStore(db).ReplaceProfessionals(ctx, list, change); err != nil {
		return nil, fmt.Errorf("import RPPS %s: %w", name, err)
	}
	return rep, nil
}
