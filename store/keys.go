package store

import (
	"encoding/binary"
	"time"
)

// Keys of the store. Records of the offer live under a generation: an
// import writes a whole new generation, then publishes it by setting
// meta/current in one transaction; readers only ever look under the current
// one, so a crash leaves either the old offer or the new one. Generations
// that are not current are dropped after the flip and at Open.
//
//	meta/schema                  → schema version (decimal): 1 JSON records, 2 binary UO and EG (codec.go)
//	meta/current                 → current generation (8 bytes big-endian); absent before the first import
//	g/<gen 8 bytes>/meta         → offer header: sources, import time (JSON)
//	g/<gen>/nom/<value set>      → one value set, every concept with its code system (JSON)
//	g/<gen>/communes             → all communes (JSON)
//	g/<gen>/deps                 → all départements (JSON)
//	g/<gen>/ej/<FINESS>          → EJ (JSON)
//	g/<gen>/eg/<FINESS>          → EG (binary, codec.go)
//	g/<gen>/uo/<id>              → UO (binary, codec.go)
//	log/<id>/<nanos 8><seq 8>    → audit ror.Change of a UO id, EG FINESS or account name (JSON);
//	                               big-endian time then a sequence, so keys sort oldest first
//	acct/<name>                  → ror.Account (JSON)
//	tok/<SHA-256 hex>            → account name of a token
//	draft/<id>                   → ror.Draft (JSON)
//	sched/<nanos 8>/<id>         → nothing: a draft validated for publication at that date (UTC, big-endian),
//	                               written and removed with the draft, so keys sort by date
//	anom/<FINESS>/<id>           → ror.Anomaly (JSON)
//
// Audit entries, accounts, drafts, their schedule and anomalies outlive imports: they are not
// under a generation.
const schemaVersion = 2

var (
	keySchema  = []byte("meta/schema")
	keyCurrent = []byte("meta/current")
)

func genPrefix(gen uint64) []byte {
	b := make([]byte, 0, 12)
	b = append(b, 'g', '/')
	b = binary.BigEndian.AppendUint64(b, gen)
	return append(b, '/')
}

func genKey(gen uint64, kind, id string) []byte {
	k := genPrefix(gen)
	k = append(k, kind...)
	if id != "" {
		k = append(k, '/')
		k = append(k, id...)
	}
	return k
}

func uoKey(gen uint64, id string) []byte     { return genKey(gen, "uo", id) }
func egKey(gen uint64, finess string) []byte { return genKey(gen, "eg", finess) }

func logPrefix(id string) []byte { return []byte("log/" + id + "/") }

func logKey(id string, nanos int64, seq uint64) []byte {
	k := logPrefix(id)
	k = binary.BigEndian.AppendUint64(k, uint64(nanos))
	return binary.BigEndian.AppendUint64(k, seq)
}

func acctKey(name string) []byte  { return []byte("acct/" + name) }
func tokenKey(hash string) []byte { return []byte("tok/" + hash) }
func draftKey(id string) []byte   { return []byte("draft/" + id) }

const schedPrefix = "sched/"

func schedKey(at time.Time, id string) []byte {
	k := binary.BigEndian.AppendUint64([]byte(schedPrefix), uint64(at.UnixNano()))
	return append(append(k, '/'), id...)
}

func anomalyKey(eg, id string) []byte {
	return []byte("anom/" + eg + "/" + id)
}
