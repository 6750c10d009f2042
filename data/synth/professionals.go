package synth

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// ProOptions size the generated professionals. The defaults are the
// national density of the issue: about 90,000 masseurs-kinésithérapeutes,
// 23,000 sages-femmes and 100,000 médecins généralistes in liberal
// practice, placed by commune population.
type ProOptions struct {
	Kines, SagesFemmes, Generalistes int
	Seed                             uint64
	Described                        float64 // share who described their offer (codes, modes, zone); default 0.3
}

func (o *ProOptions) defaults() {
	if o.Kines == 0 && o.SagesFemmes == 0 && o.Generalistes == 0 {
		o.Kines, o.SagesFemmes, o.Generalistes = 90_000, 23_000, 100_000
	}
	if o.Described == 0 {
		o.Described = 0.3
	}
}

// proCodes are what a described professional of each profession draws
// from: the nomenclature's own codes of their practice.
type proCodes struct{ activites, actes []string }

func newProCodes(nom *ror.Nomenclature) map[string]proCodes {
	var kine []string
	for _, c := range nom.Concepts(ror.VSActivite) {
		if strings.HasPrefix(c.Label, "Kinésithérapie") {
			kine = append(kine, c.Key)
		}
	}
	keep := func(vs ror.ValueSet, keys ...string) []string {
		var out []string
		for _, k := range keys {
			if nom.Has(vs, k) {
				out = append(out, k)
			}
		}
		return out
	}
	return map[string]proCodes{
		ror.ProfessionKine:      {activites: kine, actes: keep(ror.VSActe, "1341", "1555", "1554", "1573", "0965", "0968")},
		ror.ProfessionSageFemme: {actes: keep(ror.VSActe, "1332", "1341", "1343", "0717", "1479")},
		ror.ProfessionMedecin:   {actes: keep(ror.VSActe, "0898", "1282")},
	}
}

// Professionals draws the professionals, deterministic from o.Seed: each
// has one place of practice (one in ten a second one in a neighbouring
// around the same commune), near the commune's centre; a share describe
// their offer.
func Professionals(communes []ror.Commune, nom *ror.Nomenclature, o ProOptions) []ror.Professional {
	o.defaults()
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x51ed270b7a3c9d1f))
	pl := weighted(communes)
	codes := newProCodes(nom)
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	var out []ror.Professional
	n := 0
	for _, g := range []struct {
		prof, sf, typeOffre string
		count               int
	}{{ror.ProfessionKine, "", "195", o.Kines}, {ror.ProfessionSageFemme, "", "213", o.SagesFemmes}, {ror.ProfessionMedecin, ror.SavoirFaireGeneraliste, "196", o.Generalistes}} {
		for i := 0; i < g.count; i++ {
			n++
			rpps := fmt.Sprintf("8%011d", 90_000_000_000+n) // 8 + a number of the 9… range: RPPS numbers start with 1
			p := ror.Professional{RPPS: rpps, Civilite: []string{"M", "MME"}[r.IntN(2)], Nom: fmt.Sprintf("SYNTH-%06d", n),
				Prenom: "Synthétique", Profession: g.prof, SavoirFaire: g.sf, Source: "ror gen (synthétique)", UpdatedAt: now}
			places := 1
			if r.IntN(10) == 0 {
				places = 2
			}
			c := pl.pick(r)
			for j := 0; j < places; j++ {
				spread := 0.03 // up to about 2 km around the commune's centre
				if j > 0 {
					spread = 0.15 // a second cabinet up to about 8 km away
				}
				pt := ror.Point{Lon: c.Point.Lon + (r.Float64()-0.5)*spread*1.4, Lat: c.Point.Lat + (r.Float64()-0.5)*spread}
				l := ror.PracticePlace{ID: fmt.Sprintf("%s-%d", rpps, j+1), Kind: ror.LieuCabinet, Name: "Cabinet " + p.Nom,
					Commune: c.INSEE, Point: pt, Placement: ror.PlacementDeclare, TypeOffre: g.typeOffre,
					SIRET: fmt.Sprintf("9%013d", n*2+j), Source: p.Source}
				if len(c.PostalCodes) > 0 {
					l.PostalCode = c.PostalCodes[0]
				}
				if r.Float64() < o.Described {
					pc := codes[g.prof]
					l.Activites = drawSome(r, pc.activites, 0, 3)
					l.Actes = drawSome(r, pc.actes, 0, 2)
					l.Modes = []string{ror.ModePresentiel}
					if r.IntN(2) == 0 {
						l.Modes = append(l.Modes, ror.ModeDomicile)
						l.ZoneKm = float64(5 + r.IntN(16))
					}
					l.Described = true
				}
				p.Lieux = append(p.Lieux, l)
			}
			out = append(out, p)
		}
	}
	return out
}

