package io.raftbed.raft;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The configurations in a node's log, newest last, with the one its snapshot carries at the base.
 * A node uses the newest configuration in its log whether or not it is committed (dissertation
 * §4.1), so an overwrite of the log must fall back to the one before.
 *
 * <p>Invariant: never empty; indexes strictly increase.
 */
final class Configurations {
  private record Entry(long index, Membership membership) {}

  private final ArrayDeque<Entry> history = new ArrayDeque<>();

  Configurations(long baseIndex, Membership base) {
    history.addLast(new Entry(baseIndex, base));
  }

  Membership latest() {
    return history.peekLast().membership;
  }

  long latestIndex() {
    return history.peekLast().index;
  }

  void append(long index, Membership m) {
    if (index <= latestIndex()) {
      throw new IllegalStateException("configuration at " + index + " after one at " + latestIndex());
    }
    history.addLast(new Entry(index, m));
  }

  /** The log was overwritten from {@code index}: configurations appended there are gone. */
  void truncateFrom(long index) {
    while (history.size() > 1 && history.peekLast().index >= index) {
      history.removeLast();
    }
  }

  /** Entries up to {@code index} are compacted: keep only the configuration in effect there and later ones. */
  void compactTo(long index) {
    while (history.size() > 1) {
      Iterator<Entry> it = history.iterator();
      it.next();
      if (it.next().index > index) {
        return;
      }
      history.removeFirst();
    }
  }

  /** The configuration in effect at {@code index}. */
  Membership at(long index) {
    Membership m = history.peekFirst().membership;
    for (Entry e : history) {
      if (e.index > index) {
        break;
      }
      m = e.membership;
    }
    return m;
  }

  void reset(long baseIndex, Membership base) {
    history.clear();
    history.addLast(new Entry(baseIndex, base));
  }
}
