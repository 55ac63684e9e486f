package io.raftbed.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading and writing EDN, JSON lines and Jepsen logs; bad input names file, line and expectation. */
class HistoriesTest {
  @TempDir
  Path dir;

  private static History edn(String text) throws HistoryFormatException {
    return Histories.parse(text, HistoryFormat.EDN, "h.edn");
  }

  @Test
  void readsAnEdnVectorWithCommentsAndNemesis() throws Exception {
    History h = edn("""
        ; a comment
        [{:process 0, :type :invoke, :f :cas, :value [1 2], :time 5}
         {:process :nemesis, :type :info, :f :start, :value nil}
         {:process 0 :type :fail :f :cas :value [1 2] :error [:timeout "x"]}
         #_{:process 9}
         {:process 1, :type :invoke, :f :read, :value nil}]
        """);
    assertEquals(3, h.size(), "the nemesis event is not a client operation");
    Op cas = h.get(0);
    assertEquals(OpType.INVOKE, cas.type());
    assertEquals("cas", cas.f());
    assertEquals(List.of(1L, 2L), cas.value());
    assertEquals(5, cas.timeNanos());
    assertEquals(OpType.FAIL, h.get(1).type());
    assertNull(h.get(2).value());
  }

  @Test
  void readsOneMapPerLineWithKeys() throws Exception {
    History h = edn("""
        {:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}
        {:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}
        """);
    assertEquals("0", h.get(1).key());
    assertEquals("x 0 0 y", h.get(1).value());
    assertTrue(h.isKeyed());
  }

  @Test
  void readsJepsenIndependentTuplesAsKeys() throws Exception {
    History h = edn("""
        [{:process 0, :type :invoke, :f :cas, :value [:x [1 2]]}
         {:process 0, :type :ok, :f :cas, :value [:x [1 2]]}
         {:process 1, :type :invoke, :f :read, :value [:y nil]}
         {:process 1, :type :ok, :f :read, :value [:y 3]}]
        """);
    assertEquals(new Keyword("x"), h.get(0).key());
    assertEquals(List.of(1L, 2L), h.get(0).value());
    assertEquals(3L, h.get(3).value());
    History unkeyed = edn("[{:process 0, :type :invoke, :f :cas, :value [1 2]} {:process 0, :type :ok, :f :cas, :value [1 2]}]");
    assertNull(unkeyed.get(0).key(), "a plain cas [from to] is not a tuple");
  }

  @Test
  void ednRoundTripKeepsKeysTimesAndKeywords() throws Exception {
    History h = History.builder().at(7).invoke(1, "cas", "k", List.of(1, 2)).ok(1)
        .invoke(2, "write", "j", 3).info(2).build();
    History back = edn(Histories.toEdn(h));
    assertEquals(h, back);
    Histories.writeEdn(h, dir.resolve("h.edn"));
    assertEquals(h, Histories.read(dir.resolve("h.edn")));
  }

  @Test
  void jsonlRoundTrip() throws Exception {
    History h = History.builder().invoke(1, "cas", "k", Arrays.asList(null, 2)).fail(1)
        .invoke(2, "read", null).ok(2, "s").build();
    StringWriter out = new StringWriter();
    Histories.writeJsonl(h, out);
    assertTrue(out.toString().startsWith("{\"process\":1,\"type\":\"invoke\",\"f\":\"cas\",\"key\":\"k\""), out.toString());
    assertEquals(h, Histories.parse(out.toString(), HistoryFormat.JSONL, "h.jsonl"));
    Path file = dir.resolve("h.jsonl");
    Histories.writeJsonl(h, file);
    assertEquals(h, Histories.read(file));
  }

  @Test
  void readsJepsenLogLines() throws Exception {
    Path file = dir.resolve("etcd.log");
    Files.writeString(file, """
        INFO  jepsen.core - Running test
        INFO  jepsen.util - 3\t:invoke\t:cas\t[1 4]
        INFO  jepsen.util - :nemesis\t:info\t:start\tnil
        INFO  jepsen.util - 1   :invoke :write  3
        INFO  jepsen.util - 3\t:fail\t:cas\t[1 4]
        INFO  jepsen.util - 1\t:info\t:write\t:timed-out
        """);
    History h = Histories.read(file);
    assertEquals(4, h.size());
    assertEquals(3, h.get(0).process());
    assertEquals(List.of(1L, 4L), h.get(0).value());
    assertEquals(new Keyword("timed-out"), h.get(3).value());
    List<Operation> ops = h.operations(FailSemantics.CAS_FAIL_HAPPENED);
    assertEquals(Operation.Status.FAILED, ops.get(0).status());
    assertEquals(3L, ops.get(1).input(), "an :info keeps the invocation's value");
  }

