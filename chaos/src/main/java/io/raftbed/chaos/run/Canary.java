package io.raftbed.chaos.run;

import io.raftbed.chaos.scenario.Scenario;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Unsafe choices a chaos run must catch ({@code --canary NAME}): each turns something on that breaks
 * linearizability under the right faults, so a run that passes with it on shows the harness is
 * blind. Each names the shipped scenario whose faults expose it.
 */
public enum Canary {
  /** Clients read locally from whichever node they ask; a node cut off from the leader serves old values. */
  STALE_READS("clients read with ?consistency=stale from any node, followers included; a partition exposes it"
      + " (scenario partition-isolate-leader)") {
    @Override
    public Scenario apply(Scenario s) {
      Scenario.WorkloadSpec w = s.workload();
      return s.withWorkload(new Scenario.WorkloadSpec(w.clients(), w.keys(), w.ratePerSecond(), w.readShare(),
          w.writeShare(), w.casShare(), w.timeout(), true));
    }
  },
  /**
   * Lease reads (§6.4.1) trusting a 10% clock-drift bound, while the scenario slows one node's clock far
   * beyond it: a deposed leader whose clock crawls believes its lease still holds.
   */
  LEASE_READS_SKEWED_CLOCK("leaders serve reads from their lease with a 10% drift bound while the scenario slows"
      + " the leader's clock far beyond it (scenario clock-skew)") {
    @Override
    public Scenario apply(Scenario s) {
      Map<String, String> settings = new LinkedHashMap<>(s.cluster().settings());
      settings.put("lease-reads", "true");
      settings.put("clock-drift-bound-permille", "100");
      Scenario.ClusterSpec c = s.cluster();
      return s.withCluster(new Scenario.ClusterSpec(c.nodes(), c.spares(), settings, c.javaOptions()));
    }
  };

  private final String description;

  Canary(String description) {
    this.description = description;
  }

  /** The scenario with the unsafe choice turned on. */
  public abstract Scenario apply(Scenario s);

  public String description() {
    return description;
  }

  /** The name on the command line: {@code stale-reads}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Canary::cliName).toList();
  }

  /** The canary of that name, or null. */
  public static Canary byNameOrNull(String name) {
    return Arrays.stream(values()).filter(c -> c.cliName().equals(name)).findFirst().orElse(null);
  }

  public static Canary byName(String name) {
    Canary c = byNameOrNull(name);
    if (c == null) {
      throw new IllegalArgumentException("no canary '" + name + "'; one of " + String.join(", ", names()));
    }
    return c;
  }

  /** Completion candidates for picocli's help text. */
  public static final class Names implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return names().iterator();
    }
  }
}
