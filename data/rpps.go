package data

import (
	"bufio"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ror-recherche/ror"
)

// The columns of the Annuaire Santé's « extraction en libre accès »
// PS_LibreAcces_Personne_activite_<date>.txt that the importer reads, by
// their header names (ANS, « Extractions en libre accès – dossier des
// spécifications »). The file is '|'-separated, unquoted, one header line,
// each line ending with a '|'; columns are found by name, so a column added
// by a later version of the file changes nothing.
const (
	colIDNat       = "Identification nationale PP"
	colCivilite    = "Code civilité d'exercice"
	colNom         = "Nom d'exercice"
	colPrenom      = "Prénom d'exercice"
	colProfession  = "Code profession"
	colTypeSF      = "Code type savoir-faire"
	colSavoirFaire = "Code savoir-faire"
	colMode        = "Code mode exercice"
	colSIRET       = "Numéro SIRET site"
	colFINESS      = "Numéro FINESS site"
	colStructure   = "Identifiant technique de la structure"
	colRaison      = "Raison sociale site"
	colEnseigne    = "Enseigne commerciale site"
	colNumVoie     = "Numéro Voie (coord. structure)"
	colIndice      = "Indice répétition voie (coord. structure)"
	colTypeVoie    = "Libellé type de voie (coord. structure)"
	colVoie        = "Libellé Voie (coord. structure)"
	colCP          = "Code postal (coord. structure)"
	colCommune     = "Code commune (coord. structure)"
	colTel         = "Téléphone (coord. structure)"
	colMail        = "Adresse e-mail (coord. structure)"
	colSecteur     = "Code secteur d'activité"
)

// rppsRequired are the columns without which a line means nothing.
var rppsRequired = []string{colIDNat, colNom, colProfession, colCommune}

// RPPSReport says what an RPPS import kept, left out and could not read.
type RPPSReport struct {
	File          string
	Lines         int            // activity lines read (header excluded)
	Professionals int            // kept, of the described professions
	Places        int            // their places of practice
	Skipped       map[string]int // lines left out on purpose, by reason
	Malformed     []LineError    // lines that could not be read, with their number
}

// LineError is one unreadable line of a file.
type LineError struct {
	Line   int    // 1-based, the header being line 1
	Reason string // French
}

func (e LineError) String() string { return fmt.Sprintf("ligne %d : %s", e.Line, e.Reason) }

// Summary is the report in one French sentence per line.
func (r *RPPSReport) Summary() []string {
	out := []string{fmt.Sprintf("%s : %d lignes d'activité, %d professionnels retenus (%d lieux d'exercice)", r.File, r.Lines, r.Professionals, r.Places)}
	if len(r.Skipped) > 0 {
		out = append(out, "écartées : "+counts(r.Skipped))
	}
	for _, e := range r.Malformed {
		out = append(out, "illisible, "+e.String())
	}
	return out
}

// RPPSOptions choose what an import keeps.
type RPPSOptions struct {
	// Communes place each activity at its commune's centre (the extract has
	// addresses, no coordinates); a commune unknown there is a malformed line.
	Communes map[string]ror.Commune
	// Source names the file in each record ("RPPS PS_LibreAcces_…_202611.txt").
	Source string
	Now    time.Time
}

