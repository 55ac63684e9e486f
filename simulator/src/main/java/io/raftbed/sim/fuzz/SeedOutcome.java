package io.raftbed.sim.fuzz;

import io.raftbed.sim.SimResult;
import io.raftbed.sim.fault.FaultType;
import io.raftbed.sim.fault.FaultTypes;
import java.util.List;
import java.util.Locale;

/**
 * One seed's line in a campaign's results file ({@code results-shard-K-of-N.jsonl}): what ran, what
 * the swarm turned on, and what came out. Lines from many shards merge by concatenation; within a
 * file they are in completion order. Immutable.
 *
 * @param seed the run's root seed
 * @param shard the shard that ran it, {@code K/N}
 * @param outcome {@code clean} or {@code violation}
 * @param violation the broken property, or null when clean
 * @param faultTypes the fault types on (labels, declaration order)
 * @param swarm the seed's intensities
 * @param scheduleEvents the number of fault events in its schedule
 * @param linearizability the checker's verdict on the history, or {@code not-checked} when the run
 *     stopped on an earlier violation
 * @param counts what happened in the run
 * @param digest the run's trace digest (hex)
 * @param wallMs wall-clock milliseconds the run took, checks included
 * @param cluster the cluster and workload the seed drew, or null when it ran the campaign's base (for
 *     reports: which options the failing seeds had on, against all seeds)
 * @param finishedAtMs when the seed finished, epoch milliseconds (wall clock, from the caller: for
 *     seeds per minute and time to first failure; not part of the run)
 */
public record SeedOutcome(long seed, String shard, String outcome, ViolationLine violation, List<String> faultTypes,
    Swarm swarm, int scheduleEvents, String linearizability, SimResult.Counts counts, String digest, long wallMs,
    ClusterProfile cluster, long finishedAtMs) {
  /** Violation messages are cut to this length in the results file; the failure folder has them whole. */
  public static final int MESSAGE_CHARS_MAX = 400;

  /** The kind, where and a shortened message of a violation. */
  public record ViolationLine(String kind, String message, long atMillis) {}

  /** A seed's swarm intensities. */
  public record Swarm(long faultIntervalMillis, int messageLevelPercent, int durationPercent) {}

  public static SeedOutcome of(Trial trial, SimResult r, Shard shard, long wallMs, long finishedAtMs) {
    ViolationLine v = r.clean() ? null : new ViolationLine(r.violation().kind(),
        shorten(r.violation().message(), MESSAGE_CHARS_MAX), r.violation().atMicros() / 1000);
    List<String> types = FaultTypes.ordered(trial.config().faultTypes()).stream().map(FaultType::label).toList();
    SwarmProfile p = trial.profile();
    Swarm swarm = p == null ? null : new Swarm(p.faultIntervalMillis(), p.messageLevelPercent(), p.durationPercent());
    String verdict = r.check() == null ? "not-checked" : r.check().verdict().name().toLowerCase(Locale.ROOT);
    return new SeedOutcome(r.seed(), shard.toString(), r.clean() ? "clean" : "violation", v, types, swarm,
        trial.schedule().size(), verdict, r.counts(), r.digestHex(), wallMs, p == null ? null : p.cluster(),
        finishedAtMs);
  }

  public boolean clean() {
    return violation == null;
  }

  /** {@code s} cut to {@code max} characters, saying how much was cut. */
  public static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "... (" + (s.length() - max) + " more characters)";
  }
}
