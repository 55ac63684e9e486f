package io.raftbed.linearizability.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.raftbed.linearizability.FailSemantics;
import io.raftbed.linearizability.Histories;
import io.raftbed.linearizability.History;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code raftbed check}: exit codes, auto-detection, directories, HTML, errors. */
class CheckCommandTest {
  private static final String GOOD = """
      [{:process 0, :type :invoke, :f :write, :value 1}
       {:process 0, :type :ok, :f :write, :value 1}
       {:process 1, :type :invoke, :f :read, :value nil}
       {:process 1, :type :ok, :f :read, :value 1}]
      """;
  private static final String BAD = GOOD.replace(":value 1}]", ":value 2}]");

  @TempDir
  Path dir;

  private record Run(int exit, String out, String err) {}

  private static synchronized Run run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int exit = CheckCommand.run(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @Test
  void exitCodesFollowTheVerdict() throws Exception {
    Run good = run("check", write("good.edn", GOOD).toString());
    assertEquals(0, good.exit(), good.out());
    assertTrue(good.out().contains("LINEARIZABLE in "), good.out());
    Run bad = run(write("bad.edn", BAD).toString());
    assertEquals(1, bad.exit(), bad.out());
    assertTrue(bad.out().contains("cannot be linearized"), bad.out());
    Run unknown = run("--memory-limit", "0", "--time-limit", "0s", write("u.edn", BAD).toString());
    assertTrue(unknown.exit() == 2 || unknown.exit() == 1, unknown.out());
  }

  @Test
  void badInputNamesFileAndLineWithExit3() throws Exception {
    Path p = write("broken.edn", "[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :ok, :f :read, :value [1}]");
    Run r = run(p.toString());
    assertEquals(3, r.exit());
    assertTrue(r.out().contains("broken.edn:2: "), r.out());
    Run unsupported = run("--model", "register", write("cas.edn",
        "[{:process 0, :type :invoke, :f :cas, :value [1 2]}]").toString());
    assertEquals(3, unsupported.exit(), unsupported.out());
    assertTrue(unsupported.out().contains("does not support :f :cas"), unsupported.out());
    Run usage = run("--model", "stack", p.toString());
    assertEquals(3, usage.exit());
    assertTrue(usage.err().contains("--model must be one of"), usage.err());
  }

  @Test
  void initialValueAndFailSemanticsOptions() throws Exception {
    Path p = write("zero.edn", "[{:process 0, :type :invoke, :f :read, :value nil} {:process 0, :type :ok, :f :read, :value 0}]");
    assertEquals(1, run(p.toString()).exit(), "initial nil by default");
    assertEquals(0, run("--initial", "0", p.toString()).exit());
    Path cas = write("cas.edn", "[{:process 0, :type :invoke, :f :cas, :value [nil 1]} {:process 0, :type :fail, :f :cas, :value [nil 1]}]");
    assertEquals(0, run(cas.toString()).exit(), "a failed cas did not happen");
    assertEquals(1, run("--fail-semantics", "cas-fail-happened", cas.toString()).exit(), "it happened and found nil");
  }

  @Test
  void failSemanticsRecordedInTheFileApply() throws Exception {
    History h = History.builder().invoke(0, "cas", "k", Arrays.asList(null, 1)).fail(0).build();
    Path plain = dir.resolve("plain.edn");
    Histories.writeEdn(h, plain);
    assertEquals(0, run(plain.toString()).exit(), "by default a failed cas did not happen");
    Path recorded = dir.resolve("recorded.edn");
    Histories.writeEdn(h, FailSemantics.CAS_FAIL_HAPPENED, recorded);
    assertEquals(1, run(recorded.toString()).exit(), "it happened and found the key absent: a violation");
    assertEquals(0, run("--fail-semantics", "not-happened", recorded.toString()).exit(), "explicit options win");
  }

  @Test
  void directoriesGetOneLinePerFileAndATotal() throws Exception {
    write("d/a.edn", GOOD);
    write("d/b.edn", BAD);
    write("d/README.md", "# not a history");
    write("d/verdicts.txt", "a.edn linearizable");
    Path html = dir.resolve("pages");
    Run r = run("--html", html.toString(), dir.resolve("d").toString());
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.contains("a.edn") && l.contains(" LINEARIZABLE")), r.out());
    assertTrue(r.out().lines().anyMatch(l -> l.contains("b.edn") && l.contains("NOT_LINEARIZABLE")), r.out());
    assertTrue(r.out().contains("total: 2 files"), r.out());
    assertTrue(Files.exists(html.resolve("b.edn.html")), "a page for the violation");
    assertTrue(!Files.exists(html.resolve("a.edn.html")), "none for a linearizable file");
  }

  @Test
  void htmlForOneFile() throws Exception {
    Path out = dir.resolve("t.html");
    Run r = run(write("bad.edn", BAD).toString(), "--html", out.toString());
    assertEquals(1, r.exit());
    assertTrue(Files.readString(out).contains("culprit"));
  }

  @Test
  void helpExplainsExitCodes() {
    Run r = run("--help");
    assertEquals(0, r.exit());
    assertTrue(r.out().contains("Exit status: 0 linearizable, 1 not linearizable, 2 unknown"), r.out());
    assertTrue(r.out().contains("4 an\ninternal error in the checker"), r.out());
    assertTrue(r.out().contains("--fail-semantics") && r.out().contains("--out DIR"), r.out());
  }

  @Test
  void anInternalErrorOutranksEveryVerdict() {
    Path f = Path.of("x.edn");
    FileCheck.Outcome bad = FileCheck.Outcome.failed(f, CheckCommand.EXIT_BAD_INPUT, "bad");
    FileCheck.Outcome crash = FileCheck.Outcome.failed(f, CheckCommand.EXIT_INTERNAL_ERROR, "bug");
    FileCheck.Outcome unknown = FileCheck.Outcome.failed(f, 2, "heap");
    assertEquals(4, CheckCommand.exitCode(java.util.List.of(unknown, bad, crash)));
    assertEquals(3, CheckCommand.exitCode(java.util.List.of(unknown, bad)));
    assertEquals(2, CheckCommand.exitCode(java.util.List.of(unknown)));
    assertEquals("INTERNAL ERROR", crash.label());
  }

  @Test
  void usageErrorsAreExit3() {
    assertEquals(3, run("--bogus", "x.edn").exit());
    assertEquals(3, run("--time-limit").exit());
    Run d = run("--time-limit", "soon", "x.edn");
    assertEquals(3, d.exit());
    assertTrue(d.err().contains("is not a duration"), d.err());
    assertEquals(3, run().exit(), "no file");
  }

  @Test
  void outWritesAPageForEveryViolationOnly() throws Exception {
    write("o/a.edn", GOOD);
    write("o/b.edn", BAD);
    Path pages = dir.resolve("pages");
    Run r = run("--out", pages.toString(), dir.resolve("o").toString());
    assertEquals(1, r.exit(), r.out());
    assertTrue(Files.readString(pages.resolve("b.edn.html")).contains("Jump to the conflict"));
    assertTrue(!Files.exists(pages.resolve("a.edn.html")));
    Run one = run("--out", pages.toString(), dir.resolve("o/b.edn").toString());
    assertTrue(one.out().contains("timeline: " + pages.resolve("b.edn.html")), one.out());
  }

  @Test
  void knossosModelsAreDetectedOrNamed() throws Exception {
    Path txn = write("txn.edn", """
        [{:process 0, :type :invoke, :f :txn, :value [[:read :x nil] [:write :y 2]]}
         {:process 0, :type :ok, :f :txn, :value [[:read :x 0] [:write :y 2]]}]""");
    Run t = run("--initial", "{:x 0 :y 0}", txn.toString());
    assertEquals(0, t.exit(), t.out());
    assertTrue(t.out().contains("model multi-register"), t.out());
    assertEquals(1, run("--initial", "{:x 1}", txn.toString()).exit());
    Path queue = write("q.edn", """
        [{:process 0, :type :invoke, :f :enqueue, :value 1} {:process 0, :type :ok, :f :enqueue, :value 1}]""");
    Run q = run(queue.toString());
    assertEquals(3, q.exit());
    assertTrue(q.out().contains("choose --model fifo-queue or --model unordered-queue"), q.out());
    assertEquals(0, run("--model", "fifo-queue", queue.toString()).exit());
    Path mutex = write("m.edn", """
        [{:process 0, :type :invoke, :f :acquire, :value nil} {:process 0, :type :ok, :f :acquire, :value nil}
         {:process 1, :type :invoke, :f :acquire, :value nil} {:process 1, :type :ok, :f :acquire, :value nil}]""");
    assertEquals(1, run(mutex.toString()).exit(), "detected as a mutex, held twice");
    assertEquals(3, run("--initial", "5", mutex.toString()).exit(), "a mutex takes no initial value");
  }

  @Test
  void keysAreReportedAfterAViolation() throws Exception {
    Path p = write("keys.edn", """
        {:process 0, :type :invoke, :f :write, :key "a", :value 1}
        {:process 0, :type :ok, :f :write, :key "a", :value 1}
        {:process 1, :type :invoke, :f :read, :key "a", :value nil}
        {:process 1, :type :ok, :f :read, :key "a", :value 2}
        {:process 0, :type :invoke, :f :write, :key "b", :value 1}
        {:process 0, :type :ok, :f :write, :key "b", :value 1}
        {:process 0, :type :invoke, :f :read, :key "b", :value nil}
        {:process 0, :type :ok, :f :read, :key "b", :value 1}
        {:process 0, :type :invoke, :f :write, :key "b", :value 2}
        {:process 0, :type :ok, :f :write, :key "b", :value 2}
        """);
    Run r = run("--threads", "1", p.toString()); // one thread: "a", the smaller key, is searched first
    assertEquals(1, r.exit(), r.out());
    assertTrue(r.out().contains("keys not linearizable: \"a\"; linearizable: none; undecided: \"b\""), r.out());
  }
}
