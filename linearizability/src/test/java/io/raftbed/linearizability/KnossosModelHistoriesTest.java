package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.raftbed.linearizability.cli.CheckCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code raftbed check} on the hand-written Knossos-format histories under
 * {@code src/test/resources/knossos-models}: exit 0 for {@code good-*}, 1 for {@code bad-*}, with
 * the options in each file's first line ({@code ; options: ARGS | why}).
 */
class KnossosModelHistoriesTest {
  static Stream<Path> files() throws IOException {
    Path dir = Path.of("src/test/resources/knossos-models");
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".edn")).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void verdictAsTheFileNameSays(Path file) throws IOException {
    String first = Files.readAllLines(file).get(0);
    String options = first.substring("; options:".length(), first.indexOf('|')).trim();
    List<String> args = new ArrayList<>(options.isEmpty() ? List.of() : Arrays.asList(options.split(" +")));
    args.add(file.toString());
    int want = file.getFileName().toString().startsWith("good-") ? 0 : 1;
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit;
    synchronized (KnossosModelHistoriesTest.class) {
      try {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        exit = CheckCommand.run(args.toArray(new String[0]));
      } finally {
        System.setOut(old);
      }
    }
    assertEquals(want, exit, first + "\n" + out.toString(StandardCharsets.UTF_8));
  }
}
