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
// Each key has one owner, the store of its concern (db.go), which alone
// writes it; DB keeps meta/ and the generations' life. Drafts.Publish
// writes a validated draft's UOs and EG, records of Offer, through the
// same helpers as Offer's edits (editable, putChanges).
//
//	DB:
//	meta/schema                  → schema version (decimal): 1 JSON records, 2 binary UO and EG (codec.go),
//	                               3 UO.Lieux in the UO record and the lieux below (lieux.go)
//	meta/current                 → current generation (8 bytes big-endian); absent before the first import
//	Offer:
//	g/<gen 8 bytes>/meta         → offer header: sources, import time (JSON)
//	g/<gen>/nom/<value set>      → one value set, every concept with its code system (JSON)
//	g/<gen>/communes             → all communes (JSON)
//	g/<gen>/deps                 → all départements (JSON)
//	g/<gen>/ej/<FINESS>          → EJ (JSON)
//	g/<gen>/eg/<FINESS>          → EG (binary, codec.go)
//	g/<gen>/uo/<id>              → UO (binary, codec.go)
//	g/<gen>/lieu/<id>            → ror.Lieu, a lieu de réalisation a dossier declared (JSON)
//	log/<id>/<nanos 8><seq 8>    → audit ror.Change of a UO id, EG FINESS or account name (JSON);
//	                               big-endian time then a sequence, so keys sort oldest first;
//	                               every store appends to it (putChanges), Offer reads it
//	file/<name>                  → a file served besides the offer (departements.geojson), so backups carry it
//	Accounts:
//	acct/<name>                  → ror.Account (JSON)
//	tok/<SHA-256 hex>            → account name of a token
//	cred/<name>                  → an account's argon2id password hash and lockout (passwords.go)
//	oidc/<SHA-256 hex>           → account name of an OpenID Connect identity (signon.go)
//	oidcof/<name>                → that identity
//	Sessions:
//	sess/<SHA-256 hex>           → ror.Session with its CSRF token, TTL ror.SessionTTL (sessions.go)
//	sessof/<name>/<SHA-256 hex>  → nothing: an account's sessions, same TTL (Accounts counts them)
//	Drafts:
//	draft/<id>                   → ror.Draft (JSON)
//	sched/<nanos 8>/<id>         → nothing: a draft validated for publication at that date (UTC, big-endian),
//	                               written and removed with the draft, so keys sort by date
//	Anomalies:
//	anom/<FINESS>/<id>           → ror.Anomaly (JSON); its index anomid/, anomx/, anomn/, meta/anomx (anomaly.go)
//
//	ProStore:
//	meta/pro, pro/…, proanom/…   → the liberal professionals, in generations of their own (professionals.go)
//
// Audit entries, accounts, drafts, their schedule and anomalies outlive imports: they are not
// under a generation.
const schemaVersion = 3

var (
	keySchema  = []byte("meta/schema")
	keyCurrent = []byte("meta/current")
	// keyAnomalyIndex says the reports' index (anomaly.go) is built.
	keyAnomalyIndex = []byte("meta/anomx")
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
