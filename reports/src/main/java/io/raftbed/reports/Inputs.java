package io.raftbed.reports;

import io.raftbed.reports.fuzz.Campaign;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Sorts a report's inputs by kind, from what each file or folder holds (not only its name):
 * a folder with {@code results-shard-K-of-N.jsonl} files is a fuzz campaign; a folder with
 * {@code summary.json} a chaos run; a {@code .jsonl} file of seed lines is a campaign's results, of
 * lines with {@code opsPerSecond} a bench run; a {@code .json} array of objects with
 * {@code primaryMetric} is a JMH result. Anything else is bad input. Immutable once sorted.
 *
 * @param fuzz campaign folders and results files (merged into one campaign)
 * @param chaos chaos run folders
 * @param jmh JMH result files
 * @param bench bench result files (one run set each)
 */
public record Inputs(List<Path> fuzz, List<Path> chaos, List<Path> jmh, List<Path> bench) {

  public static Inputs sort(List<Path> paths) throws BadInputException {
    List<Path> fuzz = new ArrayList<>();
    List<Path> chaos = new ArrayList<>();
    List<Path> jmh = new ArrayList<>();
    List<Path> bench = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        if (Campaign.isCampaignFolder(p)) {
          fuzz.add(p);
        } else if (Files.isRegularFile(p.resolve("summary.json"))) {
          chaos.add(p);
        } else {
          throw new BadInputException(p + ": neither a fuzz campaign folder (results-shard-K-of-N.jsonl) nor a chaos "
              + "run folder (summary.json)");
        }
      } else if (Files.isRegularFile(p)) {
        String first = JsonFiles.firstLine(p);
        if (first == null) {
          throw new BadInputException(p + ": the file is empty");
        }
        String name = p.getFileName().toString();
        if (first.startsWith("[")) {
          if (!first.equals("[") && !first.contains("\"benchmark\"") && !first.equals("[ ]") && !first.equals("[]")) {
            throw new BadInputException(p + ": a JSON array that is not JMH results (-rf json)");
          }
          jmh.add(p);
        } else if (first.startsWith("{") && first.contains("\"seed\"") && first.contains("\"outcome\"")) {
          fuzz.add(p);
        } else if (first.startsWith("{") && first.contains("\"opsPerSecond\"")) {
          bench.add(p);
        } else {
          throw new BadInputException(p + ": not a report input. Give fuzz campaign folders or results-shard-K-of-N.jsonl "
              + "files, chaos run folders, JMH JSON (-rf json) or bench --json lines" + (name.endsWith(".json")
                  || name.endsWith(".jsonl") ? "" : " (by content, whatever the name)"));
        }
      } else {
        throw new BadInputException(p + ": no such file or folder");
      }
    }
    return new Inputs(List.copyOf(fuzz), List.copyOf(chaos), List.copyOf(jmh), List.copyOf(bench));
  }

  public boolean isEmpty() {
    return fuzz.isEmpty() && chaos.isEmpty() && jmh.isEmpty() && bench.isEmpty();
  }
}
