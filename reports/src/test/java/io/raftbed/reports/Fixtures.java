package io.raftbed.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Small synthetic inputs of every kind, written as their producers write them (field names and file
 * layout of raftbed fuzz, raftbed chaos, JMH -rf json and raftbed bench --json), from a seed, so tests
 * know exactly what each holds.
 */
final class Fixtures {
  private Fixtures() {}

  static final String[] FAULTS = {"partition", "crash", "torn-write", "pause", "messages", "clock"};

  /** The results line of seed {@code s}: fault types and options drawn from the seed; failing when {@code failing}. */
  static String seedLine(long s, String shard, boolean failing, long finishedAtMs) {
    SplittableRandom r = new SplittableRandom(s);
    List<String> types = new ArrayList<>();
    for (String t : FAULTS) {
      if (r.nextBoolean() || (failing && t.equals("crash"))) {
        types.add("\"" + t + "\"");
      }
    }
    boolean checkQuorum = failing ? false : r.nextBoolean();
    String violation = failing ? "{\"kind\":\"linearizability\",\"message\":\"read of key 3 saw a stale value <b>\","
        + "\"atMillis\":4200}" : "null";
    return String.format(Locale.ROOT, "{\"seed\":%d,\"shard\":\"%s\",\"outcome\":\"%s\",\"violation\":%s,"
            + "\"faultTypes\":[%s],\"swarm\":{\"faultIntervalMillis\":%d,\"messageLevelPercent\":%d,"
            + "\"durationPercent\":100},\"scheduleEvents\":%d,\"linearizability\":\"%s\",\"counts\":{\"ok\":100},"
            + "\"digest\":\"%016x\",\"wallMs\":%d,\"cluster\":{\"clients\":%d,\"preVote\":true,\"checkQuorum\":%s,"
            + "\"keys\":%d},\"finishedAtMs\":%d}",
        s, shard, failing ? "violation" : "clean", violation, String.join(",", types), 300 + r.nextInt(9000),
        25 << r.nextInt(4), 5 + r.nextInt(40), failing ? "not-linearizable" : "linearizable", s * 0x9E3779B97F4A7C15L,
        400 + r.nextInt(800), 3 + 2 * r.nextInt(3), checkQuorum, 2 + r.nextInt(3), finishedAtMs);
  }

  /**
   * A campaign of seeds {@code 1..seeds} in {@code shards} results files under {@code dir}, seeds
   * divisible by {@code failEvery} failing (each with a failure folder); lines in a scrambled order.
   */
  static Path campaign(Path dir, int seeds, int shards, int failEvery) throws IOException {
    Files.createDirectories(dir);
    long t0 = 1_700_000_000_000L;
    for (int k = 1; k <= shards; k++) {
      List<String> lines = new ArrayList<>();
      for (long s = 1; s <= seeds; s++) {
        if (Math.floorMod(s, shards) == k - 1) {
          lines.add(seedLine(s, k + "/" + shards, s % failEvery == 0, t0 + s * 1_000 + (s % 7) * 300));
        }
      }
      java.util.Collections.shuffle(lines, new java.util.Random(k));
      Files.write(dir.resolve("results-shard-" + k + "-of-" + shards + ".jsonl"), lines, StandardCharsets.UTF_8);
    }
    for (long s = failEvery; s <= seeds; s += failEvery) {
      Path f = dir.resolve("failure-seed-" + s);
      Files.createDirectories(f);
      Files.writeString(f.resolve("result.json"), "{\"seed\":" + s + ",\"kind\":\"linearizability\","
          + "\"scheduleEvents\":2,\"original\":{\"scheduleEvents\":31},\"minimization\":{\"skipped\":false,"
          + "\"runs\":57,\"oneMinimal\":true,\"wallMs\":8300}}");
      Files.writeString(f.resolve("schedule-minimized.txt"), "@1200 crash 2; @3400 restart 2\n");
      Files.writeString(f.resolve("timeline.html"), "<html><body>timeline of seed " + s + "</body></html>");
    }
    return dir;
  }

