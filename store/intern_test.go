package store_test

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// The units loaded at start share their lists: as many backing arrays of
// publics as distinct lists (once per decoding core at most), and none
// that an append would write through into another unit.
func TestLoadedUnitsShareTheirLists(t *testing.T) {
	ctx := context.Background()
	db := open(t, t.TempDir())
	defer db.Close()
	in := synthOffer(2000, 3)
	if err := db.Offer().ReplaceOffer(ctx, in); err != nil {
		t.Fatal(err)
	}
	o, err := db.Offer().LoadOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Per distinct list, the arrays that hold it and the units that have it.
	arrays, units := map[string]map[*string]bool{}, map[string]int{}
	for i := range o.UOs {
		l := o.UOs[i].Publics
		if len(l) == 0 {
			continue
		}
		if cap(l) != len(l) {
			t.Fatalf("%s: list of capacity %d for %d codes: an append would write into another unit's", o.UOs[i].ID, cap(l), len(l))
		}
		k := strings.Join(l, " ")
		if arrays[k] == nil {
			arrays[k] = map[*string]bool{}
		}
		arrays[k][unsafe.SliceData(l)] = true
		units[k]++
	}
	cores, repeated := runtime.GOMAXPROCS(0), 0
	for k, n := range units {
		if n > cores {
			repeated++
		}
		if len(arrays[k]) > cores {
			t.Errorf("publics %q: %d units hold it in %d arrays, want at most %d", k, n, len(arrays[k]), cores)
			break
		}
	}
	if repeated == 0 {
		t.Fatalf("no list of publics is held by more than %d units: the test proves nothing", cores)
	}
	// Shared, yet each unit reads as written.
	u := slices.Clone(o.UOs[0].Publics)
	_ = append(o.UOs[0].Publics, "X")
	if !slices.Equal(o.UOs[0].Publics, u) {
		t.Errorf("an append changed the unit's list: %v, was %v", o.UOs[0].Publics, u)
	}
}
