package ror

import "strconv"

// ValidDepartment reports whether code is a French département of the COG:
// 01 to 95 but 20, 2A and 2B (Corse), 971 to 976 (outre-mer). A filter
// departement=999 is an error naming it, not a search that finds nothing.
func ValidDepartment(code string) bool {
	switch {
	case code == "2A" || code == "2B":
		return true
	case len(code) == 2:
		n, err := strconv.Atoi(code)
		return err == nil && n >= 1 && n <= 95 && n != 20
	case len(code) == 3:
		n, err := strconv.Atoi(code)
		return err == nil && n >= 971 && n <= 976
	}
	return false
}
