package store

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"testing"

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
	writeRaw(t, dir, map[string][]byte{"meta/schema": []byte("3")})
	db, err := Open(dir, Options{})
	if err == nil {
		db.Close()
		t.Fatal("got a store, want an error naming the newer schema")
	}
	var e *ror.Error
	if !errors.As(err, &e) || !strings.Contains(e.Message, "schéma 3") {
		t.Errorf("got %v, want a French message naming schéma 3", err)
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
	o, err := db.LoadOffer(context.Background())
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
		if string(v) != "2" {
			t.Errorf("got schema %q, want 2", v)
		}
	})
}
