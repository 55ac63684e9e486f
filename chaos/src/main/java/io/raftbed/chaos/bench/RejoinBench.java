package io.raftbed.chaos.bench;

import io.raftbed.chaos.client.KvHttp;
import io.raftbed.chaos.cluster.ClusterLayout;
import io.raftbed.chaos.cluster.LocalCluster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A follower cut off and back, on real processes: it is frozen with SIGSTOP for {@code pause} while
 * a light write load goes on, then resumed with SIGCONT. Elections are counted from every node's
 * {@code raftbed_elections_won_total}. With pre-vote and check-quorum (the defaults) the rejoining
 * node's campaign cannot start, so no election should follow; without them, its higher term deposes
 * the leader: one disruptive election (the simulator shows the same).
 *
 * <p>Runs on the caller's thread plus one writer thread; the follower is resumed whatever happens.
 */
public final class RejoinBench {
  /**
   * @param pause how long the follower stays frozen
   * @param settle how long to watch after it resumes
   */
  public record Options(Duration pause, Duration settle, Duration timeout) {}

  /**
   * @param electionsDuring elections won by any node from the freeze until the end of the settle time
   * @param writesAcked writes acknowledged meanwhile (the light load)
   */
  public record Result(int follower, int leaderBefore, int leaderAfter, long termBefore, long termAfter,
      long electionsDuring, long writesAcked, long pauseMillis) {
    public String describe() {
      return String.format("follower n%d frozen for %.0f s and resumed: %d election(s); leader n%d -> n%d, term %d ->"
          + " %d; %d writes acknowledged meanwhile", follower, pauseMillis / 1e3, electionsDuring, leaderBefore,
          leaderAfter, termBefore, termAfter, writesAcked);
    }

    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scenario", "rejoin");
      m.put("pauseMillis", pauseMillis);
      m.put("electionsDuring", electionsDuring);
      m.put("leaderChanged", leaderBefore != leaderAfter);
      m.put("termBefore", termBefore);
      m.put("termAfter", termAfter);
      m.put("writesAcked", writesAcked);
      return m;
    }
  }

  private RejoinBench() {}

  public static Result run(LocalCluster cluster, Options o, PrintStream log) throws IOException, InterruptedException {
    KvHttp http = new KvHttp(Duration.ofSeconds(5));
    int leader = cluster.awaitLeader(o.timeout()).orElseThrow(() -> new IOException("no leader"));
    int follower = cluster.layout().nodes().stream().mapToInt(ClusterLayout.NodeSpec::id).filter(id -> id != leader)
        .max().orElseThrow(() -> new IOException("the cluster has no follower"));
    long pid = cluster.process(follower).orElseThrow(() -> new IOException("n" + follower + " is not running")).pid();
    AtomicLong acked = new AtomicLong();
    Thread writer = new Thread(() -> writeSlowly(cluster, acked), "rejoin-writer");
    writer.setDaemon(true);
    long termBefore = http.cluster(cluster.layout().httpUrl(leader)).get("term").asLong();
    long electionsBefore = elections(cluster, http);
    writer.start();
    long frozenAt = System.nanoTime();
    signal("STOP", pid);
    try {
      log.printf("froze follower n%d (pid %d) for %d s; leader n%d, term %d%n", follower, pid, o.pause().toSeconds(),
          leader, termBefore);
      Thread.sleep(o.pause().toMillis());
    } finally {
      signal("CONT", pid);
    }
    long pauseMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
    log.printf("resumed n%d; watching for %d s%n", follower, o.settle().toSeconds());
    Thread.sleep(o.settle().toMillis());
    writer.interrupt();
    writer.join(10_000);
    int leaderAfter = cluster.awaitLeader(o.timeout()).orElseThrow(() -> new IOException("no leader after the rejoin"));
    long termAfter = http.cluster(cluster.layout().httpUrl(leaderAfter)).get("term").asLong();
    return new Result(follower, leader, leaderAfter, termBefore, termAfter, elections(cluster, http) - electionsBefore,
        acked.get(), pauseMillis);
  }

  /** Elections won so far, summed over the nodes (none restarts here, so the counters only grow). */
  private static long elections(LocalCluster cluster, KvHttp http) throws IOException {
    long sum = 0;
    for (ClusterLayout.NodeSpec n : cluster.layout().nodes()) {
      sum += http.metrics(cluster.layout().httpUrl(n.id())).getOrDefault("raftbed_elections_won_total", 0.0)
          .longValue();
    }
    return sum;
  }

  /** About twenty writes a second through every node in turn, until interrupted. */
  private static void writeSlowly(LocalCluster cluster, AtomicLong acked) {
    KvHttp http = new KvHttp(Duration.ofSeconds(2));
    var nodes = cluster.layout().nodes();
    for (long i = 0; !Thread.currentThread().isInterrupted(); i++) {
      String url = cluster.layout().httpUrl(nodes.get((int) (i % nodes.size())).id());
      try {
        if (http.put(url, "rejoin-" + i % 100, ("v" + i).getBytes(StandardCharsets.UTF_8), Map.of()).status() == 200) {
          acked.incrementAndGet();
        }
        Thread.sleep(50);
      } catch (IOException e) {
        // the frozen node does not answer: next one
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void signal(String name, long pid) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("kill -" + name + " " + pid + " failed");
    }
  }
}
