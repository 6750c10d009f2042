package ror

import (
	"sort"
	"strings"
)

// ValueSet names a national value set (ANS NOS "JDV_…") that codes one field
// of the offer. The constants are the ones the ROR FHIR guide binds.
type ValueSet string

// The value sets of the ROR model used here (nomenclatures/SOURCES.md says
// which file holds each one and which ROR field it codes).
const (
	VSTypeUO        ValueSet = "JDV_J238" // type d'offre / type d'UO, codes of TRE_R244 CategorieOrganisation
	VSChampActivite ValueSet = "JDV_J20"  // champ d'activité, TRE_R227
	VSActivite      ValueSet = "JDV_J17"  // activité opérationnelle, TRE_R211
	VSActe          ValueSet = "JDV_J16"  // acte spécifique, TRE_R210
	VSEquipement    ValueSet = "JDV_J18"  // équipement spécifique, TRE_R212
	VSMode          ValueSet = "JDV_J19"  // mode de prise en charge, TRE_R213
	VSProfession    ValueSet = "JDV_J186" // profession ressource, several TRE
	VSPublic        ValueSet = "JDV_J29"  // public pris en charge, TRE_R239
	VSExpertise     ValueSet = "JDV_J227" // niveau d'expertise, TRE_R253 + TRE_R344
	VSCategorieEG   ValueSet = "JDV_J55"  // catégorie d'établissement, TRE_R66 (+ TRE_R02)
	VSStatutCap     ValueSet = "JDV_J188" // statut de capacité, TRE_R330
	VSFamille       ValueSet = "JDV_J51"  // famille d'activité opérationnelle
)

// Concept is one code of a value set. Key is what the offer stores: the code
// itself, or "TRE_Rxx:code" in the value sets whose codes collide across code
// systems (JDV_J186). System is the canonical URL of the code system.
type Concept struct {
	Key    string `json:"code"`
	Code   string `json:"-"`
	Label  string `json:"label"`
	System string `json:"-"`
}

// Nomenclature holds the national value sets. It is built once at import and
// read concurrently afterwards.
type Nomenclature struct {
	sets map[ValueSet]*conceptSet
}

type conceptSet struct {
	byKey map[string]int
	list  []Concept
}

// NewNomenclature returns an empty nomenclature.
func NewNomenclature() *Nomenclature {
	return &Nomenclature{sets: map[ValueSet]*conceptSet{}}
}

// Add records c in vs; a second concept with the same key replaces the first.
func (n *Nomenclature) Add(vs ValueSet, c Concept) {
	s := n.sets[vs]
	if s == nil {
		s = &conceptSet{byKey: map[string]int{}}
		n.sets[vs] = s
	}
	if c.Key == "" {
		c.Key = c.Code
	}
	if i, ok := s.byKey[c.Key]; ok {
		s.list[i] = c
		return
	}
	s.byKey[c.Key] = len(s.list)
	s.list = append(s.list, c)
}

// Lookup returns the concept of vs with key.
func (n *Nomenclature) Lookup(vs ValueSet, key string) (Concept, bool) {
	s := n.sets[vs]
	if s == nil {
		return Concept{}, false
	}
	i, ok := s.byKey[key]
	if !ok {
		return Concept{}, false
	}
	return s.list[i], true
}

// Has reports whether key is a code of vs.
func (n *Nomenclature) Has(vs ValueSet, key string) bool {
	_, ok := n.Lookup(vs, key)
	return ok
}

// Label returns the national label of key in vs, or key itself when unknown.
func (n *Nomenclature) Label(vs ValueSet, key string) string {
	if c, ok := n.Lookup(vs, key); ok {
		return c.Label
	}
	return key
}

// Concepts returns the concepts of vs in source order.
func (n *Nomenclature) Concepts(vs ValueSet) []Concept {
	if s := n.sets[vs]; s != nil {
		return s.list
	}
	return nil
}

// ValueSets returns the names of the loaded value sets, sorted.
func (n *Nomenclature) ValueSets() []ValueSet {
	out := make([]ValueSet, 0, len(n.sets))
	for vs := range n.sets {
		out = append(out, vs)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Len returns the number of concepts over all value sets.
func (n *Nomenclature) Len() int {
	total := 0
	for _, s := range n.sets {
		total += len(s.list)
	}
	return total
}

// CodeSystemName returns the short NOS name of a canonical URL, e.g.
// "TRE_R211-ActiviteOperationnelle" for
// https://mos.esante.gouv.fr/NOS/TRE_R211-ActiviteOperationnelle/FHIR/….
func CodeSystemName(system string) string {
	rest, ok := strings.CutPrefix(system, "https://mos.esante.gouv.fr/NOS/")
	if !ok {
		return system
	}
	name, _, _ := strings.Cut(rest, "/")
	return name
}
