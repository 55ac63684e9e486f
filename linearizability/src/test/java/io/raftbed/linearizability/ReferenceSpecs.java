package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Knossos' models written again, plainly and independently of the checker's, as nondeterministic
 * specifications for {@link ReferenceBruteForce}: each gives every state an operation may lead to
 * (none: illegal). An operation whose outcome is unknown leads to every state it could have led
 * to with any result; whether it happened at all is the brute force's business.
 */
final class ReferenceSpecs {
  private ReferenceSpecs() {}

  /** A nondeterministic sequential specification. */
  interface Spec {
    Object initial();

    List<Object> next(Object state, Operation op);
  }

  static final Spec MUTEX = new Spec() {
    @Override
    public Object initial() {
      return false;
    }

    @Override
    public List<Object> next(Object state, Operation op) {
      boolean held = (Boolean) state;
      return switch (op.f()) {
        case "acquire" -> held ? List.of() : List.of(true);
        case "release" -> held ? List.of(false) : List.of();
        default -> throw new IllegalArgumentException(op.f());
      };
    }
  };

  static final Spec SET = new Spec() {
    @Override
    public Object initial() {
      return Set.of();
    }

    @Override
    public List<Object> next(Object state, Operation op) {
      Set<?> s = (Set<?>) state;
      if (op.f().equals("add")) {
        Set<Object> more = new HashSet<>(s);
        more.add(op.input());
        return List.of(more);
      }
      boolean matches = op.status() == Operation.Status.UNKNOWN || s.equals(new HashSet<>((Set<?>) op.output()));
      return matches ? List.of(s) : List.of();
    }
  };

  /** A FIFO queue, or an unordered one where a dequeue of unknown result may take any element. */
  static Spec queue(boolean fifo) {
    return new Spec() {
      @Override
      public Object initial() {
        return List.of();
      }

      @Override
      public List<Object> next(Object state, Operation op) {
        List<?> q = (List<?>) state;
        if (op.f().equals("enqueue")) {
          List<Object> more = new ArrayList<>(q);
          more.add(op.input());
          return List.of(more);
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < q.size(); i++) {
          boolean allowed = (!fifo || i == 0)
              && (op.status() == Operation.Status.UNKNOWN || Objects.equals(q.get(i), op.output()));
          if (allowed) {
            List<Object> less = new ArrayList<>(q);
            less.remove(i);
            out.add(fifo ? less : sortedByText(less));
          }
        }
        return out;
      }
    };
  }

  /** Canonical form of a multiset, so that the brute force's states compare equal. */
  private static List<Object> sortedByText(List<Object> values) {
    List<Object> out = new ArrayList<>(values);
    out.sort((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)));
    return out;
  }

  /**
   * Knossos' multi-register; registers absent from the map hold nil. A known read of nil is
   * unconstrained (Knossos) unless {@code nilIsAValue}; a read of an unknown outcome never constrains.
   */
  static Spec multiRegister(Map<Object, Object> initial, boolean nilIsAValue) {
    return new Spec() {
      @Override
      public Object initial() {
        return initial;
      }

      @Override
      public List<Object> next(Object state, Operation op) {
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = new HashMap<>((Map<Object, Object>) state);
        boolean known = op.status() != Operation.Status.UNKNOWN;
        List<?> txn = (List<?>) (known ? op.output() : op.input());
        for (Object o : txn) {
          List<?> micro = (List<?>) o;
          Object k = micro.get(1);
          Object v = micro.get(2);
          if (micro.get(0).equals(new Keyword("read"))) {
            if (known && (v != null || nilIsAValue) && !java.util.Objects.equals(v, m.get(k))) {
              return List.of();
            }
          } else if (v == null) {
            m.remove(k);
          } else {
            m.put(k, v);
          }
        }
        return List.of(m);
      }
    };
  }
}
