package io.raftbed.reports.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * Writes a report as one self-contained HTML file: the style sheet, the chart library, the page's
 * own script and every chart's data are inlined, so the file opens anywhere without a network. A
 * Content-Security-Policy forbids fetching anything, so a page that tried would show an error
 * rather than silently depend on the network. Stateless; thread-safe.
 */
public final class Page {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCES = "/io/raftbed/reports/";
  /** No fetches of any kind: scripts, styles and images are inline or data: URLs. */
  static final String CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
      + "img-src data:; font-src data:";

  private Page() {}

  /** The chart library: its name with version, and its minified source from the WebJar. */
  public record Library(String name, String source) {}

  /** Reads the chart library named by {@code chart-library.properties} from the class path. */
  public static Library library() {
    Properties p = new Properties();
    try (InputStream in = Page.class.getResourceAsStream(RESOURCES + "chart-library.properties")) {
      if (in == null) {
        throw new IllegalStateException("chart-library.properties is missing from the reports jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String path = "/" + p.getProperty("path");
    return new Library(p.getProperty("name"), resource(path));
  }

  /** The full document. */
  public static String render(String title, String subtitle, List<String> inputs, Html html) {
    Library lib = library();
    StringBuilder sb = new StringBuilder(lib.source().length() + html.body().length() + 65_536);
    sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CSP).append("\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<meta name=\"generator\" content=\"raftbed report; charts: ").append(Html.esc(lib.name()))
        .append("\">\n<title>").append(Html.esc(title)).append("</title>\n<style>\n")
        .append(resource(RESOURCES + "report.css")).append("</style>\n")
        // Errors are collected before anything else runs, so that a failing chart shows on the page.
        .append("<script>\n").append(resource(RESOURCES + "errors.js")).append("</script>\n")
        .append("</head><body>\n<header><h1>").append(Html.esc(title)).append("</h1><p class=\"sub\">")
        .append(Html.esc(subtitle)).append("</p>\n<details class=\"inputs\"><summary>Inputs (")
        .append(inputs.size()).append(")</summary><ul>");
    for (String in : inputs) {
      sb.append("<li><code>").append(Html.esc(in)).append("</code></li>");
    }
    sb.append("</ul></details>\n<nav>");
    for (String[] entry : html.toc()) {
      sb.append("<a href=\"#").append(Html.esc(entry[0])).append("\">").append(Html.esc(entry[1])).append("</a>");
    }
    sb.append("</nav><div id=\"report-errors\" hidden></div></header>\n<main>\n").append(html.body())
        .append("</main>\n<footer>Charts drawn with ").append(Html.esc(lib.name()))
        .append(" (Apache License 2.0), inlined.</footer>\n");
    for (Html.Chart c : html.charts()) {
      sb.append("<script type=\"application/json\" class=\"chart-spec\" data-target=\"").append(c.id())
          .append("\">").append(scriptSafe(json(c.spec()))).append("</script>\n");
    }
    sb.append("<script>\n").append(lib.source()).append("\n</script>\n<script>\n")
        .append(resource(RESOURCES + "report.js")).append("</script>\n</body></html>\n");
    return sb.toString();
  }

  /** Writes the document to {@code out} (through a temporary file, so a reader never sees half a report). */
  public static void write(Path out, String document) throws IOException {
    Path dir = out.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + out.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, document, StandardCharsets.UTF_8);
      Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a chart spec as JSON", e);
    }
  }

  /** JSON that cannot end its script element early. */
  static String scriptSafe(String json) {
    return json.replace("</", "<\\/").replace("<!--", "<\\!--");
  }

  private static String resource(String path) {
    try (InputStream in = Page.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + " is missing from the class path (is the echarts WebJar there?)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
