package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// codes draws keys of one value set with a Zipf skew over a fixed
// permutation: a few codes are very common, most are rare, as in the ROR.
type codes struct {
	keys []string
	zipf *rand.Zipf
}

func newCodes(r *rand.Rand, nom *ror.Nomenclature, vs ror.ValueSet, seed uint64) codes {
	var keys []string
	for _, c := range nom.Concepts(vs) {
		keys = append(keys, c.Key)
	}
	p := rand.New(rand.NewPCG(seed, 7))
	p.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	n := uint64(max(len(keys), 1) - 1)
	return codes{keys: keys, zipf: rand.NewZipf(r, 1.3, 1, n)}
}

func (c codes) one() string {
	if len(c.keys) == 0 {
		return ""
	}
	return c.keys[c.zipf.Uint64()]
}

// some draws between lo and hi distinct keys.
func (c codes) some(r *rand.Rand, lo, hi int) []string {
	n := lo + r.IntN(hi-lo+1)
	seen := map[string]bool{}
	var out []string
	for tries := 0; len(out) < n && tries < 4*n; tries++ {
		k := c.one()
		if k != "" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

type drawers struct {
	nom                                        *ror.Nomenclature
	types, activites, actes, equipements, mode codes
	champs                                     []string
}

func newDrawers(r *rand.Rand, nom *ror.Nomenclature) drawers {
	d := drawers{nom: nom,
		types:       newCodes(r, nom, ror.VSTypeUO, 1),
		activites:   newCodes(r, nom, ror.VSActivite, 2),
		actes:       newCodes(r, nom, ror.VSActe, 3),
		equipements: newCodes(r, nom, ror.VSEquipement, 4),
		mode:        newCodes(r, nom, ror.VSMode, 5),
	}
	for _, c := range nom.Concepts(ror.VSChampActivite) {
		d.champs = append(d.champs, c.Key)
	}
	return d
}

// unit draws the j-th UO of the EG finess in commune c.
func (d drawers) unit(r *rand.Rand, finess string, j int, c ror.Commune, p places, now time.Time) ror.UO {
	typ := d.types.one()
	label := d.nom.Label(ror.VSTypeUO, typ)
	u := ror.UO{
		ID:            fmt.Sprintf("%s-G%02d", finess, j),
		EG:            finess,
		Name:          shorten(label),
		TypeUO:        typ,
		ChampActivite: d.champs[r.IntN(len(d.champs))],
		Activites:     d.activites.some(r, 1, 3),
		Actes:         d.actes.some(r, 0, 2),
		Modes:         d.mode.some(r, 1, 2),
		Statut:        ror.StatutActif,
		UpdatedAt:     now,
		Provenance:    ror.Provenance{Kind: ror.ProvenanceDeclaree, Source: Synthetic},
	}
	if r.Float64() < 0.15 {
		u.Equipements = d.equipements.some(r, 1, 2)
	}
	switch x := r.Float64(); {
	case x < 0.70:
		u.Patientele = ror.Patientele{Adulte: true, AgeMin: 18}
	case x < 0.85:
		u.Patientele = ror.Patientele{Enfant: true, AgeMax: 17}
	default:
		u.Patientele = ror.Patientele{Enfant: true, Adulte: true}
	}
	switch x := r.Float64(); {
	case x < 0.01:
		u.Statut = ror.StatutFerme
	case x < 0.03:
		u.Statut = ror.StatutFermeTemporair
	}
	if r.Float64() < 0.8 {
		inst := 5 + r.IntN(56)
		u.Capacite = ror.Capacite{Installes: inst, Fermes: r.IntN(3), Disponibles: r.IntN(inst/6 + 1), Known: true,
			UpdatedAt: now.Add(-time.Duration(r.IntN(48*60)) * time.Minute), UpdatedBy: "ror gen", Source: Synthetic}
	}
	if mobile(label) {
		u.Zone = p.near(c, 20, 60)
	}
	return u
}

// mobile tells the unit types that go to the patient (équipes mobiles,
// domicile, HAD, SMUR): they get a zone d'intervention.
func mobile(label string) bool {
	l := strings.ToLower(label)
	return strings.Contains(l, "mobile") || strings.Contains(l, "domicile") || strings.Contains(l, "smur")
}

func shorten(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60])
	}
	return s
}

// Synthetic marks what the generator made up: units and bed figures.
const Synthetic = "ror gen (synthétique)"
