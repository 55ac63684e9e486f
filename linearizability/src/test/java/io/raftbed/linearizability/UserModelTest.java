package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A user's own model through the public interface: a counter per key, partitioned by key. */
class UserModelTest {
  /** {@code incr} adds one, {@code get} returns the count; "boom" is not understood. */
  private static final class Counter implements Model<Long> {
    @Override
    public String name() {
      return "counter";
    }

    @Override
    public Long initialState() {
      return 0L;
    }

    @Override
    public Long step(Long state, Operation op) {
      return switch (op.f()) {
        case "incr" -> state + 1;
        case "get" -> op.output() == null || state.equals(op.output()) ? state : null;
        default -> throw new IllegalArgumentException("counter does not know :" + op.f());
      };
    }

    @Override
    public boolean isReadOnly(Operation op) {
      return op.f().equals("get");
    }

    @Override
    public List<List<Operation>> partition(List<Operation> operations) {
      Map<Object, List<Operation>> byKey = new LinkedHashMap<>();
      operations.forEach(o -> byKey.computeIfAbsent(o.key(), k -> new ArrayList<>()).add(o));
      return List.copyOf(byKey.values());
    }
  }

  private static HistoryBuilder twoKeys() {
    return History.builder()
        .invoke(1, "incr", "a", null).invoke(2, "incr", "b", null).ok(1).ok(2)
        .invoke(1, "incr", "a", null).info(1)
        .invoke(2, "get", "b", null).ok(2, 1L);
  }

  @Test
  void checksEachKeyWithTheUsersModel() {
    CheckOptions options = CheckOptions.defaults().withParallelism(2);
    assertEquals(Verdict.LINEARIZABLE,
        Checker.check(twoKeys().invoke(3, "get", "a", null).ok(3, 2L).build(), new Counter(), options).verdict());
    CheckResult r = Checker.check(twoKeys().invoke(3, "get", "a", null).ok(3, 3L).build(), new Counter(), options);
    assertEquals(Verdict.NOT_LINEARIZABLE, r.verdict());
    assertEquals("a", r.counterexample().orElseThrow().key());
  }

  @Test
  void aModelRejectingAnOperationIsBadInputEvenFromAWorkerThread() {
    History h = twoKeys().invoke(3, "boom", "b", null).ok(3).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Checker.check(h, new Counter(), CheckOptions.defaults().withParallelism(2)));
    assertTrue(e.getMessage().contains("does not know :boom"), e.getMessage());
  }
}
