package io.raftbed.linearizability;

import static io.raftbed.linearizability.Verdict.LINEARIZABLE;
import static io.raftbed.linearizability.Verdict.NOT_LINEARIZABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Corner cases of Knossos' mutex, set, queues and multi-register, each linearizable and not. */
class KnossosModelsTest {
  private static final Keyword X = new Keyword("x");
  private static final Keyword Y = new Keyword("y");
  private static final Keyword R = new Keyword("read");
  private static final Keyword W = new Keyword("write");

  private static Verdict check(HistoryBuilder b, Model<?> model) {
    return Checker.check(b.build(), model).verdict();
  }

  private static List<Object> micro(Keyword f, Keyword k, Object v) {
    return Arrays.asList(f, k, v);
  }

  @Test
  void mutexTimedOutAcquireMayNeverHaveHappened() {
    HistoryBuilder b = History.builder().invoke(1, "acquire", null).info(1).invoke(2, "acquire", null).ok(2);
    assertEquals(LINEARIZABLE, check(b, Models.mutex()));
    HistoryBuilder held = History.builder().invoke(1, "acquire", null).ok(1).invoke(2, "acquire", null).ok(2);
    assertEquals(NOT_LINEARIZABLE, check(held, Models.mutex()));
    HistoryBuilder failed = History.builder().invoke(1, "acquire", null).fail(1).invoke(2, "acquire", null).ok(2);
    assertEquals(LINEARIZABLE, check(failed, Models.mutex()), "a failed acquire did not take the lock");
  }

  @Test
  void mutexKeysAreIndependentLocks() {
    HistoryBuilder b = History.builder().invoke(1, "acquire", "a", null).ok(1).invoke(2, "acquire", "b", null).ok(2);
    assertEquals(LINEARIZABLE, check(b, Models.mutex()));
    HistoryBuilder same = History.builder().invoke(1, "acquire", "a", null).ok(1).invoke(2, "acquire", "a", null).ok(2);
    assertEquals(NOT_LINEARIZABLE, check(same, Models.mutex()));
  }

  @Test
  void setReadsMustMatchExactly() {
    HistoryBuilder b = History.builder().invoke(1, "add", 1L).ok(1).invoke(2, "read", null).ok(2, List.of(1L));
    assertEquals(LINEARIZABLE, check(b, Models.set()), "a vector read is the same set");
    HistoryBuilder dup = History.builder().invoke(1, "add", 1L).ok(1).invoke(2, "read", null).ok(2, List.of(1L, 1L));
    assertEquals(NOT_LINEARIZABLE, check(dup, Models.set()), "a read with duplicates is no set");
    HistoryBuilder nil = History.builder().invoke(2, "read", null).ok(2, null);
    assertEquals(LINEARIZABLE, check(nil, Models.set()), "nil reads the empty set");
    HistoryBuilder nilAfterAdd = History.builder().invoke(1, "add", 1L).ok(1).invoke(2, "read", null).ok(2, null);
    assertEquals(NOT_LINEARIZABLE, check(nilAfterAdd, Models.set()));
    assertEquals(LINEARIZABLE, check(nilAfterAdd, Models.set(List.of(), NilReads.UNKNOWN)), "unless nil means unknown");
    HistoryBuilder late = History.builder().invoke(1, "add", 5L).info(1).invoke(2, "read", null).ok(2, Set.of())
        .invoke(2, "read", null).ok(2, Set.of(5L));
    assertEquals(LINEARIZABLE, check(late, Models.set()), "a timed-out add may land late");
    HistoryBuilder bad = History.builder().invoke(2, "read", null).ok(2, 3L);
    assertThrows(IllegalArgumentException.class, () -> check(bad, Models.set()));
  }

  @Test
  void fifoQueueTimedOutDequeueTakesTheHead() {
    HistoryBuilder b = History.builder().invoke(1, "enqueue", 1L).ok(1).invoke(1, "enqueue", 2L).ok(1)
        .invoke(2, "dequeue", null).info(2).invoke(3, "dequeue", null).ok(3, 2L);
    assertEquals(LINEARIZABLE, check(b, Models.fifoQueue()));
    HistoryBuilder twice = History.builder().invoke(1, "enqueue", 1L).ok(1).invoke(1, "enqueue", 2L).ok(1)
        .invoke(2, "dequeue", null).info(2).invoke(3, "dequeue", null).ok(3, 2L).invoke(3, "dequeue", null).ok(3, 1L);
    assertEquals(NOT_LINEARIZABLE, check(twice, Models.fifoQueue()), "1 left with the timed-out dequeue or precedes 2");
    HistoryBuilder empty = History.builder().invoke(3, "dequeue", null).ok(3, null);
    assertEquals(NOT_LINEARIZABLE, check(empty, Models.fifoQueue()), "nothing comes out of an empty queue");
    HistoryBuilder initial = History.builder().invoke(3, "dequeue", null).ok(3, 7L);
    assertEquals(LINEARIZABLE, check(initial, Models.fifoQueue(List.of(7L, 8L))));
  }

