package fhir

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// A snapshot is the whole result of a search, the ids in order, kept so
// that its pages are read over the same matches (_snapshot in the paging
// links). A few hundred are kept, each for snapshotTTL after its last read.
type snapshot struct {
	id       string
	resource string
	refs     []ref
	used     time.Time
}

const (
	snapshotTTL = 30 * time.Minute
	maxSnaps    = 256
)

type snapshots struct {
	mu   sync.Mutex
	byID map[string]*snapshot
}

func (s *snapshots) get(id string) *snapshot {
	if id == "" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sn := s.byID[id]
	if sn == nil || time.Since(sn.used) > snapshotTTL {
		delete(s.byID, id)
		return nil
	}
	sn.used = time.Now()
	return sn
}

func (s *snapshots) put(sn *snapshot) {
	var b [12]byte
	_, _ = rand.Read(b[:])
	sn.id, sn.used = hex.EncodeToString(b[:]), time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byID == nil {
		s.byID = map[string]*snapshot{}
	}
	for len(s.byID) >= maxSnaps { // drop the expired, else the least recently read
		var oldest *snapshot
		for _, x := range s.byID {
			if oldest == nil || x.used.Before(oldest.used) {
				oldest = x
			}
		}
		delete(s.byID, oldest.id)
	}
	s.byID[sn.id] = sn
}
