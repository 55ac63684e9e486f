package io.raftbed.reports.fuzz;

import io.raftbed.reports.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fuzz campaign merged from any number of inputs: campaign folders (each with one or more
 * {@code results-shard-K-of-N.jsonl} files and {@code failure-seed-N/} folders) and results files.
 * Shards run anywhere (a CI matrix, a Kubernetes Indexed Job) merge here: each seed once, ordered by
 * seed, whatever file or order it came from. A seed found twice must be the same run (same
 * {@link SeedLine#identity}); otherwise the inputs are not one campaign and loading fails. Immutable
 * once loaded.
 *
 * @param seeds every seed's line, by seed
 * @param failureFolders the failure folder of each failing seed that has one
 * @param files the results files read
 * @param duplicates lines dropped because their seed was already there (the same run twice)
 * @param shardsMissing shards {@code K/N} that a campaign of N shards should have but no input had
 */
public record Campaign(SortedMap<Long, SeedLine> seeds, SortedMap<Long, Path> failureFolders, List<Path> files,
    int duplicates, SortedSet<String> shardsMissing) {
  private static final Pattern RESULTS = Pattern.compile("results-shard-(\\d+)-of-(\\d+)\\.jsonl");
  private static final Pattern FAILURE = Pattern.compile("failure-seed-(-?\\d+)");

  /** Whether {@code dir} holds a campaign's results. */
  public static boolean isCampaignFolder(Path dir) {
    return !resultsFiles(dir).isEmpty();
  }

  /** Whether {@code file} is a results file by its name. */
  public static boolean isResultsFileName(Path file) {
    return RESULTS.matcher(file.getFileName().toString()).matches();
  }

  /** Loads and merges {@code inputs} (campaign folders or results files). */
  public static Campaign load(List<Path> inputs) throws BadInputException {
    SortedMap<Long, SeedLine> seeds = new TreeMap<>();
    SortedMap<Long, Path> failures = new TreeMap<>();
    List<Path> files = new ArrayList<>();
    Map<Long, String> seenIn = new TreeMap<>();
    int duplicates = 0;
    for (Path in : inputs) {
      List<Path> results = Files.isDirectory(in) ? resultsFiles(in) : List.of(in);
      if (results.isEmpty()) {
        throw new BadInputException(in + ": no results-shard-K-of-N.jsonl in this folder");
      }
      for (Path f : results) {
        files.add(f);
        for (SeedLine line : SeedLine.parseFile(f)) {
          SeedLine before = seeds.putIfAbsent(line.seed(), line);
          if (before == null) {
            seenIn.put(line.seed(), f.toString());
          } else if (before.identity().equals(line.identity())) {
            duplicates++;
          } else {
            throw new BadInputException("seed " + line.seed() + " ran differently in " + seenIn.get(line.seed())
                + " (" + before.identity() + ") and in " + f + " (" + line.identity()
                + "): these results are not from one campaign (another build or other options)");
          }
        }
      }
      failures.putAll(failureFolders(Files.isDirectory(in) ? in : in.toAbsolutePath().getParent()));
    }
    failures.keySet().retainAll(seeds.keySet());
    return new Campaign(Collections.unmodifiableSortedMap(seeds), Collections.unmodifiableSortedMap(failures),
        List.copyOf(files), duplicates, shardsMissing(seeds.values()));
  }

  private static List<Path> resultsFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Campaign::isResultsFileName).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Map<Long, Path> failureFolders(Path dir) throws BadInputException {
    Map<Long, Path> out = new TreeMap<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isDirectory).toList()) {
        Matcher m = FAILURE.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Long.parseLong(m.group(1)), p);
        }
      }
    } catch (IOException e) {
      throw new BadInputException("cannot list " + dir + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** For each campaign size N seen, the shards 1..N of which no seed was seen. */
  private static SortedSet<String> shardsMissing(Iterable<SeedLine> lines) {
    Map<Integer, SortedSet<Integer>> seen = new TreeMap<>();
    for (SeedLine l : lines) {
      String[] kn = l.shard().split("/");
      if (kn.length == 2) {
        try {
          seen.computeIfAbsent(Integer.parseInt(kn[1].trim()), n -> new TreeSet<>()).add(Integer.parseInt(kn[0].trim()));
        } catch (NumberFormatException e) {
          // a shard label we do not understand names no campaign size: nothing to miss
        }
      }
    }
    SortedSet<String> missing = new TreeSet<>();
    seen.forEach((n, ks) -> {
      for (int k = 1; k <= n; k++) {
        if (!ks.contains(k)) {
          missing.add(k + "/" + n);
        }
      }
    });
    return missing;
  }

  public List<SeedLine> failing() {
    return seeds.values().stream().filter(l -> !l.clean()).toList();
  }

  /**
   * The campaign's fingerprint: a SHA-256 over every seed's {@link SeedLine#identity}, in seed order.
   * Two campaigns over the same seeds print the same fingerprint exactly when every seed ran the same,
   * however they were sharded.
   */
  public String fingerprint() {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      for (SeedLine l : seeds.values()) {
        md.update((l.identity() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
  }
}