  /**
   * A chaos run folder: 5 clients over 30 s against keys 0-2, a partition from 10 s to 16 s during
   * which writes time out (info after 1 s) or are refused, and a kill of node 2 from 20 s to 23 s.
   */
  static Path chaosRun(Path dir, String verdict) throws IOException {
    Files.createDirectories(dir);
    long startMs = 1_700_000_000_000L;
    StringBuilder edn = new StringBuilder();
    SplittableRandom r = new SplittableRandom(42);
    int index = 0;
    long[] next = new long[5];
    int[] process = {0, 1, 2, 3, 4};
    int ok = 0;
    int fail = 0;
    int info = 0;
    while (true) {
      int c = 0;
      for (int i = 1; i < 5; i++) {
        if (next[i] < next[c]) {
          c = i;
        }
      }
      long t = next[c];
      if (t > 30_000_000_000L) {
        break;
      }
      String f = r.nextInt(3) == 0 ? "write" : r.nextInt(4) == 0 ? "cas" : "read";
      int key = r.nextInt(3);
      boolean partitioned = t > 10_000_000_000L && t < 16_000_000_000L;
      long latency = partitioned ? 1_000_000_000L : 1_000_000L + r.nextInt(4_000_000);
      String type = partitioned ? (r.nextInt(3) == 0 ? "fail" : "info") : "ok";
      if (partitioned && type.equals("fail")) {
        latency = 20_000_000L;
      }
      String value = f.equals("read") ? "nil" : f.equals("cas") ? "[1 2]" : Integer.toString(r.nextInt(5));
      edn.append(String.format("{:type :invoke, :f :%s, :value [%d %s], :process %d, :time %d, :index %d}%n", f, key,
          f.equals("read") ? "nil" : value, process[c], t, index++));
      edn.append(String.format("{:type :%s, :f :%s, :value [%d %s], :process %d, :time %d, :index %d, :node \"n1\"}%n",
          type, f, key, f.equals("read") && type.equals("ok") ? "nil" : value, process[c], t + latency, index++));
      ok += type.equals("ok") ? 1 : 0;
      fail += type.equals("fail") ? 1 : 0;
      info += type.equals("info") ? 1 : 0;
      if (type.equals("info")) {
        process[c] += 5; // Jepsen: a process whose operation timed out is replaced by a new one
      }
      next[c] = t + latency + 2_000_000L + r.nextInt(3_000_000);
    }
    Files.writeString(dir.resolve("history.edn"), edn.toString());
    Files.writeString(dir.resolve("faults.jsonl"),
        fault(1, "partition", "\"shape\":\"halves\",", "[1,2]", "{1,2} | {3}", startMs + 10_000, startMs + 16_000)
            + fault(2, "kill", "", "[2]", "kill -9, restart after 3 s", startMs + 20_000, startMs + 23_000));
    int exit = verdict.equals("pass") ? 0 : 1;
    Files.writeString(dir.resolve("summary.json"), String.format(Locale.ROOT, "{\"scenario\":\"partition-halves\","
        + "\"seed\":7,\"canary\":null,\"runStartMs\":%d,\"startMs\":%d,\"endMs\":%d,\"wallSeconds\":32.5,\"nodes\":3,"
        + "\"ops\":{\"ok\":%d,\"fail\":%d,\"info\":%d},\"faults\":2,\"faultsByKind\":{\"partition\":1,\"kill\":1},"
        + "\"verdict\":\"%s\",\"exitCode\":%d,\"violations\":%s,\"rerun\":\"bin/raftbed chaos run partition-halves "
        + "--seed 7\"}", startMs - 2_500, startMs, startMs + 30_000, ok, fail, info, verdict, exit,
        exit == 0 ? "[]" : "[\"linearizability: key 1 read 3 after a write of 4 completed\"]"));
    Files.writeString(dir.resolve("verdict.json"), "{\"verdict\":\"" + verdict + "\",\"checks\":{\"linearizability\":"
        + "{\"verdict\":\"" + (exit == 0 ? "LINEARIZABLE" : "NOT_LINEARIZABLE") + "\",\"detail\":\"3 keys\"},"
        + "\"liveness\":{\"ran\":true,\"ok\":true,\"detail\":\"writes acknowledged after the heal\"},"
        + "\"durability\":{\"ran\":false,\"ok\":true,\"detail\":\"not asked for\"}},\"exitCode\":" + exit + "}");
    Files.writeString(dir.resolve("timeline.html"), "<html><body>checker timeline</body></html>");
    return dir;
  }

