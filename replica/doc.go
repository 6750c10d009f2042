// Package replica runs ROR Recherche on several nodes through a replicated
// log of writes: an embedded NATS server with JetStream (its streams are
// replicated by Raft), one stream of write messages, and on each node an
// applier that applies them in log order to the node's Badger store and
// in-memory index, the materialised view.
//
// A write on any node becomes one message (the operation, its arguments,
// the writer's account, the time and a random seed: ror.WithReplay), is
// acknowledged once the stream has it on a quorum and the local applier
// has applied it, so the writer reads its own write. The rules that depend
// on state (a bed figure older than the stored one, a draft's version) run
// in the applier, the same on every node. The applier records the message's
// sequence in the store's own transaction (store.DB.Applying), so that a
// restart resumes at the next message; a node without data restores the
// latest snapshot (the store's backup, kept in a JetStream object store)
// and applies the log since; the stream is purged behind the snapshots.
//
// It imports ror and store; cmd/ror wraps the workflows and the accounts in
// its types when -cluster is given, and single-node serving never meets it.
package replica
