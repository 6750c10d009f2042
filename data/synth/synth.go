// Package synth generates a national-scale offer, deterministic from a seed,
// in the input formats the importer reads (the FINESS CSV of the mirror and
// uo.jsonl), so that the import path is the one measured. Real data stays the
// default; this set is for scale (issue: the whole of France in one process).
//
// It imports ror and data (for the real communes and nomenclature it draws
// from); nothing imports it but cmd/ror.
package synth

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/ror-recherche/ror"
)

// Options size the generated set.
type Options struct {
	EGs        int     // établissements; default 100,000
	UOsPerEG   float64 // mean units per EG; default 5
	Seed       uint64  // same seed, same files
	NoPosition float64 // share of EGs without coordinates; default 0.03
}

func (o *Options) defaults() {
	if o.EGs == 0 {
		o.EGs = 100_000
	}
	if o.UOsPerEG == 0 {
		o.UOsPerEG = 5
	}
	if o.NoPosition == 0 {
		o.NoPosition = 0.03
	}
}

// Generate writes finess_etablissements.csv, an empty-bodied
// sae2020_capacites.csv and uo.jsonl into out, drawing places from communes
// (weighted by population) and codes from nom with a Zipf-like skew: a few
// very common codes, many rare ones.
func Generate(out string, communes []ror.Commune, nom *ror.Nomenclature, o Options) error {
	o.defaults()
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	places := weighted(communes)
	if len(places.list) == 0 {
		return fmt.Errorf("synth: no commune with a position")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	fin, err := create(filepath.Join(out, "finess_etablissements.csv"))
	if err != nil {
		return err
	}
	defer fin.Close()
	uof, err := create(filepath.Join(out, "uo.jsonl"))
	if err != nil {
		return err
	}
	defer uof.Close()
	if err := os.WriteFile(filepath.Join(out, "sae2020_capacites.csv"), []byte(saeHeader+"\n"), 0o644); err != nil {
		return err
	}
	cw := csv.NewWriter(fin.w)
	cw.Write(finessHeader)
	enc := json.NewEncoder(uof.w)
	draw := newDrawers(r, nom)
	seq := map[string]int{}
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for i := 0; i < o.EGs; i++ {
		c := places.pick(r)
		seq[c.Department]++
		finess := finessFor(c.Department, seq[c.Department])
		ej := finessFor(c.Department, 500_000+seq[c.Department]/3) // about three EGs per EJ
		lat, lon := "", ""
		if r.Float64() >= o.NoPosition {
			// jitter of about a kilometre around the centroid
			lat = strconv.FormatFloat(c.Point.Lat+(r.Float64()-0.5)*0.018, 'f', 6, 64)
			lon = strconv.FormatFloat(c.Point.Lon+(r.Float64()-0.5)*0.026, 'f', 6, 64)
		}
		pc := ""
		if len(c.PostalCodes) > 0 {
			pc = c.PostalCodes[0]
		}
		cat := categories[r.IntN(len(categories))]
		name := fmt.Sprintf("%s %s %d", cat.prefix, c.Name, seq[c.Department])
		phone := fmt.Sprintf("0%d%08d", 1+r.IntN(5), r.IntN(100_000_000))
		cw.Write([]string{finess, ej, name, name, cat.code, cat.label, cat.group, cat.groupLabel,
			fmt.Sprintf("%d RUE DE LA SANTE", 1+r.IntN(200)), pc, c.INSEE, c.Department, phone, lat, lon, "", ""})
		n := poisson(r, o.UOsPerEG)
		for j := 0; j < n; j++ {
			u := draw.unit(r, finess, j, c, places, now)
			u.Phone = phone
			if err := enc.Encode(u); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := fin.commit(); err != nil {
		return err
	}
	return uof.commit()
}

// finessFor makes a FINESS-shaped number that cannot collide with a real
// one: real numbers never have 9 as their third character in this range.
func finessFor(dep string, n int) string {
	if len(dep) == 3 { // DOM: 971…976 → "97" + digit
		return fmt.Sprintf("%s%06d", dep, n%1_000_000)
	}
	return fmt.Sprintf("%s9%06d", dep, n%1_000_000)
}

var finessHeader = []string{"finess_et", "finess_ej", "name", "long_name", "category_code", "category_label",
	"category_group_code", "category_group_label", "address", "postal_code", "commune_insee", "department",
	"phone", "lat", "lon", "siret", "opened"}

const saeHeader = "finess_et,finess_ej,lits_medecine,lits_chirurgie,lits_obstetrique,lits_mco,places_mco,sejours_hc_mco,passages_urgences,lits_rea_adulte,lits_rea_pediatrique,lits_soins_intensifs,lits_usic,lits_surveillance_continue_adulte,lits_surveillance_continue_pediatrique,lits_ssr,places_ssr,lits_psy_temps_plein,places_psy_hdj,lits_usld,places_had,activites"

type category struct{ code, label, group, groupLabel, prefix string }

// categories are real FINESS categories (JDV_J55) of the generated places.
var categories = []category{
	{"355", "Centre Hospitalier (C.H.)", "1102", "Centres Hospitaliers", "CENTRE HOSPITALIER"},
	{"365", "Etablissement de Soins Pluridisciplinaire", "1110", "Etablissements de Soins de Courte Durée", "CLINIQUE"},
	{"109", "Etablissement de Santé Privé Autorisé en SSR", "1107", "Etablissements de santé privé autorisés en SSR", "CENTRE DE READAPTATION"},
	{"292", "Centre Hospitalier Spécialisé lutte Maladies Mentales", "1103", "Centres Hospitaliers Spécialisés Lutte Maladies Mentales", "CENTRE PSYCHIATRIQUE"},
}

// places draws communes in proportion to their population.
type places struct {
	list []ror.Commune
	cum  []float64
}

func weighted(communes []ror.Commune) places {
	var p places
	total := 0.0
	for _, c := range communes {
		if !c.Point.Valid() || c.Population <= 0 || isCity(c.INSEE) {
			continue
		}
		total += float64(c.Population)
		p.list = append(p.list, c)
		p.cum = append(p.cum, total)
	}
	return p
}

// isCity is true for Paris, Lyon and Marseille as a whole: their
// arrondissements carry the population already.
func isCity(insee string) bool { return insee == "75056" || insee == "69123" || insee == "13055" }

func (p places) pick(r *rand.Rand) ror.Commune {
	x := r.Float64() * p.cum[len(p.cum)-1]
	return p.list[sort.SearchFloat64s(p.cum, x)]
}

// near returns up to n communes of dep around c, the zone of a mobile unit.
func (p places) near(c ror.Commune, km float64, n int) []string {
	var out []string
	coslat := math.Cos(c.Point.Lat * math.Pi / 180)
	for _, o := range p.list {
		if o.Department != c.Department {
			continue
		}
		dx := (o.Point.Lon - c.Point.Lon) * 111.32 * coslat
		dy := (o.Point.Lat - c.Point.Lat) * 110.57
		if dx*dx+dy*dy <= km*km {
			out = append(out, o.INSEE)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

func poisson(r *rand.Rand, mean float64) int {
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return max(k, 1)
		}
		k++
	}
}

// file is an output written to a temp name and renamed when complete.
type file struct {
	f    *os.File
	w    *bufio.Writer
	path string
}

func create(path string) (*file, error) {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	return &file{f: f, w: bufio.NewWriterSize(f, 1<<20), path: path}, nil
}

func (f *file) commit() error {
	if err := f.w.Flush(); err != nil {
		return err
	}
	if err := f.f.Close(); err != nil {
		return err
	}
	return os.Rename(f.path+".tmp", f.path)
}

func (f *file) Close() error { return f.f.Close() }