  private static String fault(int seq, String kind, String shape, String nodes, String detail, long start, long end) {
    return String.format(Locale.ROOT, "{\"seq\":%d,\"kind\":\"%s\",%s\"nodes\":%s,\"detail\":\"%s\",\"startMs\":%d,"
        + "\"endMs\":%d,\"start\":\"%s\",\"end\":\"%s\",\"ok\":true,\"error\":null}%n", seq, kind, shape, nodes, detail,
        start, end, java.time.Instant.ofEpochMilli(start), java.time.Instant.ofEpochMilli(end));
  }

  /** JMH results: a throughput benchmark and a time-per-operation one, each score times {@code scale}. */
  static Path jmh(Path file, double thrptScale, double avgtScale, double error) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    String json = "[" + jmhEntry("io.raftbed.jmh.RaftCoreBenchmark.commit", "thrpt", "{\"batch\":\"64\"}",
        120_000 * thrptScale, 120_000 * error, "ops/s", ",\"secondaryMetrics\":{\"·gc.alloc.rate\":{\"score\":1.0,"
            + "\"scoreError\":0.1,\"scoreUnit\":\"MB/sec\"},\"entries\":{\"score\":" + 500_000 * thrptScale
            + ",\"scoreError\":" + 500_000 * error + ",\"scoreUnit\":\"ops/s\"}}")
        + "," + jmhEntry("io.raftbed.jmh.CheckerBenchmark.etcd", "avgt", "{\"counterexample\":\"false\"}",
            400 * avgtScale, 400 * error, "ms/op", "") + "]";
    Files.writeString(file, json);
    return file;
  }

  private static String jmhEntry(String name, String mode, String params, double score, double error, String unit,
      String extra) {
    return String.format(Locale.ROOT, "{\"jmhVersion\":\"1.37\",\"benchmark\":\"%s\",\"mode\":\"%s\",\"threads\":1,"
        + "\"forks\":1,\"params\":%s,\"primaryMetric\":{\"score\":%f,\"scoreError\":%f,\"scoreConfidence\":[%f,%f],"
        + "\"scoreUnit\":\"%s\",\"rawData\":[[1,2,3]]}%s}", name, mode, params, score, error, score - error,
        score + error, unit, extra);
  }

  /** The bench suite's five runs with throughput times {@code scale}, as bench --json writes them. */
  static Path bench(Path file, double scale, String target) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    StringBuilder sb = new StringBuilder();
    Object[][] runs = {{"put", 1, 600.0, 1.1}, {"put", 16, 8200.0, 1.5}, {"put", 64, 21_700.0, 2.5},
        {"get", 64, 61_000.0, 1.0}, {"stale-get", 64, 46_000.0, 0.9}};
    for (Object[] r : runs) {
      double ops = (double) r[2] * scale;
      double p50 = (double) r[3] / scale;
      sb.append(String.format(Locale.ROOT, "{\"op\":\"%s\",\"clients\":%d,\"keyBytes\":16,\"valueBytes\":128,"
          + "\"seconds\":8.000,\"ok\":%d,\"opsPerSecond\":%.1f,\"p50Millis\":%.4f,\"p99Millis\":%.4f,"
          + "\"p999Millis\":%.4f,\"maxMillis\":%.4f,\"errors\":0%s}%n", r[0], r[1], (long) (ops * 8), ops, p50, p50 * 3,
          p50 * 6, p50 * 20, target == null ? "" : ",\"target\":\"" + target + "\""));
    }
    Files.writeString(file, sb.toString());
    return file;
  }
}
