package io.raftbed.chaos.nemesis;

import io.raftbed.chaos.backend.FakeTime;
import io.raftbed.chaos.run.ChaosCluster;
import io.raftbed.chaos.scenario.FaultSpec;
import io.raftbed.chaos.scenario.Target;
import io.raftbed.chaos.wiring.Link;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What each kind of fault does to the cluster, and how it is undone. Called by the {@link Nemesis}'s
 * thread only. Targets are resolved here, from the cluster as it is now and the fault's own random
 * stream.
 */
final class FaultActions {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(15);

  private final ChaosCluster cluster;
  private final Nemesis nemesis;
  /** Each node's libfaketime setting now; absent = true time. */
  private final Map<Integer, FakeTime.Setting> clocks = new HashMap<>();

  FaultActions(ChaosCluster cluster, Nemesis nemesis) {
    this.cluster = cluster;
    this.nemesis = nemesis;
  }

  Nemesis.Started start(Timeline.Planned p) throws Exception {
    SplittableRandom random = new SplittableRandom(p.random());
    return switch (p.fault()) {
      case FaultSpec.Kill k -> kill(pick(k.target(), random));
      case FaultSpec.Pause s -> pause(pick(s.target(), random));
      case FaultSpec.Partition s -> partition(s, random);
      case FaultSpec.Toxic t -> toxic(p.seq(), t, random);
      case FaultSpec.Clock c -> clock(pick(c.target(), random), c);
      case FaultSpec.Wal w -> wal(pick(w.target(), random), w.damage());
      case FaultSpec.Membership m -> membership(m, random);
      case FaultSpec.Transfer t -> transfer(t, random);
      case FaultSpec.RestartAll r -> restartAll();
    };
  }

  /** The running member a target names now. */
  private int pick(Target target, SplittableRandom random) throws IOException {
    List<Integer> running = cluster.members().stream().filter(cluster.backend()::running).toList();
    if (running.isEmpty()) {
      throw new IOException("skipped: no member is running");
    }
    return switch (target) {
      case Target.Node n -> {
        if (!running.contains(n.id())) {
          throw new IOException("skipped: n" + n.id() + " is not a running member");
        }
        yield n.id();
      }
      case Target.Leader l -> leader().filter(running::contains).orElseThrow(
          () -> new IOException("skipped: no leader now"));
      case Target.Follower f -> {
        Optional<Integer> leader = leader();
        List<Integer> followers = running.stream().filter(id -> leader.map(l -> l != id).orElse(true)).toList();
        if (followers.isEmpty()) {
          throw new IOException("skipped: no running follower");
        }
        yield followers.get(random.nextInt(followers.size()));
      }
      case Target.Any a -> running.get(random.nextInt(running.size()));
      case Target.All all -> running.get(random.nextInt(running.size()));
    };
  }

  private Optional<Integer> leader() {
    Optional<Integer> agreed = cluster.agreedLeader();
    return agreed.isPresent() ? agreed : cluster.selfProclaimedLeader();
  }

  private Nemesis.Started kill(int id) throws IOException {
    nemesis.markDown(id);
    cluster.backend().kill(id);
    return new Nemesis.Started(null, List.of(id), "kill -9 n" + id, () -> {
      restart(id);
      return "n" + id + " started again";
    });
  }

  private void restart(int id) throws IOException {
    if (cluster.members().contains(id)) {
      cluster.start(id);
    }
    nemesis.markUp(id);
  }

  private Nemesis.Started pause(int id) throws IOException {
    nemesis.markDown(id);
    cluster.backend().pause(id);
    return new Nemesis.Started(null, List.of(id), "SIGSTOP n" + id, () -> {
      if (cluster.backend().running(id)) {
        cluster.backend().resume(id);
      }
      nemesis.markUp(id);
      return "SIGCONT n" + id;
    });
  }