func drawSome(r *rand.Rand, from []string, lo, hi int) []string {
	if len(from) == 0 {
		return nil
	}
	k := min(lo+r.IntN(hi-lo+1), len(from))
	out := make([]string, 0, k)
	for len(out) < k {
		if c := from[r.IntN(len(from))]; !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// RPPSHeader is the header of the Annuaire Santé's Personne_activite
// extract (data/rpps.go reads it by these names).
var RPPSHeader = strings.Split("Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|Numéro FINESS établissement juridique|Identifiant technique de la structure|Raison sociale site|Enseigne commerciale site|Complément destinataire (coord. structure)|Complément point géographique (coord. structure)|Numéro Voie (coord. structure)|Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|Libellé type de voie (coord. structure)|Libellé Voie (coord. structure)|Mention distribution (coord. structure)|Bureau cedex (coord. structure)|Code postal (coord. structure)|Code commune (coord. structure)|Libellé commune (coord. structure)|Code pays (coord. structure)|Libellé pays (coord. structure)|Téléphone (coord. structure)|Téléphone 2 (coord. structure)|Télécopie (coord. structure)|Adresse e-mail (coord. structure)|Code Département (structure)|Libellé Département (structure)|Ancien identifiant de la structure|Autorité d'enregistrement|Code secteur d'activité|Libellé secteur d'activité|Code section tableau pharmaciens|Libellé section tableau pharmaciens|Code rôle|Libellé rôle|Code genre activité|Libellé genre activité", "|")

// WriteRPPS writes list as an extract in that format into dir under name:
// one liberal activity line per place (what the RPPS holds: identity,
// profession, savoir-faire, structure and commune; not the offer they
// describe in the ROR, nor a position).
func WriteRPPS(dir, name string, list []ror.Professional) error {
	f, err := create(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	col := map[string]int{}
	for i, h := range RPPSHeader {
		col[h] = i
	}
	f.w.WriteString(strings.Join(RPPSHeader, "|") + "|\r\n")
	rec := make([]string, len(RPPSHeader))
	for _, p := range list {
		for _, l := range p.Lieux {
			clear(rec)
			set := func(h, v string) { rec[col[h]] = v }
			set("Type d'identifiant PP", "8")
			set("Identifiant PP", strings.TrimPrefix(p.RPPS, "8"))
			set("Identification nationale PP", p.RPPS)
			set("Code civilité d'exercice", p.Civilite)
			set("Nom d'exercice", p.Nom)
			set("Prénom d'exercice", p.Prenom)
			set("Code profession", p.Profession)
			if p.SavoirFaire != "" {
				set("Code type savoir-faire", "S")
				set("Code savoir-faire", p.SavoirFaire)
			}
			set("Code mode exercice", "L")
			set("Numéro SIRET site", l.SIRET)
			set("Raison sociale site", strings.ToUpper(l.Name))
			set("Code postal (coord. structure)", l.PostalCode)
			set("Code commune (coord. structure)", l.Commune)
			set("Code pays (coord. structure)", "99000")
			f.w.WriteString(strings.Join(rec, "|") + "|\r\n")
		}
	}
	return f.commit()
}
