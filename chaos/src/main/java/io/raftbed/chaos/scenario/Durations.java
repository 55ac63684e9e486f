package io.raftbed.chaos.scenario;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as scenarios write them: {@code 250ms}, {@code 5s}, {@code 1.5s}, {@code 2m}. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m)");

  private Durations() {}

  /** Parses one duration; throws {@link IllegalArgumentException} naming the accepted forms. */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; write 250ms, 5s, 1.5s or 2m");
    }
    double n = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1_000;
      default -> n * 60_000;
    };
    if (millis > Duration.ofDays(1).toMillis()) {
      throw new IllegalArgumentException("'" + text + "' is longer than a day");
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /** {@code d} times {@code factor}, to the millisecond. */
  public static Duration scale(Duration d, double factor) {
    return Duration.ofMillis(Math.round(d.toMillis() * factor));
  }

  /** The shortest form that {@link #parse} reads back: {@code 1500ms} as {@code 1.5s}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms < 1000 ? ms + "ms" : (ms / 1000.0) + "s";
    }
    return (ms / 1000) + "s";
  }
}