  private Nemesis.Started partition(FaultSpec.Partition spec, SplittableRandom random) throws IOException {
    int target = spec.target() == null ? 0 : pick(spec.target(), random);
    List<Integer> members = cluster.members();
    Partitions.Plan plan = Partitions.plan(members, spec.shape(), target, spec.groups(), random);
    List<Partitions.Cut> done = new ArrayList<>();
    try {
      for (Partitions.Cut c : plan.cuts()) {
        cluster.net().cut(c.from(), c.to(), spec.mode());
        done.add(c);
      }
    } catch (IOException e) {
      for (Partitions.Cut c : done) {
        cluster.net().heal(c.from(), c.to(), spec.mode());
      }
      throw e;
    }
    return new Nemesis.Started(Describe.name(spec.shape()), members, plan.sides() + " (" + plan.cuts().size()
        + " links " + (spec.mode() == FaultSpec.CutMode.DROP ? "dropping" : "refusing") + ")", () -> {
      for (Partitions.Cut c : plan.cuts()) {
        cluster.net().heal(c.from(), c.to(), spec.mode());
      }
      return "healed";
    });
  }

  private Nemesis.Started toxic(int seq, FaultSpec.Toxic t, SplittableRandom random) throws IOException {
    List<Integer> targets = t.target() instanceof Target.All ? cluster.members() : List.of(pick(t.target(), random));
    List<Link> links = new ArrayList<>();
    for (int id : targets) {
      boolean out = t.links() == FaultSpec.Links.PEERS || t.links() == FaultSpec.Links.PEERS_OUT
          || t.links() == FaultSpec.Links.ALL;
      boolean in = t.links() == FaultSpec.Links.PEERS || t.links() == FaultSpec.Links.PEERS_IN
          || t.links() == FaultSpec.Links.ALL;
      boolean clients = t.links() == FaultSpec.Links.CLIENTS || t.links() == FaultSpec.Links.ALL;
      for (Link l : cluster.net().linksOf(id, out, in, clients)) {
        if (!links.contains(l)) {
          links.add(l);
        }
      }
    }
    String name = "f" + seq + "-" + t.type();
    cluster.net().addToxic(links, name, t.type(), t.attributes(), t.toxicity());
    String who = targets.size() == cluster.members().size() && targets.size() > 1 ? "every node"
        : targets.stream().map(i -> "n" + i).toList().toString();
    return new Nemesis.Started(null, targets, t.type() + " " + t.attributes() + " on " + links.size() + " "
        + Describe.name(t.links()) + " links of " + who, () -> {
      cluster.net().removeToxic(links, name);
      return "removed";
    });
  }

  private Nemesis.Started clock(int id, FaultSpec.Clock c) throws IOException {
    if (cluster.backend().clockFile(id) == null) {
      throw new IOException("clocks are not faked in this run (libfaketime was not preloaded)");
    }
    FakeTime.Setting before = setClock(id, c.rate(), c.jumpMillis() / 1000.0);
    String detail = String.format(Locale.ROOT, "n%d's clock at x%.2f%s (libfaketime %+.3fs x%.4f, was %+.3fs x%.4f)",
        id, c.rate(), c.jumpMillis() == 0 ? "" : " after a step of +" + c.jumpMillis() + "ms",
        clocks.get(id).offsetSeconds(), clocks.get(id).rate(), before.offsetSeconds(), before.rate());
    return new Nemesis.Started(null, List.of(id), detail, () -> {
      setClock(id, 1.0, 0);
      return "n" + id + "'s clock at true speed again";
    });
  }

  /** Moves node {@code id}'s clock to {@code rate} after a forward step; returns the setting before. */
  private FakeTime.Setting setClock(int id, double rate, double jumpSeconds) throws IOException {
    FakeTime.Setting current = clocks.getOrDefault(id, FakeTime.Setting.TRUE);
    // The library counts from when the process loaded it; a process not running keeps the file for its next start.
    double elapsed = cluster.backend().startedAt(id)
        .map(t -> Duration.between(t, Instant.now()).toNanos() / 1e9).orElse(0.0);
    FakeTime.Setting next = FakeTime.next(current, elapsed, rate, jumpSeconds);
    FakeTime.write(cluster.backend().clockFile(id), next);
    clocks.put(id, next);
    return current;
  }

