package ror

import (
	"context"
	"strings"
	"time"
)

// Fiche is the page of one EG with all its UOs, labels resolved.
type Fiche struct {
	FINESS     string     `json:"finess"`
	EJ         string     `json:"finess_ej,omitempty"`
	Name       string     `json:"nom"`
	LongName   string     `json:"nom_long,omitempty"`
	Category   Coded      `json:"categorie"`
	Address    string     `json:"adresse"`
	PostalCode string     `json:"code_postal"`
	Commune    CommuneRef `json:"commune"`
	Department Department `json:"departement"`
	Phone      string     `json:"telephone,omitempty"`
	Email      string     `json:"email,omitempty"`
	Horaires   string     `json:"horaires,omitempty"`
	Point      *Point     `json:"position,omitempty"`
	Source     string     `json:"source"`
	UpdatedAt  time.Time  `json:"maj"`
	Validated  time.Time  `json:"maj_validee,omitempty"` // last update validated for a référent
	ToReview   bool       `json:"a_reviser"`             // no validated update for a year: the ROR asks a yearly review
	Version    int        `json:"version"`               // what a référent's draft is based on (version_base)
	UOs        []UOView   `json:"uo"`
}

// ReviewAfter is how long a fiche stays current without a validated update.
const ReviewAfter = 365 * 24 * time.Hour

// UOView is a UO with every code paired with its national label.
type UOView struct {
	ID            string       `json:"id"`
	Name          string       `json:"nom"`
	TypeUO        Coded        `json:"type_uo"`
	ChampActivite Coded        `json:"champ_activite"`
	Activites     []Coded      `json:"activites"`
	Actes         []Coded      `json:"actes"`
	Equipements   []Coded      `json:"equipements"`
	Modes         []Coded      `json:"modes"`
	Professions   []Coded      `json:"professions"`
	Expertises    []Coded      `json:"expertises"`
	Publics       []Coded      `json:"publics"`
	Patientele    Patientele   `json:"patientele"`
	Horaires      string       `json:"horaires,omitempty"`
	Phone         string       `json:"telephone,omitempty"`
	Statut        Statut       `json:"statut"`
	Capacite      Capacite     `json:"capacite"`
	Disponibilite string       `json:"disponibilite"`
	Zone          []CommuneRef `json:"zone_intervention,omitempty"`
	UpdatedAt     time.Time    `json:"maj"`
	Version       int          `json:"version"` // what a draft modifying this UO is based on
}

// Fiche returns the fiche of the EG with this FINESS: Invalid on a malformed
// FINESS, NotFound when there is none.
func (d *Directory) Fiche(ctx context.Context, finess string) (*Fiche, error) {
	finess = strings.ToUpper(strings.TrimSpace(finess))
	if !ValidFINESS(finess) {
		return nil, Errorf(Invalid, "finess", "Le numéro FINESS « %s » est mal formé : 9 caractères attendus.", clip(finess))
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	ord, ok := d.cat.EGOrdinal(finess)
	if !ok {
		return nil, Errorf(NotFound, "finess", "Aucun établissement n'a le numéro FINESS %s.", finess)
	}
	eg := &d.cat.EGs[ord]
	f := &Fiche{
		FINESS: eg.FINESS, EJ: eg.EJ, Name: eg.Name, LongName: eg.LongName,
		Category:   d.coded(VSCategorieEG, eg.Category),
		Address:    eg.Address,
		PostalCode: eg.PostalCode,
		Commune:    d.communeRef(eg.Commune),
		Department: d.department(eg.Department),
		Phone:      eg.Phone,
		Email:      eg.Email,
		Horaires:   eg.Horaires,
		Version:    eg.Version,
		Source:     eg.Source,
		UpdatedAt:  eg.UpdatedAt,
		Validated:  eg.Validated,
		ToReview:   time.Since(latest(eg.Validated, eg.UpdatedAt)) > ReviewAfter,
	}
	if eg.Geolocated() {
		p := eg.Point
		f.Point = &p
	}
	for _, u := range d.cat.UOsOf[ord] {
		f.UOs = append(f.UOs, d.uoView(&d.cat.UOs[u]))
	}
	return f, nil
}

func (d *Directory) uoView(u *UO) UOView {
	v := UOView{
		ID: u.ID, Name: u.Name,
		TypeUO:        d.coded(VSTypeUO, u.TypeUO),
		ChampActivite: d.coded(VSChampActivite, u.ChampActivite),
		Activites:     d.codedList(VSActivite, u.Activites),
		Actes:         d.codedList(VSActe, u.Actes),
		Equipements:   d.codedList(VSEquipement, u.Equipements),
		Modes:         d.codedList(VSMode, u.Modes),
		Professions:   d.codedList(VSProfession, u.Professions),
		Expertises:    d.codedList(VSExpertise, u.Expertises),
		Publics:       d.codedList(VSPublic, u.Publics),
		Patientele:    u.Patientele,
		Horaires:      u.Horaires,
		Phone:         u.Phone,
		Statut:        u.Statut,
		Capacite:      u.Capacite,
		Disponibilite: Disponibilite(u.Capacite),
		UpdatedAt:     u.UpdatedAt,
		Version:       u.Version,
	}
	for _, insee := range u.Zone {
		v.Zone = append(v.Zone, d.communeRef(insee))
	}
	return v
}

// UO returns one UO with its labels: NotFound when there is none.
func (d *Directory) UO(ctx context.Context, id string) (*UOView, error) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	ord, ok := d.cat.UOOrdinal(id)
	if !ok {
		return nil, Errorf(NotFound, "id", "L'UO « %s » n'existe pas.", clip(id))
	}
	v := d.uoView(&d.cat.UOs[ord])
	return &v, nil
}

// Communes returns the communes suggested for what a user types in "Où ?".
func (d *Directory) Communes(text string, limit int) ([]Commune, error) {
	text, err := ParseText("q", text)
	if err != nil {
		return nil, err
	}
	return d.places.Suggest(text, limit), nil
}

// Suggest returns the categorised suggestions for "Rechercher dans".
func (d *Directory) Suggest(ctx context.Context, text string, dans Dans) ([]Suggestion, error) {
	text, err := ParseText("q", text)
	if err != nil {
		return nil, err
	}
	return d.index.Suggest(ctx, text, dans, SuggestLimit)
}

// Stats are the sizes of the directory, for /readyz and the README.
type Stats struct {
	EGs int `json:"eg"`
	UOs int `json:"uo"`
}

// Stats returns the sizes of the directory.
func (d *Directory) Stats() Stats {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return Stats{EGs: len(d.cat.EGs), UOs: len(d.cat.UOs)}
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
