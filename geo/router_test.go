package geo_test

import (
	"fmt"
	"time"

	"github.com/ror-recherche/ror"
	"github.com/ror-recherche/ror/geo"
)

func ExampleRouter_Duration() {
	r := geo.NewRouter()
	village := ror.Commune{Name: "Saint-Sever", Department: "40", Population: 4800}
	fmt.Println(r.Duration(village, 25).Round(time.Minute))
	// Output: 28m0s
}
