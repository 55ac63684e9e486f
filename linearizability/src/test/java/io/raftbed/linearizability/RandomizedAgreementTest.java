package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The checker agrees with the brute-force reference on thousands of seeded random tiny histories,
 * through the compiled models and through a user model (the generic path), under both fail
 * semantics; and every counterexample window is itself not linearizable.
 */
class RandomizedAgreementTest {
  private static final int HISTORIES = 3000;

  /** The built-in cas register behind the public interface only, to exercise the generic path. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Model<Object> userModel(Model<?> builtIn) {
    Model raw = builtIn;
    return new Model<>() {
      @Override
      public String name() {
        return "user-" + raw.name();
      }

      @Override
      public Object initialState() {
        return raw.initialState();
      }

      @Override
      public Object step(Object state, Operation op) {
        return raw.step(state, op);
      }

      @Override
      public boolean isReadOnly(Operation op) {
        return raw.isReadOnly(op);
      }
    };
  }

  @Test
  void agreesWithBruteForce() {
    long seed = Long.getLong("raftbed.seed", 20240501L);
    SplittableRandom random = new SplittableRandom(seed);
    int[] verdicts = new int[2];
    for (int i = 0; i < HISTORIES; i++) {
      long historySeed = random.nextLong();
      History h = RandomHistories.arbitrary(new SplittableRandom(historySeed), 2 + (i % 7), 3);
      for (FailSemantics semantics : FailSemantics.values()) {
        for (Model<?> model : List.of(Models.casRegister(null), userModel(Models.casRegister(0)))) {
          boolean expected = BruteForce.linearizable(h, model, semantics);
          CheckOptions options = CheckOptions.defaults().withFailSemantics(semantics).withParallelism(1);
          CheckResult r = Checker.check(h, model, options);
          String repro = "reproduce: -Draftbed.seed=" + seed + " history " + i + " (seed " + historySeed + "), "
              + model.name() + ", " + semantics + "\n" + Histories.toEdn(h);
          assertEquals(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE, r.verdict(), repro);
          verdicts[expected ? 0 : 1]++;
          r.counterexample().ifPresent(ce -> assertWindowIsAViolation(h, model, semantics, ce, repro));
        }
      }
    }
    assertFalse(verdicts[0] < HISTORIES / 4 || verdicts[1] < HISTORIES / 4,
        "the generator should give both verdicts often: " + verdicts[0] + " vs " + verdicts[1]);
  }

  /**
   * Both engines (depth-first and breadth-first) agree with brute force, also with a random set of
   * operations relaxed the way the shrinker relaxes them.
   */
  @Test
  void bothEnginesAgreeWithBruteForceOnRelaxedHistories() {
    long seed = Long.getLong("raftbed.seed", 20240502L);
    SplittableRandom random = new SplittableRandom(seed);
    MemoryBudget budget = new MemoryBudget(1 << 26);
    for (int i = 0; i < HISTORIES; i++) {
      long historySeed = random.nextLong();
      History h = RandomHistories.arbitrary(new SplittableRandom(historySeed), 2 + (i % 7), 3);
      FailSemantics semantics = FailSemantics.values()[i % 2];
      Model<?> model = i % 3 == 0 ? userModel(Models.casRegister(null)) : Models.casRegister(null);
      List<Operation> ops = h.operations(semantics);
      Set<Integer> relaxed = new HashSet<>();
      for (Operation o : ops) {
        if (o.isDeterminate() && random.nextInt(3) == 0) {
          relaxed.add(o.invokePos());
        }
      }
      boolean expected = BruteForce.linearizable(ops, relaxed, model);
      PartitionSearch ps = PartitionSearch.prepare(model, ops, relaxed);
      long deadline = System.nanoTime() + 5_000_000_000L;
      Verdict dfs = ps.run(budget, deadline, () -> false).verdict();
      Verdict bfs = ps.frontier(budget, deadline, () -> false).verdict();
      String repro = "reproduce: -Draftbed.seed=" + seed + " history " + i + " relaxed " + relaxed + ", "
          + model.name() + ", " + semantics + "\n" + Histories.toEdn(h);
      Verdict want = expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE;
      assertEquals(want, dfs, "depth-first\n" + repro);
      assertEquals(want, bfs, "breadth-first\n" + repro);
    }
  }

