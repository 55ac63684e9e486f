package io.raftbed.linearizability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A standalone HTML timeline of a history and its verdict: one lane per process, operations as
 * bars from invocation to completion (indeterminate ones run to the end), the counterexample's
 * window marked red and the longest linearizable prefix numbered in linearization order. Inline
 * CSS, SVG and a few lines of JS; no external resources, so it opens offline. Stateless.
 *
 * <p>For a keyed history with a violation only the violating key is drawn. At most
 * {@value #OPS_MAX} operations are drawn: the ones around the window, else the first ones.
 */
public final class TimelineHtml {
  static final int OPS_MAX = 2000;
  private static final int EVENT_WIDTH = 30;
  private static final double CHAR_WIDTH = 6.7;
  private static final int LANE_HEIGHT = 32;
  private static final int LEFT = 70;

  private TimelineHtml() {}

  /** One drawn operation: invocation and completion positions (-1 if none) and its role. */
  private record Bar(Op invoke, Op completion, int from, int to, String cssClass, int order) {}

  public static void write(History history, CheckResult result, Path out) throws IOException {
    write(history, result, out.getFileName().toString(), out);
  }

  public static void write(History history, CheckResult result, String title, Path out) throws IOException {
    Files.writeString(out, render(history, result, title), StandardCharsets.UTF_8);
  }

  /** The page as a string. */
  public static String render(History history, CheckResult result, String title) {
    Counterexample ce = result.counterexample().orElse(null);
    List<Bar> bars = bars(history, ce);
    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append(": ").append(result.verdict()).append("</title>\n<style>").append(CSS).append("</style></head>\n<body>\n");
    sb.append("<h1>").append(esc(title)).append(": <span class=\"v-").append(result.verdict().name().toLowerCase())
        .append("\">").append(result.verdict()).append("</span></h1>\n<p>").append(esc(result.summary())).append("</p>\n");
    sb.append(LEGEND);
    if (ce != null && ce.key() != null) {
      sb.append("<p>Showing key <code>").append(esc(Values.toEdn(ce.key()))).append("</code> only.</p>\n");
    }
    if (bars.size() >= OPS_MAX) {
      sb.append("<p>Showing ").append(OPS_MAX).append(" operations of a longer history.</p>\n");
    }
    svg(sb, bars);
    if (ce != null) {
      details(sb, ce);
    }
    sb.append("<script>").append(JS).append("</script>\n</body></html>\n");
    return sb.toString();
  }

  private static List<Bar> bars(History history, Counterexample ce) {
    Map<Integer, String> role = new HashMap<>();
    Map<Integer, Integer> order = new HashMap<>();
    if (ce != null) {
      ce.stuck().forEach(o -> role.put(o.invokePos(), "stuck"));
      ce.window().forEach(o -> role.put(o.invokePos(), "culprit"));
      for (int i = 0; i < ce.longest().size(); i++) {
        order.put(ce.longest().get(i).invokePos(), i + 1);
      }
    }
    List<Bar> all = new ArrayList<>();
    Map<Long, Integer> pending = new HashMap<>();
    List<Op> ops = history.ops();
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      if (ce != null && ce.key() != null && !Objects.equals(op.key(), ce.key())) {
        continue;
      }
      if (op.isInvoke()) {
        pending.put(op.process(), all.size());
        all.add(new Bar(op, null, i, -1, "", 0));
      } else if (pending.containsKey(op.process())) {
        int b = pending.remove(op.process());
        Bar inv = all.get(b);
        String css = op.type().keywordName() + " " + role.getOrDefault(inv.from(), "");
        all.set(b, new Bar(inv.invoke(), op, inv.from(), i, css.trim(), order.getOrDefault(inv.from(), 0)));
      }
    }
    for (int b : pending.values()) {
      Bar inv = all.get(b);
      all.set(b, new Bar(inv.invoke(), null, inv.from(), -1, ("pending " + role.getOrDefault(inv.from(), "")).trim(),
          order.getOrDefault(inv.from(), 0)));
    }
    return limit(all, ce);
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

  private static void svg(StringBuilder sb, List<Bar> bars) {
    TreeSet<Integer> positions = new TreeSet<>();
    TreeSet<Long> processes = new TreeSet<>();
    for (Bar b : bars) {
      positions.add(b.from());
      if (b.to() >= 0) {
        positions.add(b.to());
      }
      processes.add(b.invoke().process());
    }
    Map<Integer, Integer> x = new HashMap<>();
    for (int p : positions) {
      x.put(p, LEFT + x.size() * EVENT_WIDTH);
    }
    int end = LEFT + (positions.size() + 2) * EVENT_WIDTH;
    Map<Long, Integer> lane = new HashMap<>();
    for (long p : processes) {
      lane.put(p, lane.size());
    }
    sb.append("<div class=\"scroll\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(end + 20)
        .append("\" height=\"").append(processes.size() * LANE_HEIGHT + 10).append("\">\n");
    for (long p : processes) {
      int y = lane.get(p) * LANE_HEIGHT;
      sb.append("<text class=\"lane\" x=\"4\" y=\"").append(y + 21).append("\">p").append(p).append("</text>")
          .append("<line class=\"lane\" x1=\"").append(LEFT).append("\" x2=\"").append(end)
          .append("\" y1=\"").append(y + LANE_HEIGHT - 1).append("\" y2=\"").append(y + LANE_HEIGHT - 1).append("\"/>\n");
    }
    for (Bar b : bars) {
      bar(sb, b, x.get(b.from()), b.to() >= 0 ? x.get(b.to()) : end, end, lane.get(b.invoke().process()) * LANE_HEIGHT);
    }
    sb.append("</svg></div>\n");
  }

  /**
   * One operation: a bar from invocation to completion with a short label, its linearization order
   * above it, and for an indeterminate one a dashed tail to the end (it may take effect any time).
   */
  private static void bar(StringBuilder sb, Bar b, int x1, int x2, int end, int laneY) {
    int y = laneY + 9;
    sb.append("<g class=\"op ").append(b.cssClass()).append("\"><title>").append(esc(tooltip(b))).append("</title>");
    if (b.order() > 0) {
      sb.append("<text class=\"order\" x=\"").append(x1 + 1).append("\" y=\"").append(y - 1).append("\">")
          .append(b.order()).append("</text>");
    }
    boolean indeterminate = b.completion() == null || b.completion().type() == OpType.INFO;
    if (indeterminate && x2 < end) {
      sb.append("<line class=\"tail\" x1=\"").append(x2).append("\" x2=\"").append(end).append("\" y1=\"")
          .append(y + 9).append("\" y2=\"").append(y + 9).append("\"/>");
    }
    sb.append("<rect x=\"").append(x1).append("\" y=\"").append(y).append("\" width=\"")
        .append(Math.max(4, x2 - x1)).append("\" height=\"18\" rx=\"3\"/>")
        .append("<text x=\"").append(x1 + 3).append("\" y=\"").append(y + 13).append("\">")
        .append(esc(fit(label(b), x2 - x1))).append("</text></g>\n");
  }

  /** The label cut to what fits a bar {@code width} pixels wide (the tooltip has it all). */
  private static String fit(String label, int width) {
    int chars = (int) ((width - 5) / CHAR_WIDTH);
    if (label.length() <= chars) {
      return label;
    }
    return chars < 2 ? "" : label.substring(0, chars - 1) + "…";
  }

  /** A compact label: {@code R 3} (read 3), {@code W 4}, {@code CAS 1→2}, {@code CAS 1→2 ✗} (failed). */
  private static String label(Bar b) {
    Object in = b.invoke().value();
    Op c = b.completion();
    boolean ok = c != null && c.type() == OpType.OK;
    Functions fn = Functions.parse(b.invoke().f());
    String s = switch (fn == null ? Functions.WRITE : fn) {
      case READ -> "R " + (ok ? Values.toEdn(c.value()) : "?");
      case WRITE -> (fn == null ? b.invoke().f() : "W") + " " + Values.toEdn(in);
      case DELETE -> "DEL";
      case APPEND -> "APP " + Values.toEdn(in);
      case CAS -> in instanceof List<?> l && l.size() == 2
          ? "CAS " + Values.toEdn(l.get(0)) + "→" + Values.toEdn(l.get(1)) : "CAS " + Values.toEdn(in);
    };
    return s + (c != null && c.type() == OpType.FAIL ? " ✗" : "");
  }

  private static String tooltip(Bar b) {
    Op c = b.completion();
    return "process " + b.invoke().process() + ": " + b.invoke().f()
        + (b.invoke().key() == null ? "" : " key " + Values.toEdn(b.invoke().key()))
        + " " + Values.toEdn(b.invoke().value())
        + (c == null ? "\nnever completed" : "\n:" + c.type().keywordName() + " " + Values.toEdn(c.value()))
        + "\nevents " + b.from() + (b.to() >= 0 ? ".." + b.to() : "..")
        + (b.invoke().hasTime() ? "\ntime " + b.invoke().timeNanos() + (c != null && c.hasTime() ? ".." + c.timeNanos() : "") + " ns" : "")
        + (b.order() > 0 ? "\nlinearized #" + b.order() : "");
  }

  private static void details(StringBuilder sb, Counterexample ce) {
    sb.append("<h2>Operations that cannot be linearized together</h2>\n<p>").append(esc(ce.shrinkNote()))
        .append(". Every other operation invoked before event ").append(ce.cutPosition() == Integer.MAX_VALUE ? "∞" : ce.cutPosition())
        .append(" may or may not have taken effect within its interval.</p>\n<ul>");
    ce.window().forEach(o -> sb.append("<li class=\"culprit\">").append(esc(o.toString())).append("</li>"));
    sb.append("</ul>\n<h2>Longest linearizable prefix (").append(ce.longest().size()).append(" operations)</h2>\n<ol>");
    for (int i = 0; i < ce.longest().size(); i++) {
      sb.append("<li>").append(esc(ce.longest().get(i).toString())).append(" <span class=\"state\">⇒ ")
          .append(esc(ce.statesAfter().get(i))).append("</span></li>");
    }
    sb.append("</ol>\n");
    if (!ce.stuck().isEmpty()) {
      sb.append("<h2>Then none of these could be linearized</h2>\n<ul>");
      ce.stuck().forEach(o -> sb.append("<li class=\"stuck\">").append(esc(o.toString())).append("</li>"));
      sb.append("</ul>\n");
    }
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static final String CSS = """
      body{font:14px system-ui,sans-serif;margin:16px;color:#222}
      h1{font-size:20px} h2{font-size:16px;margin-top:24px}
      .v-linearizable{color:#1a7f37} .v-not_linearizable{color:#c62828} .v-unknown{color:#b26a00}
      .scroll{overflow:auto;border:1px solid #ddd;max-height:70vh}
      svg text{font:11px ui-monospace,monospace;pointer-events:none}
      text.lane{font-weight:bold} line.lane{stroke:#eee}
      .op rect{fill:#cfe3fa;stroke:#4a90d9} .op.fail rect{fill:#eee;stroke:#aaa;stroke-dasharray:3 2}
      .op.info rect,.op.pending rect{fill:#fff1d6;stroke:#e0a030;stroke-dasharray:4 2}
      .op.stuck rect{stroke:#7b1fa2;stroke-width:2}
      .op.culprit rect{fill:#ffcdd2;stroke:#c62828;stroke-width:3}
      .op:hover rect,.op.sel rect{stroke:#000;stroke-width:3}
      .legend span{display:inline-block;padding:2px 8px;margin-right:6px;border:1px solid;border-radius:3px}
      li.culprit{color:#c62828} li.stuck{color:#7b1fa2} .state{color:#666}
      """;

  private static final String LEGEND = """
      <p class="legend"><span style="background:#cfe3fa;border-color:#4a90d9">ok</span>\
      <span style="background:#eee;border-color:#aaa">fail</span>\
      <span style="background:#fff1d6;border-color:#e0a030">info / never completed</span>\
      <span style="background:#ffcdd2;border-color:#c62828">cannot be linearized (window)</span>\
      <span style="border-color:#7b1fa2">stuck after the longest prefix</span>\
      numbers: order in the longest linearizable prefix. Hover for details, click to mark.</p>
      """;

  private static final String JS = """
      document.querySelectorAll('g.op').forEach(function(g){
       g.addEventListener('click', function(){ g.classList.toggle('sel'); });
      });
      """;
}
