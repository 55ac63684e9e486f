package io.raftbed.linearizability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The shared histories with known verdicts (/work/shared/data/histories, see its README), found
 * at {@code -Draftbed.histories} or {@code ../../shared/data/histories} from the module directory.
 */
final class SharedHistories {
  /** One file: how to check it and what the other checkers say. */
  record Case(String name, Path file, HistoryFormat format, Model<?> model, FailSemantics failSemantics,
        Verdict expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  private SharedHistories() {}

  /** The directory, or null if absent. */
  static Path dir() {
    String property = System.getProperty("raftbed.histories");
    Path dir = property != null ? Path.of(property) : Path.of("../../shared/data/histories");
    return Files.isDirectory(dir) ? dir.toAbsolutePath().normalize() : null;
  }

  static List<Case> cases() {
    Path dir = dir();
    if (dir == null) {
      return List.of();
    }
    List<Case> out = new ArrayList<>();
    try {
      for (String verdict : List.of("good", "bad")) {
        for (Path f : list(dir.resolve("knossos-cas-register").resolve(verdict), ".edn")) {
          out.add(new Case("knossos/" + verdict + "/" + f.getFileName(), f, HistoryFormat.EDN,
              Models.casRegister(0L, NilReads.UNKNOWN), FailSemantics.NOT_HAPPENED,
              verdict.equals("good") ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE));
        }
      }
      Path etcd = dir.resolve("porcupine-etcd");
      Map<String, Verdict> verdicts = etcdVerdicts(etcd.resolve("verdicts.txt"));
      for (Path f : list(etcd, ".log")) {
        Verdict expected = verdicts.get(f.getFileName().toString());
        if (expected == null) {
          throw new IllegalStateException("no verdict for " + f + " in verdicts.txt");
        }
        out.add(new Case("etcd/" + f.getFileName(), f, HistoryFormat.JEPSEN_LOG, Models.casRegister(null),
            FailSemantics.CAS_FAIL_HAPPENED, expected));
      }
      for (Path f : list(dir.resolve("porcupine-kv"), ".txt")) {
        String n = f.getFileName().toString();
        out.add(new Case("kv/" + n, f, HistoryFormat.EDN, Models.kv(""), FailSemantics.NOT_HAPPENED,
            n.contains("-bad") ? Verdict.NOT_LINEARIZABLE : Verdict.LINEARIZABLE));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static List<Path> list(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(p -> !p.getFileName().toString().equals("verdicts.txt"))
          .sorted().toList();
    }
  }

  private static Map<String, Verdict> etcdVerdicts(Path file) throws IOException {
    Map<String, Verdict> out = new HashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    for (String line : Files.readAllLines(file)) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length == 2) {
        out.put(parts[0], parts[1].equals("linearizable") ? Verdict.LINEARIZABLE : Verdict.NOT_LINEARIZABLE);
      }
    }
    return out;
  }
}
