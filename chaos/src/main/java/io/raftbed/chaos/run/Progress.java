package io.raftbed.chaos.run;

import io.raftbed.chaos.nemesis.Nemesis;
import io.raftbed.chaos.scenario.Scenario;
import io.raftbed.chaos.workload.HistoryRecorder;
import java.io.PrintStream;

/**
 * The run's progress on the terminal: elapsed time, operations ok/fail/info so far, faults on, and
 * the leader. On a terminal one line is rewritten every second; elsewhere (CI logs, pipes) a plain
 * line is printed every five seconds. Runs on its own daemon thread.
 */
final class Progress {
  private final PrintStream out;
  private final HistoryRecorder history;
  private final Nemesis nemesis;
  private final ChaosCluster cluster;
  private final Scenario scenario;
  private final boolean terminal = onTerminal();
  private final long startNanos = System.nanoTime();
  private Thread thread;
  private volatile boolean stopped;

  Progress(PrintStream out, HistoryRecorder history, Nemesis nemesis, ChaosCluster cluster, Scenario scenario) {
    this.out = out;
    this.history = history;
    this.nemesis = nemesis;
    this.cluster = cluster;
    this.scenario = scenario;
  }

  /** Whether output goes to a terminal ({@code Console.isTerminal} where the runtime has it, Java 22+). */
  private static boolean onTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console exists only on a terminal
    }
  }

  void start() {
    thread = Thread.ofPlatform().daemon().name("progress").start(this::loop);
  }

  void stop() throws InterruptedException {
    stopped = true;
    if (thread != null) {
      thread.interrupt();
      thread.join(2_000);
    }
    if (terminal) {
      out.println();
    }
  }

  private void loop() {
    long periodMillis = terminal ? 1_000 : 5_000;
    while (!stopped) {
      try {
        Thread.sleep(periodMillis);
      } catch (InterruptedException e) {
        return;
      }
      String line = line();
      synchronized (out) {
        if (terminal) {
          out.print("\r" + line + "   ");
          out.flush();
        } else {
          out.println(line);
        }
      }
    }
  }

  private String line() {
    long[] c = history.counts();
    long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
    long total = scenario.duration().toSeconds() + scenario.heal().quiet().toSeconds();
    String leader = cluster.agreedLeader().map(l -> "n" + l).orElse("none agreed");
    return String.format("  [%3ds/%ds] ok %d  fail %d  info %d | faults on %d | leader %s", seconds, total, c[0], c[1],
        c[2], nemesis.activeCount(), leader);
  }
}
