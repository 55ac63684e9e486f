package io.raftbed.chaos.nemesis;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every fault of a run with its wall-clock start and end, one JSON object per line in
 * {@code faults.jsonl}, written (and flushed) as each fault ends, so a run that dies midway still
 * shows what it did. Fields: seq, kind, shape (partitions), nodes, detail, startMs, endMs, start,
 * end (ISO-8601), ok, error.
 *
 * <p>Thread-safe.
 */
public final class FaultLog implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One fault as it happened. */
  public record Entry(int seq, String kind, String shape, List<Integer> nodes, String detail, long startMs, long endMs,
      boolean ok, String error) {
    Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seq", seq);
      m.put("kind", kind);
      if (shape != null) {
        m.put("shape", shape);
      }
      m.put("nodes", nodes);
      m.put("detail", detail);
      m.put("startMs", startMs);
      m.put("endMs", endMs);
      m.put("start", Instant.ofEpochMilli(startMs).toString());
      m.put("end", Instant.ofEpochMilli(endMs).toString());
      m.put("ok", ok);
      m.put("error", error);
      return m;
    }
  }

  private final BufferedWriter out;
  private final List<Entry> entries = new ArrayList<>();

  public FaultLog(Path file) throws IOException {
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING);
  }

  public synchronized void add(Entry e) {
    entries.add(e);
    try {
      out.write(JSON.writeValueAsString(e.json()));
      out.write('\n');
      out.flush();
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot write the fault log", ex);
    }
  }

  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
