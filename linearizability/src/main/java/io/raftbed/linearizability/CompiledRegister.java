package io.raftbed.linearizability;

import java.util.List;

/**
 * {@link RegisterModel} for one partition with values interned to ints: a state is the id of the
 * register's value ({@link ValueTable}), an operation is a kind and one or two value ids. Values
 * created by {@code append} are interned on the fly as nodes of a string trie, and the transitions
 * memoized. Confined to one search thread.
 */
final class CompiledRegister implements CompiledModel {
  private static final byte READ = 0;
  private static final byte WRITE = 1;
  private static final byte CAS_OK = 2;
  private static final byte CAS_FAILED = 3;
  private static final byte CAS_ANY = 4;
  private static final byte APPEND = 5;
  private static final byte NOOP = 6;

  /** The one value that stands for every written value nothing observes ({@link #mergeUnreadValues}). */
  private static final Object UNREAD = new Object() {
    @Override
    public String toString() {
      return "<a value no operation read>";
    }
  };

  private final ValueTable values = new ValueTable();
  /** Per operation: what it does, and its value ids (a: read/written/expected value, b: cas' new value). */
  private final byte[] kind;
  private final int[] a;
  private final int[] b;
  private final int initial;
  /** (state << 32 | op) -> state, for appends. */
  private final LongIntMap appendCache = new LongIntMap();
  /** {@link #approxBytes()}: the per-operation arrays. */
  private final long bytes;

  CompiledRegister(RegisterModel model, List<Operation> ops) {
    int n = ops.size();
    kind = new byte[n];
    a = new int[n];
    b = new int[n];
    bytes = 64 + 9L * n;
    initial = intern(model.initial());
    for (int i = 0; i < n; i++) {
      encode(model, ops.get(i), i);
    }
    mergeUnreadValues();
  }

  /**
   * Gives every written value that nothing observes (no constrained read returns it, no cas
   * expects it, and it is not the initial value) one shared id. Only observations tell values
   * apart, and they compare the state with values other than these, so a history is
   * linearizable with the merged values exactly when it is with the originals. In return, writes
   * of such values lead to one state (more memo hits), and indeterminate ones become twins that
   * the search uses in invocation order: a timed-out write nobody read no longer multiplies the
   * search by where it might have taken effect. Not with appends, which build values from others.
   */
  private void mergeUnreadValues() {
    boolean[] observed = new boolean[values.size()];
    observed[initial] = true;
    for (int i = 0; i < kind.length; i++) {
      switch (kind[i]) {
        case APPEND -> {
          return;
        }
        case READ, CAS_OK, CAS_FAILED, CAS_ANY -> observed[a[i]] = true;
        default -> { }
      }
    }
    int unread = -1;
    for (int i = 0; i < kind.length; i++) {
      if (kind[i] == WRITE && !observed[a[i]]) {
        unread = unread < 0 ? intern(UNREAD) : unread;
        a[i] = unread;
      } else if ((kind[i] == CAS_OK || kind[i] == CAS_ANY) && !observed[b[i]]) {
        unread = unread < 0 ? intern(UNREAD) : unread;
        b[i] = unread;
      }
    }
  }

  private void encode(RegisterModel model, Operation op, int i) {
    switch (model.function(op)) {
      case READ -> {
        boolean unconstrained = op.status() == Operation.Status.UNKNOWN
            || (op.output() == null && model.nilReads() == NilReads.UNKNOWN);
        kind[i] = unconstrained ? NOOP : READ;
        a[i] = intern(op.output());
      }
      case WRITE -> {
        kind[i] = WRITE;
        a[i] = intern(op.input());
      }
      case DELETE -> {
        kind[i] = WRITE;
        a[i] = intern(null);
      }
      case APPEND -> {
        RegisterModel.append(null, op.input(), op); // validates the argument
        kind[i] = APPEND;
        a[i] = intern(op.input());
      }
      case CAS -> {
        List<?> fromTo = RegisterModel.casArgs(op);
        kind[i] = switch (op.status()) {
          case OK -> CAS_OK;
          case FAILED -> CAS_FAILED;
          case UNKNOWN -> CAS_ANY;
        };
        a[i] = intern(fromTo.get(0));
        b[i] = intern(fromTo.get(1));
      }
    }
  }

  private int intern(Object value) {
    return values.intern(value);
  }

  @Override
  public int initialState() {
    return initial;
  }

  @Override
  public int step(int state, int op) {
    return switch (kind[op]) {
      case READ -> state == a[op] ? state : ILLEGAL;
      case WRITE -> a[op];
      case CAS_OK -> state == a[op] ? b[op] : ILLEGAL;
      case CAS_FAILED -> state == a[op] ? ILLEGAL : state;
      case CAS_ANY -> state == a[op] ? b[op] : state;
      case APPEND -> append(state, op);
      case NOOP -> state;
      default -> throw new AssertionError("kind " + kind[op]);
    };
  }

  private int append(int state, int op) {
    long cacheKey = ((long) state << 32) | op;
    int cached = appendCache.get(cacheKey);
    if (cached != LongIntMap.ABSENT) {
      return cached;
    }
    int next = values.append(state, a[op]);
    appendCache.put(cacheKey, next);
    return next;
  }

  @Override
  public long effect(int op) {
    if (a[op] >= 1 << 28 || b[op] >= 1 << 28) {
      return -1; // does not fit the key: treat as unique rather than risk a false twin
    }
    return ((long) kind[op] << 56) | ((long) a[op] << 28) | b[op];
  }

  @Override
  public String describe(int state) {
    Object v = values.value(state);
    return v == UNREAD ? UNREAD.toString() : Values.abbreviate(Values.toEdn(v));
  }

  @Override
  public int stateCount() {
    return values.size();
  }

  @Override
  public long approxBytes() {
    return bytes + values.bytes() + appendCache.bytes();
  }
}
