package store

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/ror-recherche/ror"
)

// fill sets every field of the struct v points to, recursively, to a value
// different from its zero and from the other fields', so that a field the
// codec forgets shows up as a difference.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("v" + string(rune('a'+*n%26)) + "é" + string(rune('0'+*n%10)))
	case reflect.Int:
		v.SetInt(int64(*n * 37))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Float64:
		v.SetFloat(float64(*n) + 0.125)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Date(2026, 3, *n%28+1, 9, 30, *n%60, 123456789, time.FixedZone("", 3600))))
			return
		}
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	default:
		panic("fill: add a case for " + v.Kind().String())
	}
}

func TestCodecKeepsEveryField(t *testing.T) {
	n := 0
	var u ror.UO
	fill(reflect.ValueOf(&u).Elem(), &n)
	var g ror.EG
	fill(reflect.ValueOf(&g).Elem(), &n)

	t.Run("every field of a UO comes back", func(t *testing.T) {
		b, err := appendUO(nil, &u)
		if err != nil {
			t.Fatal(err)
		}
		var got ror.UO
		if err := decodeUO(string(b), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, u) {
			t.Errorf("got %+v\nwant %+v", got, u)
		}
	})
	t.Run("every field of an EG comes back", func(t *testing.T) {
		b, err := appendEG(nil, &g)
		if err != nil {
			t.Fatal(err)
		}
		var got ror.EG
		if err := decodeEG(string(b), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, g) {
			t.Errorf("got %+v\nwant %+v", got, g)
		}
	})
	t.Run("an empty list stays empty and a missing one stays missing", func(t *testing.T) {
		// The API shows [] and null differently.
		e := ror.UO{ID: "x", Actes: []string{}, Publics: nil}
		b, _ := appendUO(nil, &e)
		var got ror.UO
		if err := decodeUO(string(b), &got); err != nil {
			t.Fatal(err)
		}
		if got.Actes == nil || got.Publics != nil {
			t.Errorf("got actes %#v publics %#v, want []string{} and nil", got.Actes, got.Publics)
		}
	})
	t.Run("a list cannot grow into the next one", func(t *testing.T) {
		// Lists share one backing array; each is capped at its length.
		var got ror.UO
		b, _ := appendUO(nil, &u)
		decodeUO(string(b), &got)
		got.Activites = append(got.Activites, "ajout")
		if got.Actes[0] != u.Actes[0] {
			t.Errorf("appending to activités changed actes: got %q, want %q", got.Actes[0], u.Actes[0])
		}
	})
	t.Run("schema 1 records (JSON) still read", func(t *testing.T) {
		ju, _ := json.Marshal(&u)
		var got ror.UO
		if err := decodeUO(string(ju), &got); err != nil || got.ID != u.ID || got.Capacite.Disponibles != u.Capacite.Disponibles {
			t.Errorf("got %+v, %v, want the UO %s", got, err, u.ID)
		}
		jg, _ := json.Marshal(&g)
		var eg ror.EG
		if err := decodeEG(string(jg), &eg); err != nil || eg.Point != g.Point {
			t.Errorf("got %+v, %v, want the EG %s", eg, err, g.FINESS)
		}
	})
	t.Run("a truncated record is an error, never a panic", func(t *testing.T) {
		b, _ := appendUO(nil, &u)
		for i := 1; i < len(b); i++ {
			var got ror.UO
			if err := decodeUO(string(b[:i]), &got); err == nil {
				t.Fatalf("record cut at %d of %d bytes: got no error", i, len(b))
			}
		}
	})
}

// FuzzDecodeUO feeds the decoder damaged records: it returns an error or a
// UO that encodes and decodes to itself.
func FuzzDecodeUO(f *testing.F) {
	n := 0
	var u ror.UO
	fill(reflect.ValueOf(&u).Elem(), &n)
	b, _ := appendUO(nil, &u)
	f.Add(b)
	f.Add([]byte{formatBinary, 0})
	f.Add([]byte{formatBinary, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		var got ror.UO
		if decodeUO(string(b), &got) != nil {
			return
		}
		again, err := appendUO(nil, &got)
		if err != nil {
			return // a time the decoder accepted but cannot write: JSON input only
		}
		// Compare encodings, not structs: a decoded zone is a new
		// *time.Location each time, so DeepEqual differs on equal times.
		var back ror.UO
		if err := decodeUO(string(again), &back); err != nil {
			t.Fatalf("re-encoded UO does not decode: %v", err)
		}
		if twice, err := appendUO(nil, &back); err != nil || !bytes.Equal(twice, again) {
			t.Errorf("re-encoding is not stable: %v\n%x\n%x", err, again, twice)
		}
	})
}