  /** The same with keys, deletes and appends, through the kv and multi-register models. */
  @Test
  void keyedModelsAgreeWithBruteForce() {
    long seed = Long.getLong("raftbed.seed", 20240503L);
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < HISTORIES; i++) {
      History h = RandomHistories.arbitrary(random, 2 + (i % 8), 3, true);
      boolean appends = h.ops().stream().anyMatch(o -> o.f().equals("append"));
      Model<?> model = appends ? Models.kv(i % 2 == 0 ? "" : null) : Models.casRegisterPerKey(null);
      FailSemantics semantics = FailSemantics.values()[i % 2];
      boolean expected = BruteForce.linearizable(h, model, semantics);
      CheckResult r = Checker.check(h, model, CheckOptions.defaults().withFailSemantics(semantics));
      assertEquals(expected ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE, r.verdict(),
          "reproduce: -Draftbed.seed=" + seed + " history " + i + ", " + model + ", " + semantics + "\n" + Histories.toEdn(h));
    }
  }

  /** On larger random histories, beyond brute force, the two engines agree with each other. */
  @Test
  void enginesAgreeOnLargerHistories() {
    long seed = Long.getLong("raftbed.seed", 20240504L);
    SplittableRandom random = new SplittableRandom(seed);
    MemoryBudget budget = new MemoryBudget(1 << 28);
    int[] verdicts = new int[3];
    for (int i = 0; i < 300; i++) {
      History h = i % 2 == 0 ? RandomHistories.arbitrary(random, 30, 5)
          : RandomHistories.linearizable(random.nextLong(), 40, 5, 3, 1, 0.2);
      Model<?> model = Models.casRegister(null);
      PartitionSearch ps = PartitionSearch.prepare(model, h.operations(FailSemantics.values()[i % 2]));
      long deadline = System.nanoTime() + 10_000_000_000L;
      Verdict dfs = ps.run(budget, deadline, () -> false).verdict();
      Verdict bfs = ps.frontier(budget, deadline, () -> false).verdict();
      assertEquals(dfs, bfs, "reproduce: -Draftbed.seed=" + seed + " history " + i + "\n" + Histories.toEdn(h));
      verdicts[dfs.ordinal()]++;
    }
    assertFalse(verdicts[0] == 0 || verdicts[1] == 0, "both verdicts occur: " + Arrays.toString(verdicts));
  }

  /**
   * Independently of the shrinker's own searches: the operations invoked before the cut are not
   * linearizable, and neither are they with every determinate operation outside the window
   * relaxed (optional within its interval, any result).
   */
  private static void assertWindowIsAViolation(History h, Model<?> model, FailSemantics semantics,
                         Counterexample ce, String repro) {
    assertFalse(ce.window().isEmpty(), repro);
    List<Operation> partition = model.partition(h.operations(semantics)).stream()
        .filter(p -> p.contains(ce.window().get(0))).findFirst().orElseThrow();
    List<Operation> cut = Shrinker.cut(partition, ce.cutPosition());
    assertFalse(BruteForce.linearizable(cut, Set.of(), model), "the cut is not linearizable\n" + repro);
    Set<Integer> relaxed = new HashSet<>();
    cut.stream().filter(Operation::isDeterminate).forEach(o -> relaxed.add(o.invokePos()));
    ce.window().forEach(o -> relaxed.remove(o.invokePos()));
    assertFalse(BruteForce.linearizable(cut, relaxed, model), "the window is a violation\n" + repro);
  }
}
