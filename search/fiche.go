package search

import (
	"context"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// Fiche returns the fiche of the EG with this FINESS: Invalid on a malformed
// FINESS, NotFound when there is none.
func (d *Directory) Fiche(ctx context.Context, finess string) (*ror.Fiche, error) {
	finess = strings.ToUpper(strings.TrimSpace(finess))
	if !ror.ValidFINESS(finess) {
		return nil, ror.Errorf(ror.Invalid, "finess", "Le numéro FINESS « %s » est mal formé : 9 caractères attendus.", ror.Clip(finess))
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	ord, ok := d.o.cat.EGOrdinal(finess)
	if !ok {
		return nil, ror.Errorf(ror.NotFound, "finess", "Aucun établissement n'a le numéro FINESS %s.", finess)
	}
	eg := &d.o.cat.EGs[ord]
	f := &ror.Fiche{
		FINESS: eg.FINESS, EJ: eg.EJ, Name: eg.Name, LongName: eg.LongName,
		Category:   d.r.coded(ror.VSCategorieEG, eg.Category),
		Address:    eg.Address,
		PostalCode: eg.PostalCode,
		Commune:    d.r.communeRef(eg.Commune),
		Department: d.r.department(eg.Department),
		Phone:      eg.Phone,
		Email:      eg.Email,
		Horaires:   eg.Horaires,
		Version:    eg.Version,
		Source:     eg.Source,
		UpdatedAt:  eg.UpdatedAt,
		Validated:  eg.Validated,
		ToReview:   time.Since(latest(eg.Validated, eg.UpdatedAt)) > ror.ReviewAfter,
	}
	if eg.Geolocated() {
		p := eg.Point
		f.Point = &p
	}
	for _, u := range d.o.cat.UOsOf[ord] {
		f.UOs = append(f.UOs, d.r.uoView(&d.o.cat.UOs[u]))
	}
	f.Lieux = d.r.egLieux(ord)
	return f, nil
}

func (rn renderer) uoView(u *ror.UO) ror.UOView {
	v := ror.UOView{
		ID: u.ID, Name: u.Name,
		TypeUO:        rn.coded(ror.VSTypeUO, u.TypeUO),
		ChampActivite: rn.coded(ror.VSChampActivite, u.ChampActivite),
		Activites:     rn.codedList(ror.VSActivite, u.Activites),
		Actes:         rn.codedList(ror.VSActe, u.Actes),
		Equipements:   rn.codedList(ror.VSEquipement, u.Equipements),
		Modes:         rn.codedList(ror.VSMode, u.Modes),
		Professions:   rn.codedList(ror.VSProfession, u.Professions),
		Expertises:    rn.codedList(ror.VSExpertise, u.Expertises),
		Publics:       rn.codedList(ror.VSPublic, u.Publics),
		Patientele:    u.Patientele,
		Horaires:      u.Horaires,
		Phone:         u.Phone,
		Statut:        u.Statut,
		Capacite:      u.Capacite,
		Provenance:    u.Provenance,
		ProvenanceLib: u.Provenance.Label(),
		UpdatedAt:     u.UpdatedAt,
		Version:       u.Version,
	}
	for _, insee := range u.Zone {
		v.Zone = append(v.Zone, rn.communeRef(insee))
	}
	v.Lieux = rn.unitLieux(u)
	return v
}

// UO returns one UO with its labels: NotFound when there is none.
func (d *Directory) UO(ctx context.Context, id string) (*ror.UOView, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ord, ok := d.o.cat.UOOrdinal(id)
	if !ok {
		return nil, ror.Errorf(ror.NotFound, "id", "L'UO « %s » n'existe pas.", ror.Clip(id))
	}
	v := d.r.uoView(&d.o.cat.UOs[ord])
	return &v, nil
}

// Communes returns the communes suggested for what a user types in "Où ?".
func (d *Directory) Communes(text string, limit int) ([]ror.Commune, error) {
	text, err := ror.ParseText("q", text)
	if err != nil {
		return nil, err
	}
	return d.o.places.Suggest(text, limit), nil
}

// PlaceNames returns the communes named on the page's offline map: those of
// at least min inhabitants, the most populous first.
func (d *Directory) PlaceNames(min int) []ror.Commune {
	return d.o.places.Populous(min)
}

// Suggest returns the categorised suggestions for "Rechercher dans".
func (d *Directory) Suggest(ctx context.Context, text string, dans ror.Dans) ([]ror.Suggestion, error) {
	text, err := ror.ParseText("q", text)
	if err != nil {
		return nil, err
	}
	return d.o.index.Suggest(ctx, text, dans, ror.SuggestLimit)
}

// Stats returns the sizes of the directory.
func (d *Directory) Stats() ror.Stats {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return ror.Stats{EGs: len(d.o.cat.EGs), UOs: len(d.o.cat.UOs)}
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
