package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tries every order of the operations that respects real time, against a nondeterministic
 * {@link ReferenceSpecs.Spec}. Indeterminate operations may happen at any point after their
 * invocation, or never; bounded ones (the shrinker's relaxation, by invocation position) within
 * their interval with any result, or never. Exponential: for tiny histories only.
 */
final class ReferenceBruteForce {
  private ReferenceBruteForce() {}

  static boolean linearizable(List<Operation> ops, Set<Integer> bounded, ReferenceSpecs.Spec spec) {
    return search(spec, spec.initial(), ops, bounded);
  }

  private static boolean search(ReferenceSpecs.Spec spec, Object state, List<Operation> remaining, Set<Integer> bounded) {
    if (remaining.stream().allMatch(o -> !o.isDeterminate() || bounded.contains(o.invokePos()))) {
      return true; // what is left may never have happened
    }
    for (int i = 0; i < remaining.size(); i++) {
      Operation o = remaining.get(i);
      List<Operation> rest = new ArrayList<>(remaining);
      rest.remove(i);
      boolean optional = !o.isDeterminate() || bounded.contains(o.invokePos());
      if (optional && bounded.contains(o.invokePos()) && search(spec, state, rest, bounded)) {
        return true;
      }
      if (mustWait(o, remaining, bounded)) {
        continue;
      }
      Operation applied = bounded.contains(o.invokePos()) ? o.relaxed() : o;
      for (Object next : spec.next(state, applied)) {
        if (search(spec, next, rest, bounded)) {
          return true;
        }
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
