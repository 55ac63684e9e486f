package io.raftbed.linearizability;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Where {@link TimelineHtml} draws things: the operations (of the violating key only, at most
 * {@value #OPS_MAX} around the conflict), an x for every event such that each bar is wide enough
 * for its label, and the lanes (one per process) ordered so that the conflict is on top: lanes
 * with an operation of the violating window first, then lanes active around the conflict, then
 * the quiet ones, which the page folds. Built once per page; immutable afterwards.
 */
final class TimelineLayout {
  static final int OPS_MAX = 1500;
  static final int LEFT_PX = 64;
  private static final int GAP_PX = 12;
  private static final double CHAR_PX = 7.0;
  /** Room for the linearization-order badge in front of a label. */
  private static final int BADGE_PX = 26;
  /** Labels longer than this are cut on the bar (the hover text has them whole). */
  static final int LABEL_CHARS_MAX = 36;

  /** How an operation ended, for its look. */
  enum End { OK, FAIL, INFO, PENDING }

  /** One drawn operation. {@code order} is its place in the longest linearizable prefix (0: none). */
  record Bar(Op invoke, Op completion, int from, int to, End end, String role, int order, String stateAfter,
      String label) {
    boolean openEnded() {
      return end == End.INFO || end == End.PENDING;
    }
  }

  /**
   * A lane: one or more processes whose operations never overlap in time (Jepsen gives a client a
   * new process after an indeterminate operation, so one client's processes share a lane), their
   * bars, and whether it is quiet (no operation near the conflict).
   */
  record Lane(List<Long> processes, List<Bar> bars, boolean quiet) {}

  /** How far past its invocation an open-ended bar's fading tail is drawn (it holds its lane that long). */
  static final int TAIL_PX = 140;
  /** Lanes with no bar this close to the conflict (left of it, right of it) are quiet. */
  private static final int NEAR_LEFT_PX = 2400;
  private static final int NEAR_RIGHT_PX = 900;

  final List<Bar> bars;
  final List<Lane> lanes;
  final Map<Integer, Integer> x = new HashMap<>();
  final int endX;
  /** The x range of the conflict (the window and the completion where it was found), or -1. */
  final int conflictFromX;
  final int conflictToX;
  /** The x of the completion that no linearization fits, or -1. */
  final int cutX;
  /** Where the conflict is: the cut, else the end of the window; -1 if there is no conflict. */
  final int focusX;
  final boolean truncated;

  TimelineLayout(History history, Counterexample ce) {
    List<Bar> all = bars(history, ce);
    truncated = all.size() > OPS_MAX;
    bars = limit(all, ce);
    endX = positions();
    int cut = ce == null || ce.cutPosition() == Integer.MAX_VALUE ? -1 : ce.cutPosition() - 1;
    cutX = x.getOrDefault(cut, -1);
    int from = Integer.MAX_VALUE;
    int to = -1;
    for (Bar b : bars) {
      if (b.role().equals("culprit")) {
        from = Math.min(from, x.get(b.from()));
        to = Math.max(to, b.to() >= 0 ? x.get(b.to()) : x.get(b.from()));
      }
    }
    if (to >= 0 && cutX >= 0) {
      to = Math.max(to, cutX);
    }
    conflictFromX = to < 0 ? -1 : from;
    conflictToX = to;
    focusX = cutX >= 0 ? cutX : to;
    lanes = lanes();
  }

  private static List<Bar> bars(History history, Counterexample ce) {
    Map<Integer, String> role = new HashMap<>();
    Map<Integer, Integer> order = new HashMap<>();
    Map<Integer, String> state = new HashMap<>();
    if (ce != null) {
      ce.stuck().forEach(o -> role.put(o.invokePos(), "stuck"));
      ce.window().forEach(o -> role.put(o.invokePos(), "culprit"));
      for (int i = 0; i < ce.longest().size(); i++) {
        order.put(ce.longest().get(i).invokePos(), i + 1);
        state.put(ce.longest().get(i).invokePos(), ce.statesAfter().get(i));
      }
    }
    List<Bar> out = new ArrayList<>();
    Map<Long, Integer> pending = new HashMap<>();
    List<Op> ops = history.ops();
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      if (ce != null && ce.key() != null && !Objects.equals(op.key(), ce.key())) {
        continue;
      }
      if (op.isInvoke()) {
        pending.put(op.process(), out.size());
        out.add(bar(op, null, i, -1, role, order, state));
      } else if (pending.containsKey(op.process())) {
        int at = pending.remove(op.process());
        Bar inv = out.get(at);
        out.set(at, bar(inv.invoke(), op, inv.from(), i, role, order, state));
      }
    }
    return out;
  }

  private static Bar bar(Op inv, Op completion, int from, int to, Map<Integer, String> role,
      Map<Integer, Integer> order, Map<Integer, String> state) {
    End end = completion == null ? End.PENDING : switch (completion.type()) {
      case OK -> End.OK;
      case FAIL -> End.FAIL;
      case INFO, INVOKE -> End.INFO;
    };
    return new Bar(inv, completion, from, to, end, role.getOrDefault(from, ""), order.getOrDefault(from, 0),
        state.get(from), label(inv, completion, end));
  }

  /** The operation in words: {@code read → 3}, {@code cas [1 2] ✗}, {@code write 4 ?}, {@code txn [...]}. */
  static String label(Op inv, Op completion, End end) {
    StringBuilder sb = new StringBuilder(inv.f());
    Object in = inv.value();
    Object out = completion == null ? null : completion.value();
    boolean showsResult = end == End.OK && out != null && !Objects.equals(in, out);
    if (in != null) {
      sb.append(' ').append(Values.toEdn(in));
    }
    if (showsResult) {
      sb.append(" → ").append(Values.toEdn(out));
    }
    switch (end) {
      case FAIL -> sb.append(" ✗");
      case INFO, PENDING -> sb.append(" ?");
      case OK -> { }
    }
    return sb.toString();
  }

  /** At most {@link #OPS_MAX} bars, centred on the window if there is one. */
  private static List<Bar> limit(List<Bar> all, Counterexample ce) {
    if (all.size() <= OPS_MAX) {
      return all;
    }
    int center = 0;
    if (ce != null && !ce.window().isEmpty()) {
      int pos = ce.window().get(0).invokePos();
      while (center < all.size() && all.get(center).from() < pos) {
        center++;
      }
    }
    int start = Math.max(0, Math.min(center - OPS_MAX / 2, all.size() - OPS_MAX));
    return all.subList(start, start + OPS_MAX);
  }

  /** Gives every event an x: at least a gap after the previous one, and room for each bar's label. Returns the end. */
  private int positions() {
    TreeSet<Integer> events = new TreeSet<>();
    for (Bar b : bars) {
      events.add(b.from());
      if (b.to() >= 0) {
        events.add(b.to());
      }
    }
    Map<Integer, List<Bar>> endingAt = new HashMap<>();
    for (Bar b : bars) {
      if (b.to() >= 0) {
        endingAt.computeIfAbsent(b.to(), k -> new ArrayList<>()).add(b);
      }
    }
    int last = LEFT_PX - GAP_PX;
    for (int e : events) {
      int at = last + GAP_PX;
      for (Bar b : endingAt.getOrDefault(e, List.of())) {
        at = Math.max(at, x.get(b.from()) + width(b.label()) + (b.order() > 0 ? BADGE_PX : 0));
      }
      x.put(e, at);
      last = at;
    }
    return last + 60 + LABEL_CHARS_MAX * 8 + TAIL_PX; // room for the last labels and open-ended tails
  }

  static int width(String label) {
    return (int) Math.ceil(Math.min(label.length(), LABEL_CHARS_MAX) * CHAR_PX) + 12;
  }

  /** The x where a bar stops holding its lane: its completion, or the end of an open-ended bar's tail. */
  int endOf(Bar b) {
    int x1 = x.get(b.from());
    int x2 = b.to() >= 0 ? x.get(b.to()) : x1 + width(b.label());
    return b.openEnded() ? Math.max(x2, x1 + width(b.label())) + TAIL_PX : x2;
  }

  /**
   * Packs processes into lanes, first-fit in order of their first operation: a process joins the
   * first lane it does not overlap. Then orders them: the window's lanes, those near the conflict,
   * the quiet ones.
   */
  private List<Lane> lanes() {
    Map<Long, List<Bar>> byProcess = new LinkedHashMap<>();
    bars.stream().sorted(Comparator.comparingInt(Bar::from))
        .forEach(b -> byProcess.computeIfAbsent(b.invoke().process(), p -> new ArrayList<>()).add(b));
    List<List<Long>> rows = new ArrayList<>();
    List<Integer> rowEnd = new ArrayList<>();
    byProcess.forEach((p, bs) -> {
      int start = x.get(bs.get(0).from());
      int end = bs.stream().mapToInt(this::endOf).max().orElse(start);
      int row = 0;
      while (row < rows.size() && rowEnd.get(row) + GAP_PX > start) {
        row++;
      }
      if (row == rows.size()) {
        rows.add(new ArrayList<>());
        rowEnd.add(0);
      }
      rows.get(row).add(p);
      rowEnd.set(row, end);
    });
    List<Lane> out = new ArrayList<>();
    for (List<Long> processes : rows) {
      List<Bar> bs = new ArrayList<>();
      processes.forEach(p -> bs.addAll(byProcess.get(p)));
      out.add(new Lane(List.copyOf(processes), bs, focusX >= 0 && !near(bs)));
    }
    out.sort(Comparator.comparingInt(this::rank));
    return out;
  }

  /** 0: has a culprit; 1: active near the conflict; 2: quiet. */
  private int rank(Lane lane) {
    return lane.bars().stream().anyMatch(b -> b.role().equals("culprit")) ? 0 : lane.quiet() ? 2 : 1;
  }

  /** True if a bar is drawn near the conflict. */
  private boolean near(List<Bar> lane) {
    for (Bar b : lane) {
      if (endOf(b) >= focusX - NEAR_LEFT_PX && x.get(b.from()) <= focusX + NEAR_RIGHT_PX) {
        return true;
      }
    }
    return false;
  }
}
