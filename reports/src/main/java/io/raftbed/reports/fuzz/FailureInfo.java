package io.raftbed.reports.fuzz;

import static io.raftbed.reports.JsonFiles.longOr;
import static io.raftbed.reports.JsonFiles.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftbed.reports.BadInputException;
import io.raftbed.reports.JsonFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a failing seed's folder ({@code failure-seed-N/}, written by {@code raftbed fuzz}) says about
 * it: the minimized schedule and how it was minimized. Read from its files by name; a folder with
 * missing files yields what it has (the report says what is missing). Immutable.
 *
 * @param folder the failure folder
 * @param kind the violation kind of the minimized run
 * @param minimizedSchedule the minimized fault schedule on one line ({@code schedule-minimized.txt})
 * @param minimizedEvents events in the minimized schedule (-1 when unknown)
 * @param originalEvents events in the schedule the campaign ran (-1 when unknown)
 * @param minimization how it was minimized, in words
 * @param hasTimeline whether the folder has {@code timeline.html}
 * @param problem what was missing or unreadable, or null
 */
public record FailureInfo(Path folder, String kind, String minimizedSchedule, long minimizedEvents,
    long originalEvents, String minimization, boolean hasTimeline, String problem) {

  public static FailureInfo read(Path folder) {
    String kind = null;
    long minimized = -1;
    long original = -1;
    String how = "";
    String problem = null;
    Path result = folder.resolve("result.json");
    if (Files.isRegularFile(result)) {
      try {
        JsonNode r = JsonFiles.read(result);
        kind = text(r, "kind", null);
        minimized = longOr(r, "scheduleEvents", -1);
        original = longOr(r.get("original"), "scheduleEvents", -1);
        JsonNode m = r.get("minimization");
        if (m != null && m.isObject()) {
          how = m.path("skipped").asBoolean(false) ? "not minimized (beyond the campaign's --minimize limit)"
              : m.path("runs").asLong() + " runs in " + String.format("%.1f", m.path("wallMs").asLong() / 1000.0) + " s"
                  + (m.path("oneMinimal").asBoolean(false) ? ", 1-minimal" : ", budget spent before 1-minimality");
        }
      } catch (BadInputException e) {
        problem = e.getMessage();
      }
    } else {
      problem = "result.json is missing";
    }
    String schedule = null;
    Path s = folder.resolve("schedule-minimized.txt");
    try {
      if (Files.isRegularFile(s)) {
        schedule = Files.readString(s, StandardCharsets.UTF_8).strip();
      } else if (problem == null) {
        problem = "schedule-minimized.txt is missing";
      }
    } catch (IOException e) {
      problem = "cannot read " + s + ": " + e.getMessage();
    }
    return new FailureInfo(folder, kind, schedule, minimized, original, how,
        Files.isRegularFile(folder.resolve("timeline.html")), problem);
  }
}