// ReadRPPS reads an Annuaire Santé « Personne_activite » extract: every
// liberal activity line (Code mode exercice L) of a médecin, sage-femme
// or masseur-kinésithérapeute becomes a place of practice of its
// professional. Lines of other professions or modes are counted as left
// out; a line that cannot be read (wrong number of columns, bad
// identifier, unknown commune) is reported with its number and the others
// are kept.
func ReadRPPS(r io.Reader, name string, opt RPPSOptions) ([]ror.Professional, *RPPSReport, error) {
	rep := &RPPSReport{File: name, Skipped: map[string]int{}}
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.ReadString('\n')
	if err != nil && head == "" {
		return nil, rep, fmt.Errorf("%s : en-tête illisible : %v", name, err)
	}
	cols := splitRPPS(strings.TrimPrefix(head, "\ufeff"))
	col := make(map[string]int, len(cols))
	for i, h := range cols {
		col[strings.TrimSpace(h)] = i
	}
	for _, c := range rppsRequired {
		if _, ok := col[c]; !ok {
			return nil, rep, fmt.Errorf("%s : colonne « %s » absente de l'en-tête : ce n'est pas une extraction PS_LibreAcces_Personne_activite", name, c)
		}
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	byID := map[string]int{}
	var pros []ror.Professional
	var rec []string // reused: 2 million lines of 56 fields would otherwise allocate gigabytes
	for line := 2; ; line++ {
		s, err := br.ReadString('\n')
		if s == "" && err != nil {
			if err != io.EOF {
				return nil, rep, fmt.Errorf("%s : lecture interrompue ligne %d : %v", name, line, err)
			}
			break
		}
		if strings.TrimSpace(s) == "" {
			continue
		}
		rep.Lines++
		rec = splitInto(rec[:0], s)
		bad := func(format string, a ...any) {
			rep.Malformed = append(rep.Malformed, LineError{Line: line, Reason: fmt.Sprintf(format, a...)})
		}
		if len(rec) != len(cols) {
			bad("%d colonnes au lieu de %d", len(rec), len(cols))
			continue
		}
		prof := get(rec, colProfession)
		if !slices.Contains(ror.DescribedProfessions, prof) {
			rep.Skipped["autre profession"]++
			continue
		}
		if m := get(rec, colMode); m != "" && m != "L" {
			rep.Skipped["exercice non libéral"]++
			continue
		}
		id := get(rec, colIDNat)
		if !ror.ValidRPPS(id) {
			bad("identification nationale « %s » : 8 suivi des 11 chiffres du RPPS attendu", ror.Clip(id))
			continue
		}
		nom := get(rec, colNom)
		if nom == "" {
			bad("nom d'exercice vide")
			continue
		}
		insee := get(rec, colCommune)
		c, ok := opt.Communes[insee]
		if !ok {
			bad("commune « %s » inconnue du Code officiel géographique", ror.Clip(insee))
			continue
		}
		place := rppsPlace(id, prof, c, rec, get)
		place.Source = opt.Source
		i, seen := byID[id]
		if !seen {
			p := ror.Professional{RPPS: id, Civilite: get(rec, colCivilite), Nom: nom, Prenom: get(rec, colPrenom),
				Profession: prof, Source: opt.Source, UpdatedAt: opt.Now}
			if get(rec, colTypeSF) == "S" {
				p.SavoirFaire = get(rec, colSavoirFaire)
			}
			byID[id] = len(pros)
			pros = append(pros, p)
			i = len(pros) - 1
		}
		p := &pros[i]
		if p.SavoirFaire == "" && get(rec, colTypeSF) == "S" {
			p.SavoirFaire = get(rec, colSavoirFaire)
		}
		if slices.ContainsFunc(p.Lieux, func(l ror.PracticePlace) bool { return l.ID == place.ID }) {
			continue // the same place once per savoir-faire line
		}
		p.Lieux = append(p.Lieux, place)
		rep.Places++
	}
	for i := range pros {
		typeOffre := TypeOffreOf(pros[i].Profession, pros[i].SavoirFaire)
		for j := range pros[i].Lieux {
			pros[i].Lieux[j].TypeOffre = typeOffre
		}
	}
	rep.Professionals = len(pros)
	return pros, rep, nil
}

// splitRPPS splits a line of the extract: '|'-separated, the last field
// followed by a '|' (dropped), the line end trimmed.
func splitRPPS(s string) []string {
	s = strings.TrimRight(s, "\r\n")
	s = strings.TrimSuffix(s, "|")
	return strings.Split(s, "|")
}

// splitInto is splitRPPS appending to buf (the fields are substrings of s).
func splitInto(buf []string, s string) []string {
	s = strings.TrimRight(s, "\r\n")
	s = strings.TrimSuffix(s, "|")
	for {
		i := strings.IndexByte(s, '|')
		if i < 0 {
			return append(buf, s)
		}
		buf = append(buf, s[:i])
		s = s[i+1:]
	}
}

// rppsPlace is the place of practice of one activity line, placed at its
// commune's centre (derived: the extract has no coordinates).
func rppsPlace(id, prof string, c ror.Commune, rec []string, get func([]string, string) string) ror.PracticePlace {
	addr := strings.Join(strings.Fields(strings.Join([]string{get(rec, colNumVoie), get(rec, colIndice), get(rec, colTypeVoie), get(rec, colVoie)}, " ")), " ")
	name := get(rec, colEnseigne)
	if name == "" {
		name = get(rec, colRaison)
	}
	kind := ror.LieuCabinet
	finess := get(rec, colFINESS)
	switch {
	case finess != "":
		kind = ror.LieuEtablissement
	case strings.HasPrefix(get(rec, colSecteur), "SA"): // TRE_R02: SA… sectors are établissements and centres
		kind = ror.LieuCentreSante
	}
	h := sha256.Sum256([]byte(get(rec, colSIRET) + "|" + finess + "|" + get(rec, colStructure) + "|" + addr + "|" + c.INSEE))
	return ror.PracticePlace{
		ID: id + "-" + hex.EncodeToString(h[:4]), Kind: kind, Name: name, SIRET: get(rec, colSIRET), FINESS: finess,
		Address: addr, PostalCode: get(rec, colCP), Commune: c.INSEE, Phone: get(rec, colTel), Email: get(rec, colMail),
		Point: c.Point, Placement: ror.PlacementCommune,
	}
}

// TypeOffreOf is the JDV_J238 type of offer of a cabinet de ville of a
// profession (TRE_G15) and spécialité ordinale (TRE_R38), "" when the
// nomenclature has none for it.
func TypeOffreOf(profession, savoirFaire string) string {
	switch profession {
	case ror.ProfessionKine:
		return "195" // Cabinet de ville de kinésithérapie
	case ror.ProfessionSageFemme:
		return "213" // Cabinet de ville de sages-femmes
	case ror.ProfessionMedecin:
		if savoirFaire == "SM54" || savoirFaire == "SM53" || savoirFaire == "SM26" || savoirFaire == "" {
			return "196" // Cabinet de ville de médecine générale
		}
	}
	return ""
}

//go:embed professionnels/TRE_G15_ProfessionSante.csv
var treG15 string

//go:embed professionnels/TRE_R38_SpecialiteOrdinale.csv
var treR38 string

// The code systems of the professionals the nomenclature mirror lacks, as
// value sets of the Nomenclature (data/professionnels/SOURCES.md).
const (
	VSProfessionSante    ror.ValueSet = "TRE_G15"
	VSSpecialiteOrdinale ror.ValueSet = "TRE_R38"
)

// AddProfessionCodes adds TRE_G15 and TRE_R38 (embedded) to n.
func AddProfessionCodes(n *ror.Nomenclature) error {
	for _, f := range []struct {
		vs     ror.ValueSet
		system string
		text   string
	}{{VSProfessionSante, "TRE_G15-ProfessionSante", treG15}, {VSSpecialiteOrdinale, "TRE_R38-SpecialiteOrdinale", treR38}} {
		t, err := newTable(strings.NewReader(f.text), string(f.vs), ',', "code", "label")
		if err != nil {
			return err
		}
		for {
			ok, err := t.next()
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			code := t.get("code")
			n.Add(f.vs, ror.Concept{Key: code, Code: code, Label: t.get("label"), System: SystemURL(f.system)})
		}
	}
	return nil
}
