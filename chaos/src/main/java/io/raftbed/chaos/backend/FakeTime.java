package io.raftbed.chaos.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A node's clock under Debian's libfaketime, changed while it runs. The node is started with the
 * library preloaded and a timestamp file that the library re-reads at most once a second
 * ({@code FAKETIME_CACHE_DURATION=1}: reading it on every clock call would cost more than the node's
 * work). The file holds {@code +OFFSET xRATE}: both the wall and the monotonic clock then read
 * {@code start + (now - start) * RATE + OFFSET}, where {@code start} is when the library loaded.
 *
 * <p>A new rate rescales all the time since {@code start}, so {@link #spec} moves the offset to keep
 * the clock where it was: {@code offset' = offset + (rate - rate') * elapsed}. The library picks the
 * change up within a second of the write, so at that moment the clock steps by up to
 * {@code |rate - rate'|} seconds (back when slowing, forward when speeding up): a short pause of the
 * node's clock, or a short jump.
 */
public final class FakeTime {
  private static final List<String> LIBRARY_PATHS = List.of(
      "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
      "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
      "/usr/lib/faketime/libfaketime.so.1",
      "/usr/local/lib/faketime/libfaketime.so.1");

  /** The clock a node runs on now: its offset in seconds and its rate. */
  public record Setting(double offsetSeconds, double rate) {
    public static final Setting TRUE = new Setting(0, 1);

    String fileText() {
      return String.format(Locale.ROOT, "%+.3f x%.4f%n", offsetSeconds, rate);
    }
  }

  private FakeTime() {}

  /** The preloadable library, if Debian's {@code faketime} package (or a build of it) is installed. */
  public static Optional<Path> library() {
    String override = System.getenv("RAFTBED_LIBFAKETIME");
    if (override != null && !override.isBlank()) {
      return Optional.of(Path.of(override)).filter(Files::isReadable);
    }
    return LIBRARY_PATHS.stream().map(Path::of).filter(Files::isReadable).findFirst();
  }

  /** The environment that runs a process on the clock in {@code file}. */
  public static Map<String, String> environment(Path library, String fileAsTheNodeSeesIt) {
    return Map.of("LD_PRELOAD", library.toString(), "FAKETIME_TIMESTAMP_FILE", fileAsTheNodeSeesIt,
        "FAKETIME_CACHE_DURATION", "1");
  }

  /**
   * The setting that runs at {@code rate} from now on, after a forward step of {@code jumpSeconds},
   * for a process whose library loaded {@code elapsedSeconds} ago and runs on {@code current}.
   */
  public static Setting next(Setting current, double elapsedSeconds, double rate, double jumpSeconds) {
    double offset = current.offsetSeconds() + (current.rate() - rate) * elapsedSeconds + jumpSeconds;
    return new Setting(offset, rate);
  }

  /** Writes {@code setting} to {@code file} atomically (the library must never read half a line). */
  public static void write(Path file, Setting setting) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, setting.fileText());
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
