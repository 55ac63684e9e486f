package io.raftbed.sim.fuzz;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Zeller and Hildebrandt's ddmin ("Simplifying and Isolating Failure-Inducing Input", IEEE TSE 2002):
 * shrinks a failing list to a 1-minimal failing one, one from which removing any single element makes
 * the failure go away. It tests the empty list first, then splits the list into {@code n} chunks and
 * tries each chunk alone, then each complement (the list without one chunk), doubling {@code n} when
 * neither fails. Elements keep their order. Lists already seen to pass are not tested again.
 *
 * <p>Tests go through a {@link Tester}, a batch at a time, so that a tester may run a batch in
 * parallel; the result is the same as if candidates ran one by one in order. Single-threaded itself.
 */
public final class DeltaDebugging {
  private DeltaDebugging() {}

  /** Decides which candidates fail. */
  public interface Tester<T> {
    /**
     * The index of the first candidate, in list order, that fails; -1 if none does, or if the budget
     * ran out before one was found.
     */
    int firstFailing(List<List<T>> candidates);

    /** Whether the budget is spent; the search then stops with the smallest failing list it has. */
    boolean exhausted();
  }

  /**
   * @param minimal the smallest failing list found
   * @param oneMinimal whether it is 1-minimal: false when the budget ran out first
   */
  public record Result<T>(List<T> minimal, boolean oneMinimal) {}

  /** Shrinks {@code failing}, which must fail. */
  public static <T> Result<T> minimize(List<T> failing, Tester<T> tester) {
    Search<T> search = new Search<>(tester);
    if (search.firstFailing(List.of(List.of())) == 0) {
      return new Result<>(List.of(), true);
    }
    List<T> current = List.copyOf(failing);
    int n = 2;
    while (current.size() >= 2 && !search.incomplete) {
      List<List<T>> chunks = split(current, n);
      int i = search.firstFailing(chunks);
      if (i >= 0) {
        current = chunks.get(i);
        n = 2;
        continue;
      }
      if (n > 2) { // with two chunks, each complement is the other chunk: tested already
        List<List<T>> complements = complements(current, chunks);
        i = search.firstFailing(complements);
        if (i >= 0) {
          current = complements.get(i);
          n = Math.max(n - 1, 2);
          continue;
        }
      }
      if (n >= current.size()) {
        break; // each element alone was removed, and the rest passed: 1-minimal
      }
      n = Math.min(current.size(), 2 * n);
    }
    return new Result<>(current, !search.incomplete);
  }

  /** {@code list} cut into {@code n} contiguous chunks whose sizes differ by at most one. */
  static <T> List<List<T>> split(List<T> list, int n) {
    List<List<T>> out = new ArrayList<>(n);
    int from = 0;
    for (int i = 0; i < n; i++) {
      int to = from + (list.size() - from) / (n - i);
      out.add(List.copyOf(list.subList(from, to)));
      from = to;
    }
    return out;
  }

  private static <T> List<List<T>> complements(List<T> list, List<List<T>> chunks) {
    List<List<T>> out = new ArrayList<>(chunks.size());
    int from = 0;
    for (List<T> chunk : chunks) {
      List<T> rest = new ArrayList<>(list.subList(0, from));
      rest.addAll(list.subList(from + chunk.size(), list.size()));
      out.add(List.copyOf(rest));
      from += chunk.size();
    }
    return out;
  }

  /** The tester behind a cache of lists seen to pass. */
  private static final class Search<T> {
    private final Tester<T> tester;
    /** Lists seen to pass. Looked up, never iterated, so hash order cannot leak into the result. */
    private final Set<List<T>> passed = new HashSet<>();
    private boolean incomplete;

    Search(Tester<T> tester) {
      this.tester = tester;
    }

    int firstFailing(List<List<T>> candidates) {
      List<List<T>> fresh = new ArrayList<>();
      List<Integer> positions = new ArrayList<>();
      for (int i = 0; i < candidates.size(); i++) {
        if (!passed.contains(candidates.get(i)) && !fresh.contains(candidates.get(i))) {
          fresh.add(candidates.get(i));
          positions.add(i);
        }
      }
      if (fresh.isEmpty()) {
        return -1;
      }
      if (tester.exhausted()) {
        incomplete = true;
        return -1;
      }
      int hit = tester.firstFailing(fresh);
      if (hit < 0 && tester.exhausted()) {
        incomplete = true; // some candidates may not have run: they prove nothing
        return -1;
      }
      int ran = hit < 0 ? fresh.size() : hit;
      passed.addAll(fresh.subList(0, ran));
      return hit < 0 ? -1 : positions.get(hit);
    }
  }
}
