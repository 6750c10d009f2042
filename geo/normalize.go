package geo

import (
	"strings"

	"github.com/ror-recherche/ror"
)

// Normalize folds a commune name for matching (ror.Fold: lower case, no
// accents, punctuation as spaces) and spells out the abbreviations "st" and
// "ste". Normalize(Normalize(s)) == Normalize(s).
func Normalize(s string) string {
	words := strings.Fields(ror.Fold(s))
	for i, w := range words {
		switch w {
		case "st":
			words[i] = "saint"
		case "ste":
			words[i] = "sainte"
		}
	}
	return strings.Join(words, " ")
}
