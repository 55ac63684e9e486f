package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.linearizability.RandomModelHistories.Kind;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Knossos' mutex, set, queues and multi-register: the checker agrees with a brute force over
 * independently written specifications ({@link ReferenceSpecs}) on thousands of seeded random tiny
 * histories, through the whole checker and through each engine on histories with operations
 * relaxed as the shrinker relaxes them; and every counterexample window is itself a violation.
 */
class ModelAgreementTest {
  private static final int HISTORIES = 1500;

  static Model<?> model(Kind kind) {
    return switch (kind) {
      case MUTEX -> Models.mutex();
      case SET -> Models.set();
      case FIFO_QUEUE -> Models.fifoQueue();
      case UNORDERED_QUEUE -> Models.unorderedQueue();
      case MULTI_REGISTER -> Models.multiRegister(Map.of(new Keyword("x"), 0L));
      case MULTI_REGISTER_NIL_ABSENT -> Models.multiRegister(Map.of(new Keyword("x"), 0L), NilReads.ABSENT);
    };
  }

  static ReferenceSpecs.Spec spec(Kind kind) {
    return switch (kind) {
      case MUTEX -> ReferenceSpecs.MUTEX;
      case SET -> ReferenceSpecs.SET;
      case FIFO_QUEUE -> ReferenceSpecs.queue(true);
      case UNORDERED_QUEUE -> ReferenceSpecs.queue(false);
      case MULTI_REGISTER -> ReferenceSpecs.multiRegister(Map.of(new Keyword("x"), 0L), false);
      case MULTI_REGISTER_NIL_ABSENT -> ReferenceSpecs.multiRegister(Map.of(new Keyword("x"), 0L), true);
    };
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void checkerAgreesWithBruteForce(Kind kind) {
    long seed = Long.getLong("raftbed.seed", 20250101L + kind.ordinal());
    SplittableRandom random = new SplittableRandom(seed);
    int[] verdicts = new int[2];
    for (int i = 0; i < HISTORIES; i++) {
      long historySeed = random.nextLong();
      History h = RandomModelHistories.arbitrary(kind, new SplittableRandom(historySeed), 2 + (i % 7), 3);
      List<Operation> ops = h.operations(FailSemantics.NOT_HAPPENED);
      boolean expected = ReferenceBruteForce.linearizable(ops, Set.of(), spec(kind));
      CheckResult r = Checker.check(h, model(kind), CheckOptions.defaults().withParallelism(1 + i % 2));
      String repro = "reproduce: -Draftbed.seed=" + seed + " " + kind + " history " + i + "\n" + Histories.toEdn(h);
      assertEquals(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE, r.verdict(), repro);
      verdicts[expected ? 0 : 1]++;
      r.counterexample().ifPresent(ce -> assertWindowIsAViolation(kind, ops, ce, repro));
    }
    assertTrue(verdicts[0] > HISTORIES / 10 && verdicts[1] > HISTORIES / 10,
        kind + ": the generator should give both verdicts often: " + verdicts[0] + " vs " + verdicts[1]);
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void bothEnginesAgreeOnRelaxedHistories(Kind kind) {
    long seed = Long.getLong("raftbed.seed", 20250201L + kind.ordinal());
    SplittableRandom random = new SplittableRandom(seed);
    MemoryBudget budget = new MemoryBudget(1 << 26);
    for (int i = 0; i < HISTORIES; i++) {
      History h = RandomModelHistories.arbitrary(kind, new SplittableRandom(random.nextLong()), 2 + (i % 7), 3);
      List<Operation> ops = h.operations(FailSemantics.NOT_HAPPENED);
      Set<Integer> relaxed = new HashSet<>();
      for (Operation o : ops) {
        if (o.isDeterminate() && random.nextInt(3) == 0) {
          relaxed.add(o.invokePos());
        }
      }
      Verdict want = ReferenceBruteForce.linearizable(ops, relaxed, spec(kind)) ? Verdict.LINEARIZABLE
          : Verdict.NOT_LINEARIZABLE;
      PartitionSearch ps = PartitionSearch.prepare(model(kind), ops, relaxed);
      long deadline = System.nanoTime() + 5_000_000_000L;
      String repro = "reproduce: -Draftbed.seed=" + seed + " " + kind + " history " + i + " relaxed " + relaxed
          + "\n" + Histories.toEdn(h);
      assertEquals(want, ps.run(budget, deadline, () -> false).verdict(), "depth-first\n" + repro);
      assertEquals(want, ps.frontier(budget, deadline, () -> false).verdict(), "breadth-first\n" + repro);
    }
  }

  /** The cut is not linearizable, and neither is it with every determinate operation outside the window relaxed. */
  private static void assertWindowIsAViolation(Kind kind, List<Operation> ops, Counterexample ce, String repro) {
    List<Operation> cut = Shrinker.cut(ops, ce.cutPosition());
    assertTrue(!ReferenceBruteForce.linearizable(cut, Set.of(), spec(kind)), "the cut is not linearizable\n" + repro);
    Set<Integer> relaxed = new HashSet<>();
    cut.stream().filter(Operation::isDeterminate).forEach(o -> relaxed.add(o.invokePos()));
    ce.window().forEach(o -> relaxed.remove(o.invokePos()));
    assertTrue(!ReferenceBruteForce.linearizable(cut, relaxed, spec(kind)), "the window is a violation\n" + repro);
  }
}
