package io.raftbed.reports.chaos;

import static io.raftbed.reports.JsonFiles.longOr;
import static io.raftbed.reports.JsonFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftbed.linearizability.Histories;
import io.raftbed.linearizability.History;
import io.raftbed.linearizability.HistoryFormatException;
import io.raftbed.reports.BadInputException;
import io.raftbed.reports.JsonFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A chaos run folder (written by {@code raftbed chaos}) as a report reads it: {@code summary.json}
 * (required), {@code verdict.json}, {@code faults.jsonl} and {@code history.edn} (each optional; the
 * report says what is missing), and whether {@code timeline.html} is there. The history's
 * {@code :time} counts nanoseconds from {@code summary.json}'s {@code startMs}; fault windows are in
 * epoch milliseconds and are placed on the same axis. Immutable.
 *
 * @param folder the run folder
 * @param summary summary.json
 * @param verdict verdict.json, or null
 * @param faults every fault of faults.jsonl, in file order
 * @param history the client history, or null when history.edn is missing
 * @param missing the optional files that were not there
 */
public record ChaosRun(Path folder, JsonNode summary, JsonNode verdict, List<Fault> faults, History history,
    List<String> missing) {

  /**
   * One fault as the nemesis logged it.
   *
   * @param startSeconds start, seconds since the history's time zero
   * @param endSeconds end, seconds since time zero (its start when the log has no end)
   */
  public record Fault(int seq, String kind, String shape, String nodes, String detail, double startSeconds,
      double endSeconds, boolean ok, String error) {
    public String label() {
      return kind + (shape == null ? "" : " " + shape) + (nodes.isEmpty() ? "" : " on " + nodes)
          + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
  }

  public static ChaosRun load(Path dir) throws BadInputException {
    JsonNode summary = JsonFiles.read(dir.resolve("summary.json"));
    if (!summary.isObject() || !summary.has("startMs")) {
      throw new BadInputException(dir.resolve("summary.json") + ": not a chaos run summary (no \"startMs\")");
    }
    long zeroMs = summary.get("startMs").asLong();
    List<String> missing = new ArrayList<>();
    JsonNode verdict = null;
    if (Files.isRegularFile(dir.resolve("verdict.json"))) {
      verdict = JsonFiles.read(dir.resolve("verdict.json"));
    } else {
      missing.add("verdict.json");
    }
    List<Fault> faults = new ArrayList<>();
    Path faultLog = dir.resolve("faults.jsonl");
    if (Files.isRegularFile(faultLog)) {
      for (JsonFiles.Line line : JsonFiles.lines(faultLog)) {
        faults.add(fault(line.json(), zeroMs));
      }
    } else {
      missing.add("faults.jsonl");
    }
    History history = null;
    Path edn = dir.resolve("history.edn");
    if (Files.isRegularFile(edn)) {
      try {
        history = Histories.readEdn(edn);
      } catch (HistoryFormatException e) {
        throw new BadInputException(edn + ": " + e.getMessage(), e);
      } catch (IOException e) {
        throw new BadInputException("cannot read " + edn + ": " + e.getMessage(), e);
      }
    } else {
      missing.add("history.edn");
    }
    if (!Files.isRegularFile(dir.resolve("timeline.html"))) {
      missing.add("timeline.html");
    }
    return new ChaosRun(dir, summary, verdict, List.copyOf(faults), history, List.copyOf(missing));
  }

  private static Fault fault(JsonNode f, long zeroMs) {
    long start = longOr(f, "startMs", zeroMs);
    long end = longOr(f, "endMs", 0);
    List<String> nodes = new ArrayList<>();
    f.path("nodes").forEach(n -> nodes.add("n" + n.asText()));
    return new Fault((int) longOr(f, "seq", 0), text(f, "kind", "fault"), text(f, "shape", null),
        String.join(",", nodes), text(f, "detail", ""), (start - zeroMs) / 1000.0,
        (Math.max(end, start) - zeroMs) / 1000.0, f.path("ok").asBoolean(true), text(f, "error", null));
  }

  public String verdictWord() {
    return text(summary, "verdict", "unknown");
  }

  /** ok, bad or warn: how to colour the verdict. */
  public String verdictClass() {
    String v = verdictWord().toLowerCase(java.util.Locale.ROOT);
    if (v.equals("pass") || v.equals("linearizable") || v.equals("ok") || v.equals("valid")) {
      return "ok";
    }
    return v.equals("fail") || v.equals("violation") || v.contains("not") || v.equals("invalid") ? "bad" : "warn";
  }

  /** Seconds from the history's time zero to the end of the run. */
  public double lengthSeconds() {
    return (longOr(summary, "endMs", 0) - longOr(summary, "startMs", 0)) / 1000.0;
  }

  /** One line for the terminal. */
  public String describe() {
    JsonNode ops = summary.path("ops");
    return text(summary, "scenario", "?") + " seed " + text(summary, "seed", "?") + ": " + verdictWord()
        + ", ops ok/fail/info " + ops.path("ok").asLong() + "/" + ops.path("fail").asLong() + "/"
        + ops.path("info").asLong() + ", " + faults.size() + " faults";
  }
}