  @Test
  void errorsNameFileLineAndExpectation() {
    assertError("[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :bogus, :f :read}]", 2, ":type must be");
    assertError("[{:process 0, :type :invoke, :f :read}\n 42]", 2, "an operation map");
    assertError("[{:process 0, :type :invoke, :f :read}\n {:process 0, :type :ok, :f :read, :value [1 2}]", 2, "']' expected");
    assertError("[{:process 0, :type :invoke, :f :read}\n", 2, "']' expected to close");
    assertError("[{:process 0, :type :ok, :f :read}]", 1, "no pending :invoke");
    assertError("{:process 0, :type :invoke, :f :read}\n{:process 0, :type :ok, :f :write}", 2, "does not match");
    assertError("[{:type :invoke, :f :read}]", 1, "needs a :process");
    HistoryFormatException e = assertThrows(HistoryFormatException.class,
        () -> Histories.parse("{\"process\": 1, \"type\": \"invoke\", \"f\": \"read\"}\n{oops", HistoryFormat.JSONL, "h.jsonl"));
    assertEquals(2, e.line());
    assertTrue(e.getMessage().startsWith("h.jsonl:2: "), e.getMessage());
    HistoryFormatException log = assertThrows(HistoryFormatException.class,
        () -> Histories.parse("INFO  jepsen.util - 1\t:invoke\t:cas\t[1 4", HistoryFormat.JEPSEN_LOG, "x.log"));
    assertEquals(1, log.line());
  }

  private static void assertError(String text, int line, String expected) {
    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> edn(text));
    assertEquals("h.edn", e.source());
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void unrecognizedFileIsBadInput() throws Exception {
    Path file = dir.resolve("notes.txt");
    Files.writeString(file, "etcd_000.log not-linearizable\n");
    HistoryFormatException e = assertThrows(HistoryFormatException.class, () -> Histories.read(file));
    assertTrue(e.getMessage().contains("not a history"), e.getMessage());
  }

  @Test
  void detectsFormats() {
    assertEquals(HistoryFormat.EDN, HistoryFormat.detect("; c\n[{:process 0}]"));
    assertEquals(HistoryFormat.EDN, HistoryFormat.detect("{:process 0}"));
    assertEquals(HistoryFormat.JSONL, HistoryFormat.detect("{\"process\": 0}"));
    assertEquals(HistoryFormat.JEPSEN_LOG, HistoryFormat.detect("INFO  jepsen.util - 0\t:invoke\t:read\tnil"));
    assertNull(HistoryFormat.detect("hello"));
  }

  @Test
  void valuesParseAndRender() {
    assertEquals(List.of(1L, "a", new Keyword("k")), Values.fromEdn("[1 \"a\" :k]"));
    assertNull(Values.fromEdn("nil"));
    assertEquals("[1 \"a\" :k nil]", Values.toEdn(Arrays.asList(1, "a", new Keyword("k"), null)));
    assertThrows(IllegalArgumentException.class, () -> Values.fromEdn("[1"));
  }

  @Test
  void operationsPairInvocationsWithCompletions() {
    History h = History.builder().invoke(1, "write", 1).invoke(2, "read", null).ok(2, 0L)
        .invoke(3, "cas", List.of(0, 1)).fail(3).info(1).invoke(4, "write", 9).build();
    List<Operation> ops = h.operations(FailSemantics.NOT_HAPPENED);
    assertEquals(3, ops.size(), "the failed cas is dropped");
    assertEquals(Operation.Status.UNKNOWN, ops.get(0).status());
    assertEquals(0L, ops.get(1).output());
    assertEquals(-1, ops.get(2).completePos(), "never completed");
    assertEquals(4, h.operations(FailSemantics.CAS_FAIL_HAPPENED).size());
  }
}