  @Test
  void unorderedQueueCountsCopies() {
    HistoryBuilder b = History.builder().invoke(1, "enqueue", 1L).ok(1).invoke(1, "enqueue", 1L).ok(1)
        .invoke(2, "dequeue", null).ok(2, 1L).invoke(2, "dequeue", null).ok(2, 1L);
    assertEquals(LINEARIZABLE, check(b, Models.unorderedQueue()));
    HistoryBuilder thrice = History.builder().invoke(1, "enqueue", 1L).ok(1).invoke(1, "enqueue", 1L).ok(1)
        .invoke(2, "dequeue", null).ok(2, 1L).invoke(2, "dequeue", null).info(2).invoke(2, "dequeue", null).ok(2, 1L)
        .invoke(2, "dequeue", null).ok(2, 1L);
    assertEquals(NOT_LINEARIZABLE, check(thrice, Models.unorderedQueue()));
    HistoryBuilder early = History.builder().invoke(2, "dequeue", null).ok(2, 1L).invoke(1, "enqueue", 1L).ok(1);
    assertEquals(NOT_LINEARIZABLE, check(early, Models.unorderedQueue()), "not out before it went in");
  }

  @Test
  void multiRegisterTransactionsAreAtomic() {
    Model<?> m = Models.multiRegister(Map.of(X, 0L, Y, 0L));
    HistoryBuilder torn = History.builder().invoke(1, "txn", List.of(micro(W, X, 5L), micro(W, Y, 5L)))
        .invoke(2, "txn", List.of(micro(R, X, null), micro(R, Y, null)))
        .ok(2, List.of(micro(R, X, 5L), micro(R, Y, 0L))).ok(1);
    assertEquals(NOT_LINEARIZABLE, check(torn, m));
    HistoryBuilder whole = History.builder().invoke(1, "txn", List.of(micro(W, X, 5L), micro(W, Y, 5L)))
        .invoke(2, "txn", List.of(micro(R, X, null), micro(R, Y, null)))
        .ok(2, List.of(micro(R, X, 5L), micro(R, Y, 5L))).ok(1);
    assertEquals(LINEARIZABLE, check(whole, m));
    HistoryBuilder ownWrite = History.builder().invoke(1, "txn", List.of(micro(W, X, 3L), micro(R, X, null)))
        .ok(1, List.of(micro(W, X, 3L), micro(R, X, 3L)));
    assertEquals(LINEARIZABLE, check(ownWrite, m), "a transaction reads its own write");
  }

  @Test
  void multiRegisterNilReadsAndMissingRegisters() {
    HistoryBuilder missing = History.builder().invoke(1, "txn", List.of(micro(R, new Keyword("z"), null)))
        .ok(1, List.of(micro(R, new Keyword("z"), 1L)));
    assertEquals(NOT_LINEARIZABLE, check(missing, Models.multiRegister(Map.of(X, 0L))), "z holds nil");
    HistoryBuilder nil = History.builder().invoke(1, "txn", List.of(micro(R, X, null))).ok(1, List.of(micro(R, X, null)));
    assertEquals(LINEARIZABLE, check(nil, Models.multiRegister(Map.of(X, 0L))), "Knossos: a nil read says nothing");
    assertEquals(NOT_LINEARIZABLE, check(nil, Models.multiRegister(Map.of(X, 0L), NilReads.ABSENT)));
    HistoryBuilder malformed = History.builder().invoke(1, "txn", List.of(List.of(R, X))).ok(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> check(malformed, Models.multiRegister(Map.of())));
    assertTrue(e.getMessage().contains("[:read k v]"), e.getMessage());
  }

  @Test
  void aTwoStepTransactionInEdnIsNotAKeyedTuple() throws Exception {
    String edn = """
        [{:process 0, :type :invoke, :f :txn, :value [[:read :x nil] [:write :y 2]]}
         {:process 0, :type :ok, :f :txn, :value [[:read :x 0] [:write :y 2]]}]""";
    History h = Histories.parse(edn, HistoryFormat.EDN, "txn.edn");
    assertEquals(null, h.get(0).key());
    assertEquals(LINEARIZABLE, Checker.check(h, Models.multiRegister(Map.of(X, 0L))).verdict());
  }

  @Test
  void unsupportedOperationsAndInitialValuesAreBadInput() {
    HistoryBuilder write = History.builder().invoke(1, "write", 1L).ok(1);
    for (Model<?> m : List.of(Models.mutex(), Models.set(), Models.fifoQueue(), Models.unorderedQueue(),
        Models.multiRegister(Map.of()))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> check(write, m), m.name());
      assertTrue(e.getMessage().contains("does not support :f :write"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> Models.byName("mutex", 1L, NilReads.ABSENT));
    assertThrows(IllegalArgumentException.class, () -> Models.byName("fifo-queue", 1L, NilReads.ABSENT));
    assertThrows(IllegalArgumentException.class, () -> Models.byName("multi-register", 1L, NilReads.UNKNOWN, true));
    assertEquals("multi-register", Models.byName("multi-register", Map.of(X, 1L), NilReads.UNKNOWN).name());
  }
}
