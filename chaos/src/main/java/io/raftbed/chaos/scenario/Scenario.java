package io.raftbed.chaos.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A chaos scenario script, parsed and validated ({@link ScenarioParser}): the cluster, the workload,
 * the fault timeline, the final heal and the checks. Immutable; every field is checked on parse, so
 * a run never starts on a script it would have to give up on halfway.
 *
 * @param name short name, used for the run's folder ({@code [a-z0-9-]+})
 * @param description one or two sentences on what the scenario puts the cluster through
 * @param cluster the nodes and their settings
 * @param workload the clients
 * @param duration how long faults are injected (the timeline's length), before the heal
 * @param seed root seed of every random choice the harness makes (fault times, targets, workload);
 *     the cluster itself is real and not deterministic
 * @param faults the timeline, in the order written
 * @param heal what happens after {@code duration}
 * @param checks what decides the verdict
 * @param backend where nodes run: {@code processes} (this machine) or {@code containers}
 */
public record Scenario(String name, String description, ClusterSpec cluster, WorkloadSpec workload,
    Duration duration, long seed, List<FaultRule> faults, HealSpec heal, ChecksSpec checks, String backend) {

  public Scenario {
    faults = List.copyOf(faults);
  }

  /**
   * @param nodes founding voters, 1..9
   * @param spares extra nodes (ids after the founders) that membership faults add and remove
   * @param settings node settings as {@code bin/raftbed node} flags without the dashes
   *     ({@code election-ticks-min: 15}); {@code true} is a bare flag, {@code false} its {@code --no-} form
   * @param javaOptions JVM options of every node
   */
  public record ClusterSpec(int nodes, int spares, Map<String, String> settings, List<String> javaOptions) {
    public ClusterSpec {
      settings = Map.copyOf(settings);
      javaOptions = List.copyOf(javaOptions);
    }

    /** Founders and spares. */
    public int machines() {
      return nodes + spares;
    }
  }

  /**
   * Concurrent clients over HTTP, each a Jepsen process with one operation in flight.
   *
   * @param clients how many
   * @param keys registers {@code k1..kN}
   * @param ratePerSecond operations per second over all clients; 0 as fast as they can
   * @param readShare fraction of reads; write and cas shares follow; the three sum to 1
   * @param writeShare fraction of writes (each of a value no other write uses)
   * @param casShare fraction of compare-and-sets
   * @param timeout how long a client waits for an answer before it records {@code :info}
   * @param staleReads read with {@code ?consistency=stale} (an unsafe choice: a canary)
   */
  public record WorkloadSpec(int clients, int keys, double ratePerSecond, double readShare, double writeShare,
      double casShare, Duration timeout, boolean staleReads) {}

  /**
   * @param quiet how long the workload keeps running after every fault was healed
   * @param grace how long after the heal the cluster may take to elect a leader before liveness counts
   */
  public record HealSpec(Duration quiet, Duration grace) {}

  /**
   * @param linearizable the whole history, final reads included, must be linearizable
   * @param liveness after the heal and its grace, writes must be acknowledged and every node must answer
   * @param durability after the quiet period every node is killed (SIGKILL) and restarted; every key must
   *     then read as it did before, and those reads must be linearizable with the rest
   */
  public record ChecksSpec(boolean linearizable, boolean liveness, boolean durability) {}

  /** The same scenario with another seed. */
  public Scenario withSeed(long newSeed) {
    return new Scenario(name, description, cluster, workload, duration, newSeed, faults, heal, checks, backend);
  }

  /** The same scenario with other node settings (a canary turns something unsafe on). */
  public Scenario withCluster(ClusterSpec next) {
    return new Scenario(name, description, next, workload, duration, seed, faults, heal, checks, backend);
  }

  public Scenario withWorkload(WorkloadSpec next) {
    return new Scenario(name, description, cluster, next, duration, seed, faults, heal, checks, backend);
  }

  public Scenario withBackend(String next) {
    return new Scenario(name, description, cluster, workload, duration, seed, faults, heal, checks, next);
  }

  /**
   * The same scenario with every duration of its timeline and heal multiplied by {@code factor}
   * (a quicker or a longer run of the same plan); the clients' timeout is unchanged.
   */
  public Scenario scaled(double factor) {
    List<FaultRule> rules = faults.stream().map(r -> r.scaled(factor)).toList();
    HealSpec h = new HealSpec(Durations.scale(heal.quiet(), factor), Durations.scale(heal.grace(), factor));
    return new Scenario(name, description, cluster, workload, Durations.scale(duration, factor), seed, rules, h,
        checks, backend);
  }
}
