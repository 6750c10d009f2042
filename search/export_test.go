package search

// SnapshotsBuilt is how many snapshots the professionals' builder made.
func SnapshotsBuilt(ps *Professionals) int {
	ps.pub.mu.Lock()
	defer ps.pub.mu.Unlock()
	return ps.pub.builds
}