// BenchmarkDecode compares the encodings LoadOffer could use, per UO of
// realistic size (the store keeps one record per key, so each is decoded
// alone).
func BenchmarkDecode(b *testing.B) {
	u := ror.UO{ID: "750000123-0001", EG: "750000123", Name: "Service de médecine polyvalente Saint-Joseph", TypeUO: "21", ChampActivite: "01",
		Activites: []string{"157", "92", "288"}, Actes: []string{"103"}, Equipements: []string{"41"}, Modes: []string{"7", "22"},
		Professions: []string{"TRE_G15:10", "TRE_G15:40"}, Expertises: []string{}, Publics: []string{"3"},
		Patientele: ror.Patientele{Adulte: true, AgeMin: 18}, Statut: ror.StatutActif,
		Capacite: ror.Capacite{Installes: 30, Disponibles: 2, Known: true, UpdatedAt: time.Now().UTC()}, UpdatedAt: time.Now().UTC(), Version: 1}
	bin, _ := appendUO(nil, &u)
	js, _ := json.Marshal(&u)
	b.Run("binary", func(b *testing.B) {
		s := string(bin)
		b.ReportAllocs()
		for b.Loop() {
			var got ror.UO
			if err := decodeUO(s, &got); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(bin)), "bytes/record")
	})
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var got ror.UO
			if err := json.Unmarshal(js, &got); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(js)), "bytes/record")
	})
	b.Run("gob", func(b *testing.B) {
		// A record decoded alone carries its type description.
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(&u); err != nil {
			b.Fatal(err)
		}
		g := buf.Bytes()
		b.ReportAllocs()
		for b.Loop() {
			var got ror.UO
			if err := gob.NewDecoder(bytes.NewReader(g)).Decode(&got); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(g)), "bytes/record")
	})
}

// Records of format 1 (before EG.SourceDate, Capacite.Source and
// UO.Provenance) are still read.
func TestCodecReadsFormat1(t *testing.T) {
	g := ror.EG{FINESS: "750000341", Name: "AGEPS", Commune: "75105", Version: 3}
	b, _ := appendEG(nil, &g)
	b[0] = formatBinaryV1
	var got ror.EG
	if err := decodeEG(string(b[:len(b)-1]), &got); err != nil || !reflect.DeepEqual(got, g) {
		t.Errorf("format 1 EG: %v, %+v", err, got)
	}
	u := ror.UO{ID: "750000341-URG", EG: "750000341", Version: 2}
	b, _ = appendUO(nil, &u)
	b[0] = formatBinaryV1
	var gu ror.UO
	if err := decodeUO(string(b[:len(b)-5]), &gu); err != nil || !reflect.DeepEqual(gu, u) {
		t.Errorf("format 1 UO: %v, %+v", err, gu)
	}
}

// A UO of format 2 (schema 2, before UO.Lieux) reads with its provenance
// and without lieux: at its EG's address, the derived default.
func TestCodecReadsFormat2(t *testing.T) {
	u := ror.UO{ID: "750000341-URG", EG: "750000341", Version: 2, Provenance: ror.Provenance{Kind: ror.ProvenanceDerivee, Rule: "R1"}}
	b, _ := appendUO(nil, &u)
	b[0] = formatBinaryV2
	var got ror.UO
	if err := decodeUO(string(b[:len(b)-1]), &got); err != nil || !reflect.DeepEqual(got, u) || got.Lieux != nil {
		t.Errorf("format 2 UO: %v, %+v", err, got)
	}
	u.Lieux = []string{"750000341", "750000341-L1"}
	b, _ = appendUO(nil, &u)
	if err := decodeUO(string(b), &got); err != nil || !reflect.DeepEqual(got.Lieux, u.Lieux) {
		t.Errorf("format 3 UO: %v, lieux %v", err, got.Lieux)
	}
}
