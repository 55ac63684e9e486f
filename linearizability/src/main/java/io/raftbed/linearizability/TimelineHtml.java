package io.raftbed.linearizability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A standalone HTML page of a history and its verdict: one lane per process, operations as bars
 * from invocation to completion, labelled with their full text where it fits and on hover
 * always. For a violation it opens scrolled to the conflict (the window of operations that cannot
 * be linearized, marked red, and the completion where no linearization fits any more), with a
 * "jump to the conflict" control; the conflict's lanes come first and lanes with nothing near it
 * are folded (one click unfolds them). Operations of the longest linearizable prefix are numbered
 * in linearization order and show the model state after them on hover; {@code :info} and
 * unfinished operations trail a dashed tail to the end (they may take effect any time later).
 * Inline CSS and a few lines of JS, no external resources, so it opens offline. Stateless.
 *
 * <p>For a keyed history with a violation only the violating key is drawn; at most
 * {@value TimelineLayout#OPS_MAX} operations, those around the window.
 */
public final class TimelineHtml {
  static final int OPS_MAX = TimelineLayout.OPS_MAX;
  /** The details list the last this many operations of the longest prefix. */
  private static final int PREFIX_SHOWN_MAX = 300;
  private static final int VALUE_CHARS_MAX = 240;

  private TimelineHtml() {}

  public static void write(History history, CheckResult result, Path out) throws IOException {
    write(history, result, out.getFileName().toString(), out);
  }

  public static void write(History history, CheckResult result, String title, Path out) throws IOException {
    Files.writeString(out, render(history, result, title), StandardCharsets.UTF_8);
  }

  /** The page as a string. */
  public static String render(History history, CheckResult result, String title) {
    Counterexample ce = result.counterexample().orElse(null);
    TimelineLayout layout = new TimelineLayout(history, ce);
    StringBuilder sb = new StringBuilder(64 * 1024);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append(": ").append(result.verdict()).append("</title>\n<style>").append(TimelineStyle.CSS)
        .append("</style></head>\n<body>\n");
    header(sb, result, title, ce, layout);
    timeline(sb, layout);
    sb.append("<div id=\"tip\" role=\"tooltip\" hidden></div>\n");
    if (ce != null) {
      details(sb, ce);
    }
    sb.append("<script>").append(TimelineStyle.JS).append("</script>\n</body></html>\n");
    return sb.toString();
  }

  private static void header(StringBuilder sb, CheckResult result, String title, Counterexample ce,
      TimelineLayout layout) {
    sb.append("<header><h1>").append(esc(title)).append(": <span class=\"v-")
        .append(result.verdict().name().toLowerCase(java.util.Locale.ROOT)).append("\">").append(result.verdict())
        .append("</span></h1>\n<p class=\"summary\">").append(esc(result.summary())).append("</p>\n<p class=\"controls\">");
    if (layout.conflictToX >= 0) {
      sb.append("<button id=\"jump\" type=\"button\">Jump to the conflict</button> ");
    }
    long quiet = layout.lanes.stream().filter(TimelineLayout.Lane::quiet).count();
    if (quiet > 0) {
      sb.append("<button id=\"fold\" type=\"button\" data-quiet=\"").append(quiet).append("\">Unfold ")
          .append(quiet).append(quiet == 1 ? " quiet lane" : " quiet lanes").append("</button> ");
    }
    sb.append(TimelineStyle.LEGEND).append("</p>\n");
    StringBuilder note = new StringBuilder();
    if (ce != null && ce.key() != null) {
      note.append("Key <code>").append(esc(Values.toEdn(ce.key()))).append("</code> only. ");
    }
    if (layout.truncated) {
      note.append("The ").append(OPS_MAX).append(" operations around the conflict of a longer history. ");
    }
    if (quiet > 0) {
      note.append("Folded: lanes with no operation near the conflict. ");
    }
    if (!note.isEmpty()) {
      sb.append("<p class=\"note\">").append(note.toString().strip()).append("</p>\n");
    }
    sb.append("</header>\n");
  }

  private static void timeline(StringBuilder sb, TimelineLayout layout) {
    sb.append("<div id=\"timeline\" class=\"scroll\" data-cfrom=\"").append(layout.conflictFromX)
        .append("\" data-cto=\"").append(layout.conflictToX).append("\" data-cut=\"").append(layout.cutX)
        .append("\"><div class=\"canvas\" style=\"width:").append(layout.endX).append("px\">\n");
    for (TimelineLayout.Lane lane : layout.lanes) {
      List<Long> ps = lane.processes();
      sb.append("<div class=\"lane").append(lane.quiet() ? " quiet" : "").append("\"><span class=\"pname\" data-tip=\"")
          .append(ps.size() == 1 ? "process " : "processes, one after another: ");
      for (int i = 0; i < ps.size(); i++) {
        sb.append(i == 0 ? "p" : ", p").append(ps.get(i));
      }
      sb.append("\">p").append(ps.get(0)).append(ps.size() > 1 ? " +" + (ps.size() - 1) : "").append("</span>");
      for (TimelineLayout.Bar b : lane.bars()) {
        bar(sb, b, layout);
      }
      sb.append("</div>\n");
    }
    if (layout.cutX >= 0) {
      sb.append("<div class=\"cut\" style=\"left:").append(layout.cutX)
          .append("px\" data-tip=\"The conflict: no linearization fits this completion; the operations marked red"
              + " cannot all be placed before it.\"></div>\n");
    }
    sb.append("</div></div>\n");
  }

  /** One operation: a bar with its label and its order in the longest prefix; an open-ended one trails a fading tail. */
  private static void bar(StringBuilder sb, TimelineLayout.Bar b, TimelineLayout layout) {
    int x1 = layout.x.get(b.from());
    int x2 = b.to() >= 0 ? layout.x.get(b.to()) : x1 + TimelineLayout.width(b.label());
    String css = "op " + b.end().name().toLowerCase(java.util.Locale.ROOT) + (b.role().isEmpty() ? "" : " " + b.role());
    sb.append("<div class=\"").append(css).append("\" tabindex=\"0\" style=\"left:").append(x1).append("px;width:")
        .append(Math.max(6, x2 - x1)).append("px\" data-tip=\"").append(esc(tooltip(b))).append("\">");
    if (b.order() > 0) {
      sb.append("<span class=\"n\">").append(b.order()).append("</span>");
    }
    String label = b.label().length() > TimelineLayout.LABEL_CHARS_MAX
        ? b.label().substring(0, TimelineLayout.LABEL_CHARS_MAX - 1) + "…" : b.label();
    sb.append(esc(label)).append("</div>");
    if (b.openEnded()) {
      sb.append("<div class=\"tail\" style=\"left:").append(x2).append("px;width:")
          .append(layout.endOf(b) - x2).append("px\"></div>");
    }
  }

  private static String tooltip(TimelineLayout.Bar b) {
    Op inv = b.invoke();
    Op c = b.completion();
    StringBuilder t = new StringBuilder("p").append(inv.process()).append(": ").append(inv.f());
    if (inv.key() != null) {
      t.append(" key ").append(Values.toEdn(inv.key()));
    }
    t.append(' ').append(text(inv.value()));
    t.append(c == null ? "\nnever completed" : "\n:" + c.type().keywordName() + " " + text(c.value()));
    t.append("\nevents ").append(b.from()).append(b.to() >= 0 ? ".." + b.to() : "..");
    if (inv.hasTime()) {
      t.append("\ntime ").append(inv.timeNanos()).append(c != null && c.hasTime() ? ".." + c.timeNanos() : "").append(" ns");
    }
    if (b.order() > 0) {
      t.append("\nlinearized #").append(b.order()).append(" of the longest linearizable prefix; state after: ")
          .append(b.stateAfter());
    }
    switch (b.role()) {
      case "culprit" -> t.append("\nin the conflict: cannot be linearized together with the other red operations");
      case "stuck" -> t.append("\npending when the longest prefix could go no further");
      default -> { }
    }
    if (b.openEnded()) {
      t.append("\noutcome unknown: it may have taken effect at any time after its invocation, or never");
    }
    return t.toString();
  }

  private static void details(StringBuilder sb, Counterexample ce) {
    sb.append("<section class=\"details\"><h2>Operations that cannot be linearized together</h2>\n<p>")
        .append(esc(ce.shrinkNote())).append(". Every other operation invoked before event ")
        .append(ce.cutPosition() == Integer.MAX_VALUE ? "∞" : String.valueOf(ce.cutPosition()))
        .append(" may or may not have taken effect within its interval.</p>\n<ul>");
    ce.window().forEach(o -> sb.append("<li class=\"culprit\">").append(esc(op(o))).append("</li>"));
    sb.append("</ul>\n");
    if (!ce.statesAtCut().isEmpty()) {
      sb.append("<p>Just before event ").append(ce.cutPosition() - 1).append(" the state could only be one of: <code>")
          .append(esc(String.join(", ", ce.statesAtCut()))).append("</code></p>\n");
    }
    sb.append("<h2>Longest linearizable prefix (").append(ce.longest().size()).append(" operations), with the state after each</h2>\n");
    List<Operation> longest = ce.longest();
    int first = Math.max(0, longest.size() - PREFIX_SHOWN_MAX);
    sb.append(first > 0 ? "<p>… " + first + " earlier operations; the last " + PREFIX_SHOWN_MAX + ":</p>" : "");
    sb.append("<ol start=\"").append(first + 1).append("\">");
    for (int i = first; i < longest.size(); i++) {
      sb.append("<li>").append(esc(op(longest.get(i)))).append(" <span class=\"state\">⇒ ")
          .append(esc(ce.statesAfter().get(i))).append("</span></li>");
    }
    sb.append("</ol>\n");
    if (!ce.stuck().isEmpty()) {
      sb.append("<h2>Then none of these could be linearized</h2>\n<ul>");
      ce.stuck().forEach(o -> sb.append("<li class=\"stuck\">").append(esc(op(o))).append("</li>"));
      sb.append("</ul>\n");
    }
    sb.append("</section>\n");
  }

  /** A value as EDN, at most {@value #VALUE_CHARS_MAX} characters (a long kv value would swell the page). */
  private static String text(Object value) {
    String s = Values.toEdn(value);
    return s.length() <= VALUE_CHARS_MAX ? s : s.substring(0, VALUE_CHARS_MAX / 2) + " … "
        + s.substring(s.length() - VALUE_CHARS_MAX / 2) + " (" + s.length() + " chars)";
  }

  private static String op(Operation o) {
    String s = o.toString();
    return s.length() <= 2 * VALUE_CHARS_MAX ? s : s.substring(0, VALUE_CHARS_MAX) + " … "
        + s.substring(s.length() - VALUE_CHARS_MAX) + " (" + s.length() + " chars)";
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

}
