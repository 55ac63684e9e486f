package io.raftbed.linearizability.cli;

import io.raftbed.linearizability.Values;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/** picocli converters for durations and EDN values. Stateless. */
final class Converters {
  private Converters() {}

  /** {@code 60s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a number of seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
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
        String number = unit == 0 ? t : t.substring(0, t.length() - 1);
        double seconds = Double.parseDouble(number) * (unit == 0 ? 1 : unit);
        return Duration.ofMillis(Math.round(seconds * 1000));
      } catch (RuntimeException e) {
        throw new CommandLine.TypeConversionException("'" + text + "' is not a duration (e.g. 60s, 500ms, 2m)");
      }
    }
  }

  /**
   * An EDN value: {@code 0}, {@code nil}, {@code "x"}, {@code [1 2]}; a bare word is a string, and
   * an empty argument is the empty string.
   */
  static final class InitialConverter implements CommandLine.ITypeConverter<Object> {
    @Override
    public Object convert(String text) {
      if (text.isEmpty()) {
        return "";
      }
      try {
        return Values.fromEdn(text);
      } catch (IllegalArgumentException e) {
        return text;
      }
    }
  }

  /** Accepts one of the given words. */
  static String oneOf(String option, String value, List<String> allowed) {
    String v = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(v)) {
      throw new CommandLine.ParameterException(new CommandLine(new CheckCommand()),
          option + " must be one of " + String.join(", ", allowed) + ", not '" + value + "'");
    }
    return v;
  }

  /** An exception in words, without Java class names where the message says enough. */
  static String describe(Throwable e) {
    Throwable t = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
    return switch (t) {
      case java.nio.file.NoSuchFileException n -> "no such file or directory: " + n.getFile();
      case java.nio.file.AccessDeniedException a -> "permission denied: " + a.getFile();
      case java.nio.file.FileSystemException f -> f.getFile() + ": " + (f.getReason() != null ? f.getReason()
          : "cannot be read");
      case java.nio.charset.CharacterCodingException c -> "not UTF-8 text";
      default -> t.getMessage() != null ? t.getMessage() : "an internal error (" + t.getClass().getSimpleName() + ")";
    };
  }
}
