package geo

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// Network is a road network: the places one can drive between. Two places
// on different networks (the mainland and Corse, Guadeloupe and Marie-Galante,
// Quiberon and Belle-Île) have no driving time.
type Network struct {
	ID   string // "continent", "corse", "belle-ile"…
	Name string // French: « Belle-Île-en-Mer »
}

// Mainland is the network of metropolitan France's mainland.
var Mainland = Network{ID: "continent", Name: "France continentale"}

// networksJSON lists the island départements and the communes on a network
// of their own, each with the public page it was taken from.
//
//go:embed networks.json
var networksJSON []byte

// networks maps communes to their road network.
type networks struct {
	names   map[string]string // id → French name
	byDep   map[string]string // département → id
	byINSEE map[string]string // commune → id, overriding its département
}

func loadNetworks() (*networks, error) {
	var f struct {
		Networks    map[string]string `json:"networks"`
		Departments map[string]string `json:"departments"`
		Communes    []struct {
			INSEE, Name, Network, Source string
		} `json:"communes"`
	}
	if err := json.Unmarshal(networksJSON, &f); err != nil {
		return nil, fmt.Errorf("geo: networks.json: %w", err)
	}
	n := &networks{names: f.Networks, byDep: f.Departments, byINSEE: map[string]string{}}
	for _, c := range f.Communes {
		if _, ok := n.names[c.Network]; !ok || len(c.INSEE) != 5 || !strings.HasPrefix(c.Source, "https://") {
			return nil, fmt.Errorf("geo: networks.json: commune %s: unknown network %q or no source", c.INSEE, c.Network)
		}
		n.byINSEE[c.INSEE] = c.Network
	}
	for d, id := range n.byDep {
		if _, ok := n.names[id]; !ok {
			return nil, fmt.Errorf("geo: networks.json: département %s: unknown network %q", d, id)
		}
	}
	return n, nil
}

// of returns the network of a commune: its own entry, else its
// département's, else the mainland.
func (n *networks) of(insee, dep string) Network {
	id, ok := n.byINSEE[insee]
	if !ok {
		if dep == "" && len(insee) == 5 {
			dep = departmentOfINSEE(insee)
		}
		if id, ok = n.byDep[dep]; !ok {
			return Mainland
		}
	}
	return Network{ID: id, Name: n.names[id]}
}

// departmentOfINSEE is the département of an INSEE commune code: three
// digits overseas (97x), else two (2A, 2B included).
func departmentOfINSEE(insee string) string {
	if strings.HasPrefix(insee, "97") {
		return insee[:3]
	}
	return insee[:2]
}

// NetworkCommune is a commune on a road network of its own.
type NetworkCommune struct {
	INSEE, Name string
	Network     Network
	Source      string // the public page it was taken from
}

// NetworkCommunes lists the communes networks.json puts on a network of
// their own (islands without a bridge, Guyane's interior).
func NetworkCommunes() []NetworkCommune {
	n, err := loadNetworks()
	if err != nil {
		panic(err)
	}
	var f struct {
		Communes []struct{ INSEE, Name, Network, Source string } `json:"communes"`
	}
	_ = json.Unmarshal(networksJSON, &f) // checked by loadNetworks
	out := make([]NetworkCommune, len(f.Communes))
	for i, c := range f.Communes {
		out[i] = NetworkCommune{INSEE: c.INSEE, Name: c.Name, Network: Network{ID: c.Network, Name: n.names[c.Network]}, Source: c.Source}
	}
	return out
}
