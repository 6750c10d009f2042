package store

import (
	"encoding/binary"
	"fmt"
	"strconv"
)

// Keys:
//
//	meta/schema              → schema version (decimal)
//	meta/current             → current generation (8 bytes big-endian)
//	g/<gen8>/meta            → offer header: sources, import time (JSON)
//	g/<gen8>/nom/<vs>        → one value set (JSON list of concepts)
//	g/<gen8>/communes        → all communes (JSON)
//	g/<gen8>/deps            → all départements (JSON)
//	g/<gen8>/ej/<finess>     → EJ (JSON)
//	g/<gen8>/eg/<finess>     → EG (JSON)
//	g/<gen8>/uo/<id>         → UO (JSON)
//	log/<id>/<ts16><seq8>    → audit Change of a UO id or EG FINESS (JSON), newest last
//	acct/<name>              → Account (JSON)
//	tok/<sha256 hex>         → account name of a token
const schemaVersion = 1

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

func logPrefix(id string) []byte { return []byte("log/" + id + "/") }

func logKey(id string, nanos int64, seq uint64) []byte {
	k := logPrefix(id)
	k = binary.BigEndian.AppendUint64(k, uint64(nanos))
	return binary.BigEndian.AppendUint64(k, seq)
}

func acctKey(name string) []byte  { return []byte("acct/" + name) }
func tokenKey(hash string) []byte { return []byte("tok/" + hash) }

func parseSchema(v []byte) (int, error) {
	n, err := strconv.Atoi(string(v))
	if err != nil {
		return 0, fmt.Errorf("store: schema version %q: %w", v, err)
	}
	return n, nil
}
