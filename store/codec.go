package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ror-recherche/ror"
)

// UOs and EGs are stored in a compact binary form: at 500,000 UOs, JSON
// decoding took 6 s of a restart and this form takes well under one (see
// BenchmarkDecode). Every field is written in the order of its struct;
// TestCodecKeepsEveryField fails when ror.UO or ror.EG gains a field that is
// not written here.
//
// A record is: the format byte, the number of strings its lists hold (so
// that they share one allocation), then the fields. Strings are a uvarint
// length and their bytes; a list is a uvarint n+1 (0 for a nil list, which
// JSON shows as null and an empty one as []) and its strings; integers are
// varints; times are a uvarint length and time.Time.MarshalBinary (0 for the
// zero time); floats are 8 bytes little-endian.
// Format 2 added the fields after Version (EG.SourceDate; Capacite.Source
// and UO.Provenance); records of format 1 are still read, without them.
// Format 3 (schema 3) added UO.Lieux after them; a UO of format 2 reads
// without lieux: at its EG's address, the derived default it always was.
// EGs are still written in format 2.
const (
	formatBinary   byte = 3 // JSON records (schema 1) start with '{'
	formatBinaryV2 byte = 2
	formatBinaryV1 byte = 1
)

var errCorrupt = errors.New("store: corrupt record")

type encoder struct {
	b   []byte
	err error
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int)     { e.b = binary.AppendVarint(e.b, int64(v)) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

func (e *encoder) strs(l []string) {
	if l == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(l)) + 1)
	for _, s := range l {
		e.str(s)
	}
}

func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.uint(0)
		return
	}
	b, err := t.MarshalBinary()
	if err != nil && e.err == nil {
		e.err = err
	}
	e.uint(uint64(len(b)))
	e.b = append(e.b, b...)
}

func (e *encoder) float(f float64) { e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(f)) }

// decoder reads a record from one string: every string field is a slice of
// it, so a UO costs a handful of allocations instead of one per field.
type decoder struct {
	s    string
	i    int
	pool []string // backing array of the record's lists
	buf  []string // when not nil, reused for pool (lists copied out before the next record)
	v1   bool     // a format 1 record: no fields after Version
	v2   bool     // a format 2 record (or 1): no UO.Lieux
	bad  bool
}

