package api

import (
	"fmt"
	"math"

	"github.com/ror-recherche/ror"
)

// What the answers say in French beyond the data: the availability column
// and the summary sentence. The read side answers figures; the wording is
// the HTTP face's.

// disponibilite is the availability column of the ROR screen.
func disponibilite(known bool, n int) string {
	if !known {
		return "Saisie non activée"
	}
	if n <= 1 {
		return fmt.Sprintf("%d lit disponible", n)
	}
	return fmt.Sprintf("%d lits disponibles", n)
}

// summaryText is the line above the list.
func summaryText(s ror.Summary, from *ror.Commune) string {
	t := fmt.Sprintf("%d établissement(s), %d UO en %d ms.", s.Etablissements, s.UO, int64(math.Floor(s.TookMs)))
	if from != nil {
		t += " Distances calculées à partir de " + from.ShortName()
	}
	return t
}

func presentUOResult(r *ror.UOResult) {
	if r.LitsDispo == nil {
		r.Disponibilite = disponibilite(false, 0)
	} else {
		r.Disponibilite = disponibilite(true, *r.LitsDispo)
	}
}

func presentEGResults(rs []ror.EGResult) {
	for i := range rs {
		for j := range rs[i].UOs {
			presentUOResult(&rs[i].UOs[j])
		}
	}
}

// presentResults words a search answer (the page, the établissements
// without a position, and every result for exports).
func presentResults(res *ror.Answer) *ror.Answer {
	res.Summary.Text = summaryText(res.Summary, res.From)
	if res.All != nil {
		presentEGResults(res.All) // the page is a part of it
	} else {
		presentEGResults(res.Etablissements)
	}
	presentEGResults(res.NonGeolocalisees)
	return res
}

func presentUOView(v *ror.UOView) *ror.UOView {
	v.Disponibilite = disponibilite(v.Capacite.Known, v.Capacite.Disponibles)
	return v
}

func presentFiche(f *ror.Fiche) *ror.Fiche {
	if f.UOs == nil {
		f.UOs = []ror.UOView{} // "uo": [] on a fiche without units, never null
	}
	for i := range f.UOs {
		presentUOView(&f.UOs[i])
	}
	return f
}

func presentNear(rs []ror.NearResult) []ror.NearResult {
	for i := range rs {
		presentUOResult(&rs[i].UO)
	}
	return rs
}
