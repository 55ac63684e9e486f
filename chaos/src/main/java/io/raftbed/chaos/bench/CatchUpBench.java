package io.raftbed.chaos.bench;

import io.raftbed.chaos.client.KvHttp;
import io.raftbed.chaos.cluster.ClusterLayout;
import io.raftbed.chaos.cluster.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How a follower far behind catches up on real processes: a follower is killed, the leader takes
 * {@code entries} writes (which it compacts behind snapshots), the follower is started again and
 * timed until it has applied everything the leader had committed. The heap of both is sampled from
 * {@code /metrics} meanwhile.
 *
 * <p>Heap figures: {@code sampledUsed} is the largest heap-in-use seen in the samples (every
 * {@value #SAMPLE_MILLIS} ms: garbage included, so it mostly tracks the young generation's size);
 * {@code poolPeak} is the JVM's own sum of per-pool peaks since it started (an upper bound no
 * sample can miss; for the leader it includes the write phase); {@code retained} is the heap in use
 * right after a full collection forced with {@code jcmd PID GC.run} once the follower caught up
 * (what the node keeps: the store, the log tail, the snapshot), or -1 without jcmd.
 *
 * <p>Runs on the caller's thread plus one sampler thread; every wait is bounded.
 */
public final class CatchUpBench {
  private static final int SAMPLE_MILLIS = 50;

  /**
   * @param entries writes the leader takes while the follower is down
   * @param clients concurrent writers
   * @param valueBytes bytes per value; each write sets a new key, so the store ends with {@code entries} keys
   * @param timeout bound on each phase
   */
  public record Options(int entries, int clients, int valueBytes, Duration timeout) {}

  /** Heap of one node during the catch-up, in bytes. */
  public record Heap(long sampledUsed, long poolPeak, long retained) {}

  /**
   * @param behindEntries the leader's commit index minus the follower's applied index when it restarted
   * @param startMillis from starting the follower's process to its HTTP API answering
   * @param catchUpMillis from the API answering to the follower having applied the leader's commit index
   */
  public record Result(int leader, int follower, long behindEntries, long writeMillis, long startMillis,
      long catchUpMillis, long snapshotsSent, long snapshotsInstalled, Heap leaderHeap, Heap followerHeap) {
    public String describe() {
      return String.format("follower n%d was %,d entries behind leader n%d (written in %.1f s)%n"
          + "  caught up in %.2f s after its API answered (process start to API: %.2f s)%n"
          + "  snapshots sent by the leader: %d, installed by the follower: %d%n"
          + "  heap MB (sampled peak in use / JVM pool peak since start / retained after a full GC at the end):%n"
          + "    leader   %s%n    follower %s", follower, behindEntries, leader, writeMillis / 1e3,
          catchUpMillis / 1e3, startMillis / 1e3, snapshotsSent, snapshotsInstalled, mb(leaderHeap), mb(followerHeap));
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scenario", "catch-up");
      m.put("behindEntries", behindEntries);
      m.put("catchUpMillis", catchUpMillis);
      m.put("startMillis", startMillis);
      m.put("snapshotsSent", snapshotsSent);
      m.put("snapshotsInstalled", snapshotsInstalled);
      m.put("leaderHeap", leaderHeap);
      m.put("followerHeap", followerHeap);
      return m;
    }

    private static String mb(Heap h) {
      return String.format("%.0f / %.0f / %.0f", h.sampledUsed / 1e6, h.poolPeak / 1e6, h.retained / 1e6);
    }
  }

  private CatchUpBench() {}

  /** Runs the scenario on a running cluster with an agreed leader; prints progress to {@code log}. */
  public static Result run(LocalCluster cluster, Options o, PrintStream log) throws IOException, InterruptedException {
    KvHttp http = new KvHttp(Duration.ofSeconds(5));
    int leader = cluster.awaitLeader(o.timeout()).orElseThrow(() -> new IOException("no leader"));
    int follower = cluster.layout().nodes().stream().mapToInt(ClusterLayout.NodeSpec::id).filter(id -> id != leader)
        .max().orElseThrow(() -> new IOException("the cluster has no follower"));
    String leaderUrl = cluster.layout().httpUrl(leader);
    long appliedBefore = http.cluster(cluster.layout().httpUrl(follower)).get("appliedIndex").asLong();
    cluster.kill(follower);
    log.printf("killed follower n%d at applied index %d; writing %,d entries to leader n%d...%n", follower,
        appliedBefore, o.entries(), leader);
    long writeStart = System.nanoTime();
    BenchSpec spec = new BenchSpec(BenchSpec.Op.PUT, List.of(leaderUrl), o.clients(), 0, 1, 16, o.valueBytes(),
        o.entries());
    long failed = LoadGenerator.preload(spec, 1, Target.RAFTBED, cluster.credentials());
    long writeMillis = (System.nanoTime() - writeStart) / 1_000_000;
    if (failed > 0) {
      log.printf("  %d writes failed (the follower is still behind by the others)%n", failed);
    }
    long target = http.cluster(leaderUrl).get("commitIndex").asLong();
    log.printf("leader commit index %d; starting n%d...%n", target, follower);
    HeapSampler sampler = new HeapSampler(List.of(leaderUrl, cluster.layout().httpUrl(follower)));
    sampler.start();
    long startNanos = System.nanoTime();
    try {
      cluster.start(follower);
      cluster.awaitServing(follower, o.timeout());
      long servingNanos = System.nanoTime();
      awaitApplied(http, cluster.layout().httpUrl(follower), target, o.timeout());
      long doneNanos = System.nanoTime();
      sampler.stop();
      Map<String, Double> lm = http.metrics(leaderUrl);
      Map<String, Double> fm = http.metrics(cluster.layout().httpUrl(follower));
      long leaderRetained = retainedBytes(cluster, leader, http);
      long followerRetained = retainedBytes(cluster, follower, http);
      return new Result(leader, follower, target - appliedBefore, writeMillis, (servingNanos - startNanos) / 1_000_000,
          (doneNanos - servingNanos) / 1_000_000, lm.getOrDefault("raftbed_snapshots_sent_total", 0.0).longValue(),
          fm.getOrDefault("raftbed_snapshots_installed_total", 0.0).longValue(), sampler.heap(0, lm, leaderRetained),
          sampler.heap(1, fm, followerRetained));
    } finally {
      sampler.stop();
    }
  }

  /** Heap in use right after a full collection of node {@code id} ({@code jcmd PID GC.run}); -1 without jcmd. */
  private static long retainedBytes(LocalCluster cluster, int id, KvHttp http) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    long pid = cluster.process(id).orElseThrow(() -> new IOException("n" + id + " exited")).pid();
    if (!Files.isExecutable(jcmd)) {
      return -1;
    }
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      return -1;
    }
    return http.metrics(cluster.layout().httpUrl(id)).getOrDefault("raftbed_jvm_heap_used_bytes", -1.0).longValue();
  }

  private static void awaitApplied(KvHttp http, String url, long target, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long applied = -1;
    while (System.nanoTime() < deadline) {
      try {
        applied = http.cluster(url).get("appliedIndex").asLong();
      } catch (IOException e) {
        // busy installing the snapshot: ask again
      }
      if (applied >= target) {
        return;
      }
      Thread.sleep(10);
    }
    throw new IOException(url + " applied " + applied + " of " + target + " within " + timeout.toSeconds() + " s");
  }

  /** Polls {@code /metrics} of some nodes, keeping each one's largest heap in use. */
  private static final class HeapSampler {
    private final List<String> urls;
    private final long[] used;
    private final KvHttp http = new KvHttp(Duration.ofSeconds(2));
    private final Thread thread;
    private volatile boolean stopping;

    HeapSampler(List<String> urls) {
      this.urls = urls;
      this.used = new long[urls.size()];
      this.thread = new Thread(this::sample, "heap-sampler");
      thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      stopping = true;
      thread.join(5_000);
    }

    private void sample() {
      while (!stopping) {
        for (int i = 0; i < urls.size(); i++) {
          try {
            Map<String, Double> m = http.metrics(urls.get(i));
            synchronized (this) {
              used[i] = Math.max(used[i], m.getOrDefault("raftbed_jvm_heap_used_bytes", 0.0).longValue());
            }
          } catch (IOException e) {
            // not serving yet
          }
        }
        try {
          Thread.sleep(SAMPLE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    synchronized Heap heap(int i, Map<String, Double> finalMetrics, long retained) {
      return new Heap(used[i], finalMetrics.getOrDefault("raftbed_jvm_heap_peak_used_bytes", 0.0).longValue(),
          retained);
    }
  }
}