func (d *decoder) uint() uint64 {
	var v uint64
	for shift := uint(0); shift < 64; shift += 7 {
		if d.i >= len(d.s) {
			break
		}
		c := d.s[d.i]
		d.i++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	d.bad = true
	return 0
}

func (d *decoder) int() int {
	u := d.uint()
	return int(int64(u>>1) ^ -int64(u&1)) // zig-zag, as binary.AppendVarint
}

func (d *decoder) take(n uint64) string {
	if n > uint64(len(d.s)-d.i) {
		d.bad = true
		return ""
	}
	s := d.s[d.i : d.i+int(n)]
	d.i += int(n)
	return s
}

func (d *decoder) str() string { return d.take(d.uint()) }
func (d *decoder) bool() bool  { return d.take(1) == "\x01" }

func (d *decoder) strs() []string {
	n := d.uint()
	if n == 0 {
		return nil
	}
	n--
	if n == 0 {
		return []string{}
	}
	if n > uint64(len(d.pool)) {
		d.bad = true
		return nil
	}
	l := d.pool[:n:n]
	d.pool = d.pool[n:]
	for i := range l {
		l[i] = d.str()
	}
	return l
}

func (d *decoder) time() time.Time {
	b := d.take(d.uint())
	var t time.Time
	if b != "" && t.UnmarshalBinary([]byte(b)) != nil {
		d.bad = true
	}
	return t
}

func (d *decoder) float() float64 {
	b := d.take(8)
	if len(b) != 8 {
		return 0
	}
	var v uint64
	for i := 7; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return math.Float64frombits(v)
}

// start checks the format byte and prepares the pool of list strings.
func (d *decoder) start() bool {
	switch d.take(1) {
	case string(formatBinary):
	case string(formatBinaryV2):
		d.v2 = true
	case string(formatBinaryV1):
		d.v1, d.v2 = true, true
	default:
		return false
	}
	n := d.uint()
	if n > uint64(len(d.s)) { // each string takes at least its length byte
		d.bad = true
		return true
	}
	switch {
	case n > 0 && d.buf != nil && uint64(cap(d.buf)) >= n:
		d.pool = d.buf[:n]
	case n > 0:
		d.pool = make([]string, n)
		if d.buf != nil {
			d.buf = d.pool
		}
	}
	return true
}

func (d *decoder) end(what string) error {
	if d.bad || d.i != len(d.s) || len(d.pool) != 0 {
		return fmt.Errorf("%w: %s", errCorrupt, what)
	}
	return nil
}

// appendUO appends the binary form of u to b.
func appendUO(b []byte, u *ror.UO) ([]byte, error) {
	lists := [][]string{u.Activites, u.Actes, u.Equipements, u.Modes, u.Professions, u.Expertises, u.Publics, u.Zone, u.Lieux}
	// One allocation: fixed fields take at most 120 bytes, a string its
	// length and a byte (below 128).
	size, n := 120+len(u.ID)+len(u.EG)+len(u.Name)+len(u.TypeUO)+len(u.ChampActivite)+len(u.Horaires)+len(u.Phone)+len(u.Statut)+len(u.Capacite.UpdatedBy)+
		len(u.Capacite.Source)+len(u.Provenance.Kind)+len(u.Provenance.Rule)+len(u.Provenance.Source), 0
	for _, l := range lists {
		n += len(l)
		for _, s := range l {
			size += 1 + len(s)
		}
	}
	e := encoder{b: append(slices.Grow(b, size), formatBinary)}
	e.uint(uint64(n))
	e.str(u.ID)
	e.str(u.EG)
	e.str(u.Name)
	e.str(u.TypeUO)
	e.str(u.ChampActivite)
	for _, l := range lists[:7] {
		e.strs(l)
	}
	e.bool(u.Patientele.Enfant)
	e.bool(u.Patientele.Adulte)
	e.int(u.Patientele.AgeMin)
	e.int(u.Patientele.AgeMax)
	e.str(u.Horaires)
	e.str(u.Phone)
	e.str(string(u.Statut))
	c := &u.Capacite
	for _, n := range []int{c.Installes, c.Fermes, c.Indetermines, c.Supplementaires, c.Disponibles, c.Places} {
		e.int(n)
	}
	e.bool(c.Known)
	e.time(c.UpdatedAt)
	e.str(c.UpdatedBy)
	e.strs(lists[7])
	e.time(u.UpdatedAt)
	e.int(u.Version)
	// Format 2.
	e.str(c.Source)
	e.str(u.Provenance.Kind)
	e.str(u.Provenance.Rule)
	e.str(u.Provenance.Source)
	e.strs(lists[8]) // format 3
	return e.b, e.err
}

// decodeUO reads a UO written by appendUO, or as JSON by schema 1.
func decodeUO(s string, u *ror.UO) error {
	_, err := decodeUOWith(s, u, nil)
	return err
}

// decodeUOWith is decodeUO with the lists' strings in buf when it is not
// nil (grown as needed, returned): for a caller that copies the lists out
// before the next record, as the interner does.
func decodeUOWith(s string, u *ror.UO, buf []string) ([]string, error) {
	d := decoder{s: s, buf: buf}
	if !d.start() {
		return buf, json.Unmarshal([]byte(s), u)
	}
	return d.buf, d.uo(u)
}

func (d *decoder) uo(u *ror.UO) error {
	u.ID, u.EG, u.Name, u.TypeUO, u.ChampActivite = d.str(), d.str(), d.str(), d.str(), d.str()
	u.Activites, u.Actes, u.Equipements, u.Modes = d.strs(), d.strs(), d.strs(), d.strs()
	u.Professions, u.Expertises, u.Publics = d.strs(), d.strs(), d.strs()
	u.Patientele = ror.Patientele{Enfant: d.bool(), Adulte: d.bool(), AgeMin: d.int(), AgeMax: d.int()}
	u.Horaires, u.Phone, u.Statut = d.str(), d.str(), ror.Statut(d.str())
	u.Capacite = ror.Capacite{Installes: d.int(), Fermes: d.int(), Indetermines: d.int(), Supplementaires: d.int(),
		Disponibles: d.int(), Places: d.int(), Known: d.bool(), UpdatedAt: d.time(), UpdatedBy: d.str()}
	u.Zone = d.strs()
	u.UpdatedAt = d.time()
	u.Version = d.int()
	if !d.v1 {
		u.Capacite.Source = d.str()
		u.Provenance = ror.Provenance{Kind: d.str(), Rule: d.str(), Source: d.str()}
	}
	if !d.v2 {
		u.Lieux = d.strs()
	}
	return d.end("UO")
}

// appendEG appends the binary form of g to b.
func appendEG(b []byte, g *ror.EG) ([]byte, error) {
	fields := []string{g.FINESS, g.EJ, g.Name, g.LongName, g.Category, g.Address, g.PostalCode,
		g.Commune, g.Department, g.Phone, g.Email, g.Horaires, g.Source}
	size := 80 // fixed fields and length bytes, as in appendUO
	for _, s := range fields {
		size += 2 + len(s)
	}
	e := encoder{b: append(slices.Grow(b, size), formatBinaryV2)} // no EG field came with format 3
	e.uint(0)                                                     // no lists
	for _, s := range fields[:12] {
		e.str(s)
	}
	e.float(g.Point.Lon)
	e.float(g.Point.Lat)
	e.str(fields[12])
	e.time(g.UpdatedAt)
	e.time(g.Validated)
	e.int(g.Version)
	e.str(g.SourceDate) // format 2
	return e.b, e.err
}

// decodeEG reads an EG written by appendEG, or as JSON by schema 1.
func decodeEG(s string, g *ror.EG) error {
	d := decoder{s: s}
	if !d.start() {
		return json.Unmarshal([]byte(s), g)
	}
	g.FINESS, g.EJ, g.Name, g.LongName, g.Category, g.Address = d.str(), d.str(), d.str(), d.str(), d.str(), d.str()
	g.PostalCode, g.Commune, g.Department, g.Phone, g.Email, g.Horaires = d.str(), d.str(), d.str(), d.str(), d.str(), d.str()
	g.Point = ror.Point{Lon: d.float(), Lat: d.float()}
	g.Source = d.str()
	g.UpdatedAt, g.Validated = d.time(), d.time()
	g.Version = d.int()
	if !d.v1 {
		g.SourceDate = d.str()
	}
	return d.end("EG")
}
