package store_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ror-recherche/ror"
)

// synthOffer builds a national-scale offer of egs EGs with 5 UOs each, from
// a fixed seed, with the field sizes of the real ROR: 3 activités, 1 acte,
// 0–2 équipements, 2 modes, 1–3 professions, a commune per EG, names of
// 20–60 characters, a mobile unit's zone now and then.
func synthOffer(egs int, seed uint64) *ror.Offer {
	r := rand.New(rand.NewPCG(seed, 1))
	at := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	code := func(prefix string, n int) string { return fmt.Sprintf("%s%d", prefix, r.IntN(n)) }
	codes := func(prefix string, n, k int) []string {
		out := make([]string, k)
		for i := range out {
			out[i] = code(prefix, n)
		}
		return out
	}
	name := func() string {
		words := []string{"Service", "de", "médecine", "polyvalente", "Centre", "hospitalier", "Saint-Joseph", "unité", "soins", "continus", "gériatrie", "aiguë", "pédiatrie", "EHPAD", "Les", "Tilleuls"}
		s := words[r.IntN(len(words))]
		for n := 2 + r.IntN(5); n > 0; n-- {
			s += " " + words[r.IntN(len(words))]
		}
		return s
	}
	nom := ror.NewNomenclature()
	for i := range 300 {
		nom.Add(ror.VSActivite, ror.Concept{Code: fmt.Sprint(i), Label: "Activité " + fmt.Sprint(i), System: "https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/TRE-R211-ActiviteOperationnelle"})
	}
	o := &ror.Offer{Nomenclature: nom, ImportedAt: at, Sources: []string{"synth"}}
	for i := range 1000 {
		insee := fmt.Sprintf("%05d", 1000+i)
		o.Communes = append(o.Communes, ror.Commune{INSEE: insee, Name: "Commune " + insee, PostalCodes: []string{insee}, Department: insee[:2], Region: "84", Population: r.IntN(100_000), Point: ror.Point{Lon: 2 + r.Float64(), Lat: 46 + r.Float64()}})
	}
	o.Departments = []ror.Department{{Code: "01", Name: "Ain"}, {Code: "75", Name: "Paris"}}
	o.EGs = make([]ror.EG, 0, egs)
	o.UOs = make([]ror.UO, 0, 5*egs)
	for i := range egs {
		ej := fmt.Sprintf("%02d%07d", i%95+1, i/10)
		if i%10 == 0 {
			o.EJs = append(o.EJs, ror.EJ{FINESS: ej, Name: name()})
		}
		c := o.Communes[r.IntN(len(o.Communes))]
		f := fmt.Sprintf("%02d%07d", i%95+1, i)
		o.EGs = append(o.EGs, ror.EG{FINESS: f, EJ: ej, Name: name(), LongName: name(), Category: code("", 700), Address: fmt.Sprintf("%d rue de la République", r.IntN(200)),
			PostalCode: c.PostalCodes[0], Commune: c.INSEE, Department: c.Department, Phone: "01 23 45 67 89", Email: "accueil@example.fr",
			Point: ror.Point{Lon: c.Point.Lon + r.Float64()/100, Lat: c.Point.Lat + r.Float64()/100}, Source: "finess", UpdatedAt: at, Version: 1})
		for j := range 5 {
			u := ror.UO{ID: fmt.Sprintf("%s-%04d", f, j), EG: f, Name: name(), TypeUO: code("", 60), ChampActivite: code("0", 9),
				Activites: codes("", 300, 3), Actes: codes("", 200, 1), Equipements: codes("", 80, r.IntN(3)), Modes: codes("", 30, 2),
				Professions: codes("TRE_G15:", 50, 1+r.IntN(3)), Expertises: codes("", 10, r.IntN(2)), Publics: codes("", 20, 1),
				Patientele: ror.Patientele{Adulte: true, Enfant: r.IntN(3) == 0, AgeMin: 18}, Statut: ror.StatutActif,
				Capacite: ror.Capacite{Installes: r.IntN(60), Disponibles: r.IntN(5), Known: true, UpdatedAt: at}, UpdatedAt: at, Version: 1}
			if r.IntN(20) == 0 {
				u.Zone = codes("", 99999, 10)
			}
			o.UOs = append(o.UOs, u)
		}
	}
	return o
}
