package io.raftbed.chaos.run;

import eu.rekawek.toxiproxy.ToxiproxyClient;
import io.raftbed.chaos.backend.FakeTime;
import io.raftbed.chaos.backend.NodeBackend;
import io.raftbed.chaos.nemesis.FaultLog;
import io.raftbed.chaos.nemesis.Findings;
import io.raftbed.chaos.nemesis.Nemesis;
import io.raftbed.chaos.nemesis.Timeline;
import io.raftbed.chaos.scenario.FaultSpec;
import io.raftbed.chaos.scenario.Scenario;
import io.raftbed.chaos.wiring.ProxyNet;
import io.raftbed.chaos.workload.HistoryRecorder;
import io.raftbed.chaos.workload.KvOps;
import io.raftbed.chaos.workload.Workload;
import io.raftbed.linearizability.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * One run of a scenario on real node processes, from start to verdict:
 *
 * <ol>
 *   <li>proxies for every directed peer link, forward link and client link (the embedded
 *       Toxiproxy-API proxy, or {@code TOXIPROXY_URL}'s);
 *   <li>the founders start with {@code --routes} through their proxies; the run waits for a leader;
 *   <li>the workload starts, and the nemesis plays the timeline for the scenario's duration;
 *   <li>the final heal: every fault still on is ended, every proxy cleared, every member running;
 *   <li>the quiet period, from when every member serves again: the workload goes on; liveness is
 *       judged on it;
 *   <li>the workload stops; every key is read, every member is killed (SIGKILL) and started again,
 *       and every key is read again (durability);
 *   <li>the nodes stop, the history is written and checked, and the folder gets its verdict.
 * </ol>
 *
 * Everything started is stopped in {@code finally}, whatever fails. Not thread-safe; one call of {@link #run}.
 */
public final class ChaosRun {
  /** The run could not start or go on for a reason outside the cluster under test (exit 2). */
  public static final class EnvironmentException extends Exception {
    public EnvironmentException(String message) {
      super(message);
    }
  }

  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(40);
  /** How long members restarted by the final heal may take to serve (JVM start and log recovery). */
  private static final Duration MEMBER_START_TIMEOUT = Duration.ofSeconds(60);
  /** How long the members may take to agree on a leader at the end (an election may be under way). */
  private static final Duration END_LEADER_TIMEOUT = Duration.ofSeconds(10);
  private static final int EVENTS_MAX = 4_000_000;
  private static final int FINAL_PROCESS_BASE = 1_000_000;
  /** How long the final reads may retry a key (an election right after the restart makes them fail). */
  private static final Duration FINAL_READ_PATIENCE = Duration.ofSeconds(30);

  private final Scenario scenario;
  private final RunOptions options;
  private final RunFolder folder;
  private final Findings findings = new Findings();
  /** Where the nodes run, once the backend is open. */
  private String backendDescription;

  public ChaosRun(Scenario scenario, RunOptions options) {
    this.scenario = scenario;
    this.options = options;
    this.folder = new RunFolder(options.runDir());
  }

  /** Runs the scenario; returns its summary (the verdict included). */
  public RunSummary run() throws Exception {
    folder.prepare(options.scenarioText());
    List<Timeline.Planned> plan = Timeline.plan(scenario);
    boolean clocks = plan.stream().anyMatch(p -> p.fault() instanceof FaultSpec.Clock);
    say("scenario " + scenario.name() + " (seed " + scenario.seed() + "): " + scenario.cluster().nodes() + " nodes"
        + (scenario.cluster().spares() > 0 ? " + " + scenario.cluster().spares() + " spares" : "") + ", "
        + scenario.workload().clients() + " clients, " + scenario.duration().toSeconds() + "s of faults, "
        + plan.size() + " planned" + (options.canary() == null ? "" : ", canary " + options.canary()));
    Files.writeString(folder.file("plan.txt"), Timeline.describe(plan));
    List<String> javaOptions = new ArrayList<>(options.javaOptions());
    javaOptions.addAll(scenario.cluster().javaOptions());
    long startMs = System.currentTimeMillis();
    try (Backends.Opened opened = Backends.open(scenario.backend(), scenario.cluster().machines(),
            folder.file("nodes"), javaOptions, clocks, options.toxiproxyUrl());
        FaultLog faultLog = new FaultLog(folder.file("faults.jsonl"))) {
      NodeBackend backend = opened.backend();
      ProxyService proxies = opened.proxies();
      backendDescription = backend.describe();
      say("nodes on " + backendDescription + "; fault proxies: " + proxies.describe());
      ToxiproxyClient client = proxies.client();
      String runId = scenario.name() + "-" + Long.toString(startMs, 36);
      StringJoiner peers = new StringJoiner(",");
      for (int id = 1; id <= scenario.cluster().nodes(); id++) {
        peers.add(backend.memberSpec(id));
      }
      try (ProxyNet net = new ProxyNet(client, runId, backend.endpoints(), scenario.cluster().machines())) {
        folder.writeJson("proxies.json", net.describe());
        ChaosCluster cluster = new ChaosCluster(scenario.cluster(), backend, net, runId, peers.toString());
        return drive(cluster, plan, faultLog, startMs);
      } catch (ChaosCluster.NodeStartException e) {
        throw new EnvironmentException(e.getMessage());
      } finally {
        backend.collectLogs(folder.file("nodes"));
      }
    }
  }

  private RunSummary drive(ChaosCluster cluster, List<Timeline.Planned> plan, FaultLog faultLog, long startMs)
      throws Exception {
    if (clocksFaked(cluster)) {
      for (int id = 1; id <= scenario.cluster().machines(); id++) {
        FakeTime.write(cluster.backend().clockFile(id), FakeTime.Setting.TRUE);
      }
    }
    cluster.startMembers();
    Optional<Integer> leader = cluster.awaitLeader(LEADER_TIMEOUT);
    if (leader.isEmpty()) {
      checkStartErrors(cluster);
      return folder.finish(summary(startMs, null, null, Judge.verdict(null, Verdict.Check.skipped(),
          Verdict.Check.skipped(), findings, "no leader within " + LEADER_TIMEOUT.toSeconds() + "s of the start")),
          null, faultLog);
    }
    say("leader n" + leader.get() + "; workload and faults start");
    HistoryRecorder history = new HistoryRecorder(EVENTS_MAX);
    Workload workload = new Workload(scenario.workload(), history, cluster::members, cluster.net()::clientUrl,
        scenario.seed());
    Nemesis nemesis = new Nemesis(cluster, plan, faultLog, findings, this::say);
    Progress progress = new Progress(options.out(), history, nemesis, cluster);
    workload.start();
    progress.start();
    long timelineStart = System.nanoTime();
    long healNanos;
    Verdict.Check liveness;
    Verdict.Check durability = Verdict.Check.skipped();
    try {
      Thread nemesisThread = Thread.ofPlatform().name("nemesis").start(() -> {
        try {
          nemesis.run(timelineStart);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      nemesisThread.join(scenario.duration().toMillis() + 120_000);
      if (nemesisThread.isAlive()) {
        nemesisThread.interrupt();
        nemesisThread.join(30_000);
      }
      say("final heal");
      progress.phase("heal");
      nemesis.healAll();
      cluster.net().healAll();
      for (int id : cluster.members()) {
        if (cluster.backend().running(id)) {
          cluster.backend().resume(id);
        } else {
          cluster.start(id);
        }
      }
      // The quiet period starts once every member serves again: a JVM's start is not the cluster's
      // liveness, but a member that never comes back is a failure of it.
      String notBack = awaitMembersServing(cluster);
      healNanos = history.nowNanos();
      say(notBack == null ? "every member serves; quiet period" : notBack);
      progress.phase("quiet");
      Thread.sleep(scenario.heal().quiet().toMillis());
      nemesis.watchNodes();
      String end = notBack != null ? notBack : endState(cluster);
      liveness = scenario.checks().liveness()
          ? Judge.liveness(history.events(), healNanos, scenario.heal().grace(), end)
          : Verdict.Check.skipped();
    } finally {
      progress.stop();
      workload.stop();
    }
    say("workload stopped: " + counts(history));
    if (scenario.checks().durability()) {
      durability = restartAndReread(cluster, history);
    }
    for (int id : cluster.members()) {
      cluster.backend().stop(id, Duration.ofSeconds(5));
    }
    history.writeEdn(folder.file("history.edn"));
    CheckResult lin = null;
    if (scenario.checks().linearizable()) {
      say("checking " + history.events().size() + " events");
      lin = Judge.linearizability(folder.file("history.edn"), folder.file("timeline.html"),
          scenario.name() + " (seed " + scenario.seed() + ")", options.checkBudget());
    }
    Verdict verdict = Judge.verdict(lin, liveness, durability, findings, null);
    return folder.finish(summary(startMs, history, faultLog, verdict), lin, faultLog);
  }

  private static boolean clocksFaked(ChaosCluster cluster) {
    return cluster.backend().clockFile(1) != null;
  }

  /** A node that exited before a leader was elected: an environment problem (a port taken) or a crash. */
  private void checkStartErrors(ChaosCluster cluster) throws EnvironmentException {
    for (int id : cluster.members()) {
      var code = cluster.backend().exitCode(id);
      if (code.isPresent() && code.getAsInt() == 4) {
        throw new EnvironmentException("n" + id + " could not listen (a port was taken meanwhile): see "
            + folder.file("nodes").resolve("n" + id + ".log"));
      }
      if (code.isPresent()) {
        findings.add("node-exit", "n" + id + " exited with code " + code.getAsInt() + " before a leader was elected");
      }
    }
  }

  /** Waits until every member answers {@code /cluster}; null when all do, otherwise who did not, and for how long. */
  private static String awaitMembersServing(ChaosCluster cluster) throws InterruptedException {
    List<String> silent = new ArrayList<>();
    long deadline = System.nanoTime() + MEMBER_START_TIMEOUT.toNanos();
    for (int id : cluster.members()) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      if (!cluster.awaitServing(id, left)) {
        silent.add("n" + id + (cluster.backend().running(id) ? " (running)"
            : " (exited with " + cluster.backend().exitCode(id) + ")"));
      }
    }
    return silent.isEmpty() ? null : "members " + silent + " did not serve within "
        + MEMBER_START_TIMEOUT.toSeconds() + "s of the heal";
  }

  /** Null when every member answers and a leader is agreed; otherwise what is wrong. */
  private static String endState(ChaosCluster cluster) throws InterruptedException {
    List<Integer> silent = new ArrayList<>();
    for (int id : cluster.members()) {
      if (cluster.status(id).isEmpty()) {
        silent.add(id);
      }
    }
    if (!silent.isEmpty()) {
      return "members " + silent + " did not answer at the end of the quiet period";
    }
    return cluster.awaitLeader(END_LEADER_TIMEOUT).isPresent() ? null
        : "the members did not agree on a leader within " + END_LEADER_TIMEOUT.toSeconds() + "s of the end of the"
            + " quiet period";
  }

  private Verdict.Check restartAndReread(ChaosCluster cluster, HistoryRecorder history) throws Exception {
    Map<String, KvOps.Outcome> before = new LinkedHashMap<>();
    Map<String, KvOps.Outcome> after = new LinkedHashMap<>();
    Optional<Integer> leader = cluster.awaitLeader(Duration.ofSeconds(10));
    String problem = null;
    if (leader.isEmpty()) {
      problem = "no leader to read from before the restart";
    } else {
      Workload.readAll(scenario.workload(), history, FINAL_PROCESS_BASE, leaderFirst(cluster, leader.get()),
          cluster.net()::clientUrl, FINAL_READ_PATIENCE, before);
      say("kill -9 every node, start them again");
      for (int id : cluster.members()) {
        cluster.backend().kill(id);
      }
      cluster.startMembers();
      Optional<Integer> again = cluster.awaitLeader(LEADER_TIMEOUT);
      if (again.isEmpty()) {
        problem = "no leader within " + LEADER_TIMEOUT.toSeconds() + "s of restarting every node";
      } else {
        Workload.readAll(scenario.workload(), history, FINAL_PROCESS_BASE + 100_000, leaderFirst(cluster, again.get()),
            cluster.net()::clientUrl, FINAL_READ_PATIENCE, after);
      }
    }
    long acknowledged = history.events().stream()
        .filter(e -> e.type() == HistoryRecorder.Type.OK && !e.f().equals("read")).count();
    return Judge.durability(before, after, acknowledged, problem);
  }

  /** The members, the leader first: where the final reads go, in turn, until each key is read. */
  private static List<Integer> leaderFirst(ChaosCluster cluster, int leader) {
    List<Integer> order = new ArrayList<>(List.of(leader));
    cluster.members().stream().filter(id -> id != leader).forEach(order::add);
    return order;
  }

  private RunSummary summary(long startMs, HistoryRecorder history, FaultLog faultLog, Verdict verdict) {
    long[] ops = history == null ? new long[3] : history.counts();
    Map<String, Integer> byKind = new LinkedHashMap<>();
    int faults = 0;
    if (faultLog != null) {
      for (FaultLog.Entry e : faultLog.entries()) {
        if (e.ok()) {
          byKind.merge(e.kind(), 1, Integer::sum);
          faults++;
        }
      }
    }
    return new RunSummary(scenario.name(), scenario.seed(), options.canary(), startMs,
        history == null ? startMs : history.startMillis(), System.currentTimeMillis(), scenario.cluster().nodes(),
        backendDescription, ops[0], ops[1], ops[2], faults, byKind, verdict, options.rerunCommand(),
        folder.dir().toString());
  }

  private static String counts(HistoryRecorder h) {
    long[] c = h.counts();
    return "ok " + c[0] + ", fail " + c[1] + ", info " + c[2];
  }

  private void say(String line) {
    options.out().println(line);
  }
}
