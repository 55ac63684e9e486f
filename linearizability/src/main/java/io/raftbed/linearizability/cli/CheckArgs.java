package io.raftbed.linearizability.cli;

import io.raftbed.linearizability.Models;
import io.raftbed.linearizability.Values;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The options of {@code raftbed check} ({@link CheckCommand#HELP}), parsed by hand: {@code --opt
 * value} or {@code --opt=value}, flags, and files; {@code --} ends the options. Values are checked
 * here, so that a mistake is a usage error before any file is read. Mutable only while parsing.
 */
final class CheckArgs {
  final List<Path> files = new ArrayList<>();
  String model;
  String initial;
  String format = "auto";
  String failSemantics = "auto";
  String nilReads = "auto";
  Path html;
  Path out;
  Duration timeLimit = Duration.ofSeconds(60);
  Duration shrinkTime;
  long memoryLimitMib;
  int threads = Runtime.getRuntime().availableProcessors();
  boolean knossos;
  boolean quiet;
  boolean help;
  boolean version;

  /**
   * @throws IllegalArgumentException with a message for the user on any usage error
   */
  static CheckArgs parse(String... argv) {
    CheckArgs a = new CheckArgs();
    int i = argv.length > 0 && argv[0].equals("check") ? 1 : 0;
    boolean optionsEnded = false;
    for (; i < argv.length; i++) {
      String arg = argv[i];
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        a.files.add(Path.of(arg));
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--" -> optionsEnded = true;
        case "-h", "--help" -> a.help = true;
        case "-V", "--version" -> a.version = true;
        case "-q", "--quiet" -> a.quiet = true;
        case "--knossos" -> a.knossos = true;
        default -> {
          if (value == null) {
            if (i + 1 >= argv.length) {
              throw new IllegalArgumentException("option '" + name + "' needs a value");
            }
            value = argv[++i];
          }
          a.set(name, value);
        }
      }
    }
    if (a.files.isEmpty() && !a.help && !a.version) {
      throw new IllegalArgumentException("missing FILE: name one or more history files or directories");
    }
    return a;
  }

  private void set(String name, String value) {
    switch (name) {
      case "--model" -> model = oneOf(name, value, Models.NAMES);
      case "--initial" -> initial = value;
      case "--format" -> format = oneOf(name, value, "auto", "edn", "jsonl", "jepsen-log");
      case "--fail-semantics" -> failSemantics = oneOf(name, value, "auto", "not-happened", "cas-fail-happened");
      case "--nil-reads" -> nilReads = oneOf(name, value, "auto", "absent", "unknown");
      case "--html" -> html = Path.of(value);
      case "--out" -> out = Path.of(value);
      case "--time-limit" -> timeLimit = duration(name, value);
      case "--shrink-time" -> shrinkTime = duration(name, value);
      case "--memory-limit" -> memoryLimitMib = number(name, value, 0);
      case "--threads" -> threads = (int) Math.min(number(name, value, 1), 1024);
      default -> throw new IllegalArgumentException("unknown option '" + name + "'");
    }
  }

  /** The {@code --initial} value: EDN ({@code 0}, {@code nil}, {@code "x"}, {@code [1 2]}); a bare word is a string. */
  Object initialValue() {
    if (initial.isEmpty()) {
      return "";
    }
    try {
      return Values.fromEdn(initial);
    } catch (IllegalArgumentException e) {
      return initial;
    }
  }

  private static String oneOf(String option, String value, String... allowed) {
    String v = value.toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(v)) {
      throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }
    return v;
  }

  private static long number(String option, String value, long min) {
    try {
      long n = Long.parseLong(value.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be an integer >= " + min + ", not '" + value + "'");
  }

  /** {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a number of seconds. */
  static Duration duration(String option, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      long unit = switch (t.charAt(t.length() - 1)) {
        case 's' -> 1;
        case 'm' -> 60;
        case 'h' -> 3600;
        default -> 0;
      };
      double seconds = Double.parseDouble(unit == 0 ? t : t.substring(0, t.length() - 1)) * (unit == 0 ? 1 : unit);
      if (seconds >= 0) {
        return Duration.ofMillis(Math.round(seconds * 1000));
      }
    } catch (RuntimeException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + ": '" + text + "' is not a duration (e.g. 60s, 500ms, 2m)");
  }
}