  private Nemesis.Started wal(int id, FaultSpec.WalDamage kind) throws Exception {
    nemesis.markDown(id);
    cluster.backend().kill(id);
    WalDamage.Damage damage;
    try {
      damage = WalDamage.apply(cluster.backend().dataDir(id).resolve("wal"), kind);
    } catch (IOException e) {
      restart(id);
      throw e;
    }
    return new Nemesis.Started(Describe.name(kind), List.of(id), "kill -9 n" + id + ", then " + damage.detail(),
        () -> healWal(id, kind, damage));
  }

  private String healWal(int id, FaultSpec.WalDamage kind, WalDamage.Damage damage) throws Exception {
    if (kind != FaultSpec.WalDamage.CORRUPT_MIDDLE) {
      WalDamage.discard(damage);
      restart(id);
      return "n" + id + " started again on the damaged log (a torn tail is cleared)";
    }
    // Corruption of data once durable: the node must refuse to start (exit 3), never serve from it.
    cluster.start(id);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (cluster.backend().running(id) && System.nanoTime() < deadline
        && !cluster.awaitServing(id, Duration.ofMillis(200))) {
      Thread.onSpinWait();
    }
    String outcome;
    if (cluster.backend().running(id)) {
      nemesis.findings().add("wal-corruption-accepted", "n" + id + " started on a log corrupted in its middle ("
          + damage.detail() + ")");
      cluster.backend().kill(id);
      outcome = "n" + id + " STARTED on the corrupted log";
    } else {
      int code = cluster.backend().exitCode(id).orElse(-1);
      if (code != 3) {
        nemesis.findings().add("wal-corruption-exit", "n" + id + " exited with code " + code
            + " on a log corrupted in its middle; its documented code is 3");
      }
      outcome = "n" + id + " refused to start (exit " + code + ")";
    }
    WalDamage.restore(damage);
    restart(id);
    return outcome + "; the log was put back and n" + id + " started again";
  }

  private Nemesis.Started membership(FaultSpec.Membership m, SplittableRandom random) throws Exception {
    if (m.op() == FaultSpec.MembershipOp.ADD) {
      List<Integer> spares = cluster.unusedSpares();
      if (spares.isEmpty()) {
        throw new IOException("skipped: every spare was used");
      }
      int id = spares.get(0);
      String how = cluster.add(id, ADMIN_TIMEOUT.plus(START_TIMEOUT));
      return new Nemesis.Started("add", List.of(id), "added n" + id + " as a voter (" + how + ")", null);
    }
    if (cluster.members().size() <= 3) {
      throw new IOException("skipped: removing a voter would leave fewer than 3");
    }
    int id = pick(m.target(), random);
    nemesis.markDown(id);
    String how = cluster.remove(id, ADMIN_TIMEOUT);
    return new Nemesis.Started("remove", List.of(id), "removed n" + id + " (" + how + ") and stopped it", null);
  }

  private Nemesis.Started transfer(FaultSpec.Transfer t, SplittableRandom random) throws Exception {
    int id = pick(t.target(), random);
    String how = cluster.transfer(id, ADMIN_TIMEOUT);
    return new Nemesis.Started(null, List.of(id), "leadership handed to n" + id + " (" + how + ")", null);
  }

  private Nemesis.Started restartAll() throws IOException {
    List<Integer> members = cluster.members();
    for (int id : members) {
      nemesis.markDown(id);
    }
    for (int id : members) {
      cluster.backend().kill(id);
    }
    return new Nemesis.Started(null, members, "kill -9 every member", () -> {
      for (int id : members) {
        restart(id);
      }
      return "every member started again";
    });
  }
}
