package workflow

import (
	"context"
	"encoding/hex"
	"slices"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// ProDesk is the professionals' self-description (« Mon offre (1/2) »,
// « (2/2) ») and the reports of anomalies on them. A professional is
// responsible for their data (seed 003): a description is checked against
// the nomenclature's lists, published on submit and audited.
type ProDesk struct {
	live   ror.ProLive
	store  ror.ProStore // nil: read-only
	nom    *ror.Nomenclature
	places ror.Gazetteer
}

// NewProDesk returns the self-description workflow.
func NewProDesk(live ror.ProLive, store ror.ProStore, nom *ror.Nomenclature, places ror.Gazetteer) *ProDesk {
	return &ProDesk{live: live, store: store, nom: nom, places: places}
}

// The bounds of a description.
const (
	MaxZoneKm     = 100 // a home visit farther than that is not a zone d'intervention
	maxFreeText   = 200
	maxZoneInsee  = 200
	proTreG15     = ror.ValueSet("TRE_G15")
	proModalite   = ror.ValueSet("JDV_J226")
	proCompetence = ror.ValueSet("JDV_J33")
)

// RPPSOf returns the RPPS number an account describes: a professionnel's
// own; Forbidden for any other role.
func RPPSOf(acct *ror.Account) (string, error) {
	if acct.Role == ror.RoleProfessionnel && len(acct.Scope) == 1 && ror.ValidRPPS(acct.Scope[0]) {
		return acct.Scope[0], nil
	}
	return "", ror.Errorf(ror.Forbidden, "", "Seul un compte professionnel, lié à un numéro RPPS, décrit une offre de professionnel.")
}

// CheckStep checks the fields of one step (1 or 2) of « Mon offre »:
// Invalid naming the field of the first fault.
func (d *ProDesk) CheckStep(o ror.ProOffer, step int, known bool) error {
	codes := func(field string, vs ror.ValueSet, list []string, allowed []string) error {
		if len(list) > ror.MaxCodes {
			return ror.Errorf(ror.Invalid, field, "Trop de valeurs : %d, %d au plus.", len(list), ror.MaxCodes)
		}
		for _, c := range list {
			if !d.nom.Has(vs, c) || allowed != nil && !slices.Contains(allowed, c) {
				return ror.Errorf(ror.Invalid, field, "La valeur « %s » n'est pas dans la liste de la nomenclature nationale.", ror.Clip(c))
			}
		}
		return nil
	}
	text := func(field, s string) error {
		t, err := ror.ParseText(field, s)
		if err == nil && len([]rune(t)) > maxFreeText {
			err = ror.Errorf(ror.Invalid, field, "%d caractères au plus.", maxFreeText)
		}
		return err
	}
	switch step {
	case 1:
		if !known {
			if strings.TrimSpace(o.Nom) == "" {
				return ror.Errorf(ror.Invalid, "/nom", "Le numéro RPPS n'est pas encore dans le répertoire (aucune extraction chargée) : saisir le nom d'exercice.")
			}
			if !slices.Contains(ror.DescribedProfessions, o.Profession) {
				return ror.Errorf(ror.Invalid, "/profession", "La profession doit être 10 (médecin), 50 (sage-femme) ou 70 (masseur-kinésithérapeute), codes TRE_G15.")
			}
			for _, f := range [][2]string{{"/nom", o.Nom}, {"/prenom", o.Prenom}} {
				if err := text(f[0], f[1]); err != nil {
					return err
				}
			}
			if o.Civilite != "" && !slices.Contains([]string{"M", "MME", "DR", "PR"}, o.Civilite) {
				return ror.Errorf(ror.Invalid, "/civilite", "La civilité d'exercice doit être M, MME, DR ou PR.")
			}
		}
		if o.TypeOffre == "" || !d.nom.Has(ror.VSTypeUO, o.TypeOffre) || !strings.HasPrefix(d.nom.Label(ror.VSTypeUO, o.TypeOffre), "Cabinet de ville") {
			return ror.Errorf(ror.Invalid, "/type_offre", "Le type d'offre doit être un « Cabinet de ville … » de la nomenclature (JDV_J238).")
		}
		for _, c := range []struct {
			field string
			vs    ror.ValueSet
			list  []string
			only  []string
		}{{"/activites", ror.VSActivite, o.Activites, nil}, {"/actes", ror.VSActe, o.Actes, nil}, {"/publics", ror.VSPublic, o.Publics, nil},
			{"/competences", proCompetence, o.Competences, nil}, {"/modes", proModalite, o.Modes, ror.ProModes}} {
			if err := codes(c.field, c.vs, c.list, c.only); err != nil {
				return err
			}
		}
		if len(o.Modes) == 0 {
			return ror.Errorf(ror.Invalid, "/modes", "Choisir au moins un mode d'exercice : présentiel, téléconsultation ou visite à domicile.")
		}
	case 2:
		if err := codes("/equipements", ror.VSEquipement, o.Equipements, nil); err != nil {
			return err
		}
		home := slices.Contains(o.Modes, ror.ModeDomicile)
		if o.ZoneKm < 0 || o.ZoneKm > MaxZoneKm {
			return ror.Errorf(ror.Invalid, "/zone_km", "La zone d'intervention est un rayon de 0 à %d km.", MaxZoneKm)
		}
		if home && o.ZoneKm == 0 && len(o.Zone) == 0 {
			return ror.Errorf(ror.Invalid, "/zone_km", "Les visites à domicile demandent une zone d'intervention : un rayon en km ou des communes.")
		}
		if !home && (o.ZoneKm > 0 || len(o.Zone) > 0) {
			return ror.Errorf(ror.Invalid, "/zone_km", "Une zone d'intervention n'a de sens qu'avec les visites à domicile (mode 05).")
		}
		if len(o.Zone) > maxZoneInsee {
			return ror.Errorf(ror.Invalid, "/zone", "%d communes au plus.", maxZoneInsee)
		}
		for _, z := range o.Zone {
			if _, ok := d.places.Commune(z); !ok {
				return ror.Errorf(ror.Invalid, "/zone", "La commune « %s » de la zone est inconnue (code INSEE attendu).", ror.Clip(z))
			}
		}
		if o.Commune != "" {
			if _, ok := d.places.Commune(o.Commune); !ok {
				return ror.Errorf(ror.Invalid, "/commune", "La commune « %s » est inconnue (code INSEE attendu).", ror.Clip(o.Commune))
			}
		} else if !known {
			return ror.Errorf(ror.Invalid, "/commune", "Saisir la commune du lieu d'exercice (code INSEE).")
		}
		if o.Point != nil && !o.Point.Valid() {
			return ror.Errorf(ror.Invalid, "/position", "La position doit être une longitude et une latitude WGS84.")
		}
		for _, f := range [][2]string{{"/telephone", o.Phone}, {"/horaires", o.Horaires}, {"/adresse", o.Address}} {
			if err := text(f[0], f[1]); err != nil {
				return err
			}
		}
	default:
		return ror.Errorf(ror.Invalid, "etape", "L'étape est 1 ou 2.")
	}
	return nil
}

func (d *ProDesk) known(rpps string) bool {
	_, ok := d.live.Professional(rpps)
	return ok
}

// Check is « Mon offre (1/2) » without publishing: the fields of step 1
// checked for the account's professional.
func (d *ProDesk) Check(ctx context.Context, acct *ror.Account, o ror.ProOffer, step int) error {
	rpps, err := RPPSOf(acct)
	if err != nil {
		return err
	}
	return d.CheckStep(o, step, d.known(rpps))
}

// Describe publishes both steps of « Mon offre » for the account's
// professional: checked, written with its audit entry, visible at once.
func (d *ProDesk) Describe(ctx context.Context, acct *ror.Account, o ror.ProOffer, now time.Time) (*ror.Professional, error) {
	rpps, err := RPPSOf(acct)
	if err != nil {
		return nil, err
	}
	if d.store == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Ce service est en lecture seule.")
	}
	now = now.UTC()
	p, err := d.live.Change(ctx, rpps, func(cur ror.Professional, known bool) (ror.Professional, func(context.Context) error, error) {
		for step := 1; step <= 2; step++ {
			if err := d.CheckStep(o, step, known); err != nil {
				return cur, nil, err
			}
		}
		before := cur
		if !known {
			cur = ror.Professional{RPPS: rpps, Civilite: o.Civilite, Nom: strings.TrimSpace(o.Nom), Prenom: strings.TrimSpace(o.Prenom), Profession: o.Profession}
			before = ror.Professional{}
		}
		i := slices.IndexFunc(cur.Lieux, func(l ror.PracticePlace) bool { return l.ID == o.Place })
		if o.Place == "" && len(cur.Lieux) > 0 {
			i = 0
		}
		if i < 0 && o.Place != "" {
			return cur, nil, ror.Errorf(ror.Invalid, "/lieu", "Le lieu d'exercice « %s » n'est pas l'un des vôtres.", ror.Clip(o.Place))
		}
		if i < 0 {
			cur.Lieux = append(cur.Lieux, ror.PracticePlace{ID: rpps + "-" + randomHex(ctx, 4), Kind: ror.LieuCabinet})
			i = len(cur.Lieux) - 1
		}
		l := &cur.Lieux[i]
		l.TypeOffre, l.Activites, l.Actes, l.Publics, l.Competences = o.TypeOffre, uniq(o.Activites), uniq(o.Actes), uniq(o.Publics), uniq(o.Competences)
		l.Modes, l.Equipements, l.ZoneKm, l.Zone = uniq(o.Modes), uniq(o.Equipements), o.ZoneKm, uniq(o.Zone)
		if o.Phone != "" {
			l.Phone = strings.TrimSpace(o.Phone)
		}
		if o.Horaires != "" {
			l.Horaires = strings.TrimSpace(o.Horaires)
		}
		if o.Address != "" {
			l.Address = strings.TrimSpace(o.Address)
		}
		if o.Commune != "" && o.Commune != l.Commune {
			c, _ := d.places.Commune(o.Commune)
			l.Commune, l.Point, l.Placement = c.INSEE, c.Point, ror.PlacementCommune
			if len(c.PostalCodes) > 0 {
				l.PostalCode = c.PostalCodes[0]
			}
		}
		if o.Point != nil {
			l.Point, l.Placement = *o.Point, ror.PlacementDeclare
		}
		l.Described, l.Source = true, ror.SourceDeclared
		cur.Source, cur.UpdatedAt, cur.Version = ror.SourceDeclared, now, cur.Version+1
		change, err := ror.ChangeOf(ror.Change{At: now, Author: acct.Name, Kind: "professionnel", ID: rpps}, before, cur)
		if err != nil {
			return cur, nil, err
		}
		next := cur
		return next, func(ctx context.Context) error { return d.store.PutProfessional(ctx, next, change) }, nil
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// Report stores a report of an anomaly on a professional's fiche: it
// reaches the professional (Reports), who is responsible for the data.
func (d *ProDesk) Report(ctx context.Context, a ror.ProAnomaly, now time.Time) (*ror.ProAnomaly, error) {
	if d.store == nil {
		return nil, ror.Errorf(ror.Unavailable, "", "Ce service est en lecture seule.")
	}
	if !d.known(a.RPPS) {
		return nil, ror.Errorf(ror.NotFound, "rpps", "Aucun professionnel de numéro RPPS « %s ».", ror.Clip(a.RPPS))
	}
	desc, err := ror.ParseText("/description", a.Description)
	if err != nil {
		return nil, err
	}
	if len([]rune(desc)) < 5 {
		return nil, ror.Errorf(ror.Invalid, "/description", "Décrire l'anomalie en quelques mots (5 caractères au moins).")
	}
	if a.Email != "" && (!strings.Contains(a.Email, "@") || len(a.Email) > 254) {
		return nil, ror.Errorf(ror.Invalid, "/email", "L'adresse électronique est mal formée.")
	}
	if _, err := ror.ParseText("/champ", a.Field); err != nil {
		return nil, err
	}
	a.Description, a.At, a.ID = desc, now.UTC(), "p-"+randomHex(ctx, 6)
	change, err := ror.ChangeOf(ror.Change{At: a.At, Author: "signalement anonyme", Kind: "anomalie", ID: a.RPPS}, nil, a)
	if err != nil {
		return nil, err
	}
	if err := d.store.PutProAnomaly(ctx, a, change); err != nil {
		return nil, err
	}
	return &a, nil
}

// Reports lists the reports on the account's professional, newest first.
func (d *ProDesk) Reports(ctx context.Context, acct *ror.Account) ([]ror.ProAnomaly, error) {
	rpps, err := RPPSOf(acct)
	if err != nil {
		return nil, err
	}
	if d.store == nil {
		return []ror.ProAnomaly{}, nil
	}
	return d.store.ProAnomalies(ctx, rpps)
}

func uniq(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// randomHex is n random bytes in hex: the log's on a node of a cluster,
// so that every node gives the same id.
func randomHex(ctx context.Context, n int) string {
	b := make([]byte, n)
	ror.Random(ctx, b)
	return hex.EncodeToString(b)
}
