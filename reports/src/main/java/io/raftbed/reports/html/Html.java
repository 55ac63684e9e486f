package io.raftbed.reports.html;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The body of a report as it is written: escaped text, headings, tables and chart placeholders.
 * Every string that came from an input file goes through {@link #esc}; markup passed to
 * {@link #raw} is the caller's own. Each {@link #chart} leaves a {@code <div>} where the page's
 * script draws the chart from its spec (a JSON object with a {@code kind}, see {@code report.js}).
 *
 * <p>Not thread-safe: one writer per report, filled on one thread.
 */
public final class Html {
  /** A chart to draw: where it goes and what it shows. */
  public record Chart(String id, ObjectNode spec) {}

  private final StringBuilder body = new StringBuilder();
  private final List<Chart> charts = new ArrayList<>();
  private final List<String[]> toc = new ArrayList<>();

  /** {@code s} with HTML's special characters escaped; null becomes the empty string. */
  public static String esc(Object s) {
    if (s == null) {
      return "";
    }
    String t = s.toString();
    StringBuilder sb = new StringBuilder(t.length() + 16);
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A number with thousands separators and at most {@code decimals} decimals. */
  public static String num(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", v);
  }

  public Html raw(String markup) {
    body.append(markup);
    return this;
  }

  /** A section heading, listed in the page's table of contents. */
  public Html section(String id, String title) {
    toc.add(new String[] {id, title});
    body.append("<section id=\"").append(esc(id)).append("\"><h2>").append(esc(title)).append("</h2>\n");
    return this;
  }

  public Html endSection() {
    body.append("</section>\n");
    return this;
  }

  public Html h3(String title) {
    body.append("<h3>").append(esc(title)).append("</h3>\n");
    return this;
  }

  /** A paragraph of plain text. */
  public Html p(String text) {
    body.append("<p>").append(esc(text)).append("</p>\n");
    return this;
  }

  /** A note a reader must not miss (missing inputs, noisy figures, what could not be read). */
  public Html warn(String text) {
    body.append("<p class=\"warn\">").append(esc(text)).append("</p>\n");
    return this;
  }

  /** Key figures as a row of tiles: label, value, and a class for the value's colour (may be null). */
  public Html tiles(List<String[]> tiles) {
    body.append("<div class=\"tiles\">");
    for (String[] t : tiles) {
      body.append("<div class=\"tile\"><div class=\"label\">").append(esc(t[0])).append("</div><div class=\"value")
          .append(t.length > 2 && t[2] != null ? " " + esc(t[2]) : "").append("\">").append(esc(t[1]))
          .append("</div></div>");
    }
    body.append("</div>\n");
    return this;
  }

  /**
   * A table; cells are escaped text unless they start with {@link #MARKUP} (the caller's own markup,
   * e.g. a link it built with {@link #link}).
   */
  public Html table(String cssClass, List<String> header, List<List<String>> rows) {
    body.append("<table class=\"").append(esc(cssClass)).append("\"><thead><tr>");
    for (String h : header) {
      body.append("<th>").append(esc(h)).append("</th>");
    }
    body.append("</tr></thead><tbody>\n");
    for (List<String> row : rows) {
      body.append("<tr>");
      for (String cell : row) {
        body.append("<td>").append(cell(cell)).append("</td>");
      }
      body.append("</tr>\n");
    }
    body.append("</tbody></table>\n");
    return this;
  }

  /** Prefix of a table cell that holds markup rather than text. */
  public static final String MARKUP = "\u0000";

  /** A table cell holding a link (escaped href and text). */
  public static String link(String href, String text) {
    return MARKUP + "<a href=\"" + esc(href) + "\">" + esc(text) + "</a>";
  }

  /** A table cell holding text in a coloured badge ({@code ok}, {@code bad}, {@code warn}, {@code muted}). */
  public static String badge(String cssClass, String text) {
    return MARKUP + "<span class=\"badge " + esc(cssClass) + "\">" + esc(text) + "</span>";
  }

  /** A table cell holding preformatted text. */
  public static String code(String text) {
    return MARKUP + "<code>" + esc(text) + "</code>";
  }

  private static String cell(String cell) {
    if (cell == null) {
      return "";
    }
    return cell.startsWith(MARKUP) ? cell.substring(1) : esc(cell);
  }

  /** A chart of {@code heightPx} pixels drawn from {@code spec}. */
  public Html chart(ObjectNode spec, int heightPx) {
    String id = "chart-" + (charts.size() + 1);
    charts.add(new Chart(id, spec));
    body.append("<div class=\"chart\" id=\"").append(id).append("\" style=\"height:").append(heightPx)
        .append("px\"></div>\n");
    return this;
  }

  public String body() {
    return body.toString();
  }

  public List<Chart> charts() {
    return List.copyOf(charts);
  }

  /** The sections as {id, title} pairs, in order. */
  public List<String[]> toc() {
    return List.copyOf(toc);
  }
}
