package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A reference checker for tiny histories: tries every order of the operations that respects
 * real time. Indeterminate operations may happen at any point after their invocation or not at
 * all; "bounded" ones (the shrinker's relaxation, by invocation position) may happen within their
 * interval or not at all. Exponential; for randomized cross-checks only.
 */
final class BruteForce {
  private BruteForce() {}

  static boolean linearizable(History history, Model<?> model, FailSemantics semantics) {
    for (List<Operation> partition : model.partition(history.operations(semantics))) {
      if (!linearizable(partition, Set.of(), model)) {
        return false;
      }
    }
    return true;
  }

  /** Bounded read-only operations are removed, as the shrinker does (they constrain nothing then). */
  static <S> boolean linearizable(List<Operation> ops, Set<Integer> bounded, Model<S> model) {
    List<Operation> kept = new ArrayList<>(ops);
    kept.removeIf(o -> bounded.contains(o.invokePos()) && model.isReadOnly(o));
    return search(model, model.initialState(), kept, bounded);
  }

  private static <S> boolean search(Model<S> model, S state, List<Operation> remaining, Set<Integer> bounded) {
    if (remaining.stream().allMatch(o -> !o.isDeterminate() || bounded.contains(o.invokePos()))) {
      return true;
    }
    for (int i = 0; i < remaining.size(); i++) {
      Operation o = remaining.get(i);
      List<Operation> rest = new ArrayList<>(remaining);
      rest.remove(i);
      if (bounded.contains(o.invokePos()) && search(model, state, rest, bounded)) {
        return true; // it never happened
      }
      if (mustWait(o, remaining, bounded)) {
        continue;
      }
      S next = model.step(state, bounded.contains(o.invokePos()) ? o.relaxed() : o);
      if (next != null && search(model, next, rest, bounded)) {
        return true;
      }
    }
    return false;
  }

  /** True if a remaining operation with a known end completed before {@code o} was invoked. */
  private static boolean mustWait(Operation o, List<Operation> remaining, Set<Integer> bounded) {
    for (Operation p : remaining) {
      boolean hasEnd = p.isDeterminate() || bounded.contains(p.invokePos());
      if (p != o && hasEnd && p.completePos() < o.invokePos()) {
        return true;
      }
    }
    return false;
  }
}
