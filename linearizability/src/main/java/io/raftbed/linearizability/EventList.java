package io.raftbed.linearizability;

import java.util.Arrays;
import java.util.List;

/**
 * The calls and returns of a partition's operations as a doubly linked list in real-time order,
 * with Lowe's lift/unlift (dancing links). Node 0 is the head, node {@code 2n+1} the tail.
 * Confined to one search thread.
 */
final class EventList {
  /** Successor and predecessor of each node. */
  final int[] next;
  final int[] prev;
  /** Node -> op for a call, ~op for a return. */
  final int[] nodeOp;
  final int[] callNode;
  final int[] returnNode;

  /**
   * Calls sit at their invocation, returns at their completion; the returns of {@code atEnd}
   * operations after every other event.
   */
  EventList(List<Operation> ops, boolean[] atEnd) {
    int n = ops.size();
    next = new int[2 * n + 2];
    prev = new int[2 * n + 2];
    nodeOp = new int[2 * n + 2];
    callNode = new int[n];
    returnNode = new int[n];
    long[] events = new long[2 * n];
    for (int i = 0; i < n; i++) {
      Operation op = ops.get(i);
      long returnTime = atEnd[i] || op.completePos() < 0 ? Integer.MAX_VALUE : op.completePos();
      events[2 * i] = ((long) op.invokePos() << 32) | (2L * i);
      events[2 * i + 1] = (returnTime << 32) | (2L * i + 1);
    }
    Arrays.sort(events);
    int last = 0;
    for (int e = 0; e < events.length; e++) {
      int code = (int) events[e];
      int op = code >>> 1;
      int node = e + 1;
      boolean isCall = (code & 1) == 0;
      nodeOp[node] = isCall ? op : ~op;
      if (isCall) {
        callNode[op] = node;
      } else {
        returnNode[op] = node;
      }
      next[last] = node;
      prev[node] = last;
      last = node;
    }
    next[last] = 2 * n + 1;
    prev[2 * n + 1] = last;
  }

  /** Removes the call and return of {@code op} (Lowe's lift). */
  void lift(int op) {
    remove(callNode[op]);
    remove(returnNode[op]);
  }

  /** Puts them back, in the reverse order of {@link #lift}. */
  void unlift(int op) {
    restore(returnNode[op]);
    restore(callNode[op]);
  }

  private void remove(int node) {
    next[prev[node]] = next[node];
    prev[next[node]] = prev[node];
  }

  private void restore(int node) {
    next[prev[node]] = node;
    prev[next[node]] = node;
  }
}
