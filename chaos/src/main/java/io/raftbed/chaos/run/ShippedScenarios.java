package io.raftbed.chaos.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The scenarios shipped in {@code chaos/scenarios/}: found through the system property
 * {@code raftbed.scenarios} (the directory), or {@code raftbed.home} (the checkout, set by
 * {@code bin/raftbed}), or from the working directory (the checkout, or the chaos module in tests).
 */
public final class ShippedScenarios {
  private ShippedScenarios() {}

  public static Path directory() {
    String explicit = System.getProperty("raftbed.scenarios");
    if (explicit != null) {
      return Path.of(explicit);
    }
    String home = System.getProperty("raftbed.home");
    if (home != null) {
      return Path.of(home, "chaos", "scenarios");
    }
    Path fromRoot = Path.of("chaos", "scenarios");
    return Files.isDirectory(fromRoot) ? fromRoot : Path.of("scenarios");
  }

  /** Every {@code *.yaml} of the directory, by name. */
  public static List<Path> files() throws IOException {
    Path dir = directory();
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException("no scenario directory at " + dir.toAbsolutePath()
          + " (set -Draftbed.scenarios=DIR, or run from the checkout)");
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<Path> files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
      if (files.isEmpty()) {
        throw new NoSuchFileException("no *.yaml scenario in " + dir.toAbsolutePath());
      }
      return files;
    }
  }
}
