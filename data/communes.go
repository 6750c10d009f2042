package data

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"

	"github.com/ror-recherche/ror"
)

// ReadCommunes reads communes.csv (COG, with the PLM arrondissements as
// rows of their own): insee,name,postal_codes,department,region,lat,lon,population.
func ReadCommunes(r io.Reader) ([]ror.Commune, error) {
	t, err := newTable(r, "communes.csv", ',', "insee", "name", "postal_codes", "department", "lat", "lon")
	if err != nil {
		return nil, err
	}
	var out []ror.Commune
	for {
		ok, err := t.next()
		if err != nil {
			return nil, err
		}
		if !ok {
			return out, nil
		}
		c := ror.Commune{INSEE: t.get("insee"), Name: t.get("name"), Department: t.get("department"), Region: t.get("region")}
		if len(c.INSEE) != 5 || c.Name == "" {
			return nil, t.errorf("code INSEE « %s » ou nom vide", c.INSEE)
		}
		if pc := t.get("postal_codes"); pc != "" {
			c.PostalCodes = strings.Split(pc, "|")
		}
		if p := t.get("population"); p != "" {
			if c.Population, err = strconv.Atoi(p); err != nil {
				return nil, t.errorf("population « %s »", p)
			}
		}
		if c.Point, err = point(t.get("lat"), t.get("lon")); err != nil {
			return nil, t.errorf("%v", err)
		}
		out = append(out, c)
	}
}

// point reads a WGS84 latitude and longitude; both empty is no position.
func point(lat, lon string) (ror.Point, error) {
	if lat == "" && lon == "" {
		return ror.Point{}, nil
	}
	y, err1 := strconv.ParseFloat(lat, 64)
	x, err2 := strconv.ParseFloat(lon, 64)
	p := ror.Point{Lon: x, Lat: y}
	if err1 != nil || err2 != nil || !p.Valid() {
		return ror.Point{}, &ror.Error{Kind: ror.Invalid, Message: "coordonnées « " + lat + "," + lon + " » invalides"}
	}
	return p, nil
}

// ReadDepartments reads the code and name of each feature of
// departements.geojson (IGN Admin Express).
func ReadDepartments(r io.Reader) ([]ror.Department, error) {
	var fc struct {
		Features []struct {
			Properties struct {
				Code string `json:"code"`
				Nom  string `json:"nom"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.NewDecoder(r).Decode(&fc); err != nil {
		return nil, &ror.Error{Kind: ror.Invalid, Field: "departements.geojson", Message: "departements.geojson illisible", Err: err}
	}
	out := make([]ror.Department, 0, len(fc.Features))
	for _, f := range fc.Features {
		out = append(out, ror.Department{Code: f.Properties.Code, Name: f.Properties.Nom})
	}
	return out, nil
}
