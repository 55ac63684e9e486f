package io.raftbed.sim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import io.raftbed.linearizability.cli.Exits;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A crash is never a verdict: an Error that escapes picocli (here a class missing from the class
 * path, as when a running campaign's jar is rebuilt underneath it; out of memory alike) ends the
 * process with 70, not with the JVM's 1, which {@code sim} and {@code fuzz} use for a violation.
 */
class MainCrashTest {
  @Test
  void anErrorOutsideTheCommandsExitsWithTheCrashCodeNotTheViolationCode() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    // The simulator's classes, picocli and the checker's (Exits), without the node's: the run meets a
    // missing class once it starts.
    String cp = String.join(File.pathSeparator, locationOf(Main.class), locationOf(CommandLine.class),
        locationOf(Exits.class));
    Process p = new ProcessBuilder(java, "-cp", cp, Main.class.getName(),
        "sim", "--seed", "1")
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM ended");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(70, p.exitValue(), out);
    assertTrue(out.contains("internal error (a crash, not a verdict)") && out.contains("NoClassDefFoundError"), out);
  }

  private static String locationOf(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
