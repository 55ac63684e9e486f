package io.raftbed.raft;

import java.util.List;

/**
 * What a {@link RaftNode} asks its driver to do, as data (etcd's {@code Ready}). The driver takes at
 * most one batch at a time and must, in this order:
 *
 * <ol>
 *   <li>persist {@code snapshot} (if not null: it replaces the whole log), then {@code hardState} (if
 *       not null) and {@code entries} (if any): an entry whose index is at or below the last stored
 *       index replaces the stored suffix from that index; and, when {@code mustSync}, fsync them;
 *   <li>only then send {@code messages}: votes and append acknowledgements in them promise state
 *       that must survive a crash (§5.1, Figure 2 "before responding to RPCs");
 *   <li>restore the state machine from {@code snapshot} (if not null), apply {@code committed} in
 *       index order, then serve {@code readStates} once the applied index reaches each read's index;
 *   <li>call {@link RaftNode#advance(Ready)} with this batch.
 * </ol>
 *
 * <p>Committed entries are always already durable on this node, so step 3 never applies an entry
 * that a crash could take back. The simulator checks this contract after every event.
 *
 * @param softState the role and leader if they changed since the last batch, else null
 * @param hardState the hard state to persist if it changed, else null
 * @param snapshot a snapshot received from the leader, to persist and restore, else null
 * @param entries entries to persist, in index order, contiguous
 * @param messages messages to send after persisting
 * @param committed committed, durable entries to apply, in index order, contiguous
 * @param readStates confirmed ReadIndex reads
 * @param membership the configuration in use if it changed since the last batch (the transport may
 *     need new addresses), else null
 * @param mustSync whether persisting needs an fsync (term, vote or entries changed)
 */
public record Ready(SoftState softState, HardState hardState, Snapshot snapshot, List<LogEntry> entries,
    List<Message> messages, List<LogEntry> committed, List<ReadState> readStates, Membership membership,
    boolean mustSync) {

  /** Role and leader, volatile: lost on restart and not persisted. */
  public record SoftState(Role role, int leaderId, long term) {}

  public Ready {
    entries = List.copyOf(entries);
    messages = List.copyOf(messages);
    committed = List.copyOf(committed);
    readStates = List.copyOf(readStates);
  }

  /** True when step 1 has something to write. */
  public boolean needsPersist() {
    return hardState != null || snapshot != null || !entries.isEmpty();
  }

  /** The index of the last entry to persist, or -1 if none. */
  public long lastEntryIndex() {
    return entries.isEmpty() ? -1 : entries.get(entries.size() - 1).index();
  }
}
