package ror

// Filiere is a care pathway as coordinators name it ("Filière obésité",
// "Urgences", "Soins palliatifs"): a preset of nomenclature codes. A UO
// belongs to the filière when it carries any of the codes. The presets are
// project rules (data/filieres.json), not national data.
type Filiere struct {
	ID       string                `json:"id"` // URL-safe slug, the code of the criterion
	Label    string                `json:"label"`
	Synonyms []string              `json:"synonymes,omitempty"` // words users type: "CSO", "bariatrique"
	Codes    map[ValueSet][]string `json:"codes"`
}
