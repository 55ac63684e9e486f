package io.raftbed.reports.html;

import java.nio.file.Path;

/**
 * Links from a report to files beside its inputs (failure folders, timelines): relative to the
 * report's own folder, so that a report moved together with its inputs keeps working, and readable
 * as paths in the page. Immutable.
 *
 * @param reportDir the folder the report is written to (absolute)
 */
public record Links(Path reportDir) {
  public Links {
    reportDir = reportDir.toAbsolutePath().normalize();
  }

  /** A link to {@code target}, relative to the report where the two share a root. */
  public String to(Path target) {
    Path abs = target.toAbsolutePath().normalize();
    String rel;
    try {
      rel = reportDir.relativize(abs).toString();
    } catch (IllegalArgumentException e) {
      rel = abs.toUri().toString();
    }
    return rel.isEmpty() ? "." : rel.replace(java.io.File.separatorChar, '/');
  }
}
