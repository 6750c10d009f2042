package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"

	"github.com/ror-recherche/ror"
)

// writeRaw sets keys in the Badger files of dir, as another version of the
// program would have.
func writeRaw(t *testing.T, dir string, kv map[string][]byte) {
	t.Helper()
	bdb, err := badger.Open(badger.DefaultOptions(dir).WithLogger(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	if err := bdb.Update(func(txn *badger.Txn) error {
		for k, v := range kv {
			if err := txn.Set([]byte(k), v); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dir := t.TempDir()
	newer := strconv.Itoa(schemaVersion + 1)
	writeRaw(t, dir, map[string][]byte{"meta/schema": []byte(newer)})
	db, err := Open(dir, Options{})
	if err == nil {
		db.Close()
		t.Fatal("got a store, want an error naming the newer schema")
	}
	var e *ror.Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "schéma "+newer) {
		t.Errorf("got %v, want a French message naming schéma %s", err, newer)
	}
}

func TestSchema1DataStillReads(t *testing.T) {
	// A data dir of the first version: JSON records, schema 1.
	dir := t.TempDir()
	gen := binary.BigEndian.AppendUint64(nil, 1)
	u := ror.UO{ID: "750000001-1", EG: "750000001", Name: "Urgences", Activites: []string{"157"}, Capacite: ror.Capacite{Disponibles: 4}}
	g := ror.EG{FINESS: "750000001", Name: "Hôpital", Point: ror.Point{Lon: 2.35, Lat: 48.85}}
	ju, _ := json.Marshal(u)
	jg, _ := json.Marshal(g)
	writeRaw(t, dir, map[string][]byte{
		"meta/schema":                       []byte("1"),
		"meta/current":                      gen,
		string(genKey(1, "meta", "")):       []byte(`{"sources":["v1"]}`),
		string(genKey(1, "uo", u.ID)):       ju,
		string(genKey(1, "eg", g.FINESS)):   jg,
		string(genKey(1, "communes", "")):   []byte(`[]`),
		string(genKey(1, "deps", "")):       []byte(`[]`),
		string(genKey(1, "ej", "75000000")): []byte(`{"finess":"75000000","nom":"EJ"}`),
	})
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o, err := db.Offer().LoadOffer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(o.UOs) != 1 || o.UOs[0].Capacite.Disponibles != 4 || len(o.EGs) != 1 || o.EGs[0].Point != g.Point {
		t.Errorf("got UOs %+v EGs %+v, want the schema 1 records", o.UOs, o.EGs)
	}
	t.Run("the data dir is marked with the new schema", func(t *testing.T) {
		// An older binary must now refuse it: new writes are binary.
		var v []byte
		db.bdb.View(func(txn *badger.Txn) error {
			item, err := txn.Get(keySchema)
			if err == nil {
				v, err = item.ValueCopy(nil)
			}
			return err
		})
		if string(v) != strconv.Itoa(schemaVersion) {
			t.Errorf("got schema %q, want %d", v, schemaVersion)
		}
	})
}

// TestSchema2UpgradesInPlace: a data dir of schema 2 (binary UOs of format
// 2, no lieux) opens as schema 3, its units at their EG's address; a
// publication then writes a lieu and the UO listing it in one
// transaction, and both are there after a restart.
func TestSchema2UpgradesInPlace(t *testing.T) {
	dir := t.TempDir()
	u := ror.UO{ID: "750000001-URG", EG: "750000001", Name: "Urgences", Statut: ror.StatutActif, Version: 1}
	g := ror.EG{FINESS: "750000001", Name: "Hôpital", Commune: "75101", Point: ror.Point{Lon: 2.35, Lat: 48.85}, Version: 1}
	bu, _ := appendUO(nil, &u)
	bu[0] = formatBinaryV2
	bu = bu[:len(bu)-1] // a format 2 record ends before UO.Lieux
	bg, _ := appendEG(nil, &g)
	writeRaw(t, dir, map[string][]byte{
		"meta/schema":                     []byte("2"),
		"meta/current":                    binary.BigEndian.AppendUint64(nil, 1),
		string(genKey(1, "meta", "")):     []byte(`{"sources":["v2"]}`),
		string(genKey(1, "uo", u.ID)):     bu,
		string(genKey(1, "eg", g.FINESS)): bg,
		string(genKey(1, "communes", "")): []byte(`[]`),
		string(genKey(1, "deps", "")):     []byte(`[]`),
	})
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	o, err := db.Offer().LoadOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.UOs) != 1 || o.UOs[0].Lieux != nil || len(o.Lieux) != 0 || o.UOs[0].Name != "Urgences" {
		t.Fatalf("schema 2 offer read as UOs %+v lieux %+v, want the unit without lieux", o.UOs, o.Lieux)
	}
	l := ror.Lieu{ID: "750000001-L1", EG: g.FINESS, Name: "Antenne", Fonction: "005", Commune: "77288",
		Point: ror.Point{Lon: 2.65, Lat: 48.54}, Statut: ror.StatutActif, Version: 1}
	u.Lieux, u.Version = []string{g.FINESS, l.ID}, 2
	now := time.Now().UTC()
	dr := ror.Draft{ID: "d1", EG: g.FINESS, Status: ror.DraftPublished, CreatedAt: now, UpdatedAt: now, Version: 1}
	if err := db.Drafts().Publish(ctx, ror.Publication{UOs: []ror.UO{u}, Lieux: []ror.Lieu{l}, Draft: dr}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if o, err = db.Offer().LoadOffer(ctx); err != nil {
		t.Fatal(err)
	}
	if len(o.Lieux) != 1 || o.Lieux[0] != l || len(o.UOs) != 1 || !slices.Equal(o.UOs[0].Lieux, u.Lieux) {
		t.Errorf("after the restart: lieux %+v, UO lieux %v; want %+v and %v", o.Lieux, o.UOs[0].Lieux, l, u.Lieux)
	}
	var v []byte
	db.bdb.View(func(txn *badger.Txn) error {
		item, err := txn.Get(keySchema)
		if err == nil {
			v, err = item.ValueCopy(nil)
		}
		return err
	})
	if string(v) != "3" {
		t.Errorf("schema %q after the upgrade, want 3", v)
	}
}
