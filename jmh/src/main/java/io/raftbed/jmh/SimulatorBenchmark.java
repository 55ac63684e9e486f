package io.raftbed.jmh;

import io.raftbed.sim.SimConfig;
import io.raftbed.sim.SimResult;
import io.raftbed.sim.Simulation;
import io.raftbed.sim.fault.FaultSchedule;
import io.raftbed.sim.fault.FaultTypes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The simulator on the standard workload (5 nodes, 10 clients, links of 1-10 ms, heartbeat 50 ms),
 * one thread. Each invocation simulates {@code virtualSeconds} of a different seed; the auxiliary
 * counters report events per wall second ({@code events}) and virtual seconds per wall second
 * ({@code virtualSeconds}, the virtual:wall ratio).
 *
 * <p>{@code faults=none} measures the world and the node alone; {@code faults=standard} adds the
 * default nemesis (partitions, crashes, message faults). {@code endChecks} adds the end-of-run
 * linearizability check of the history.
 *
 * <p>Run: {@code java -jar jmh/target/benchmarks.jar SimulatorBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Thread)
public class SimulatorBenchmark {
  @Param({"none", "standard"})
  public String faults;

  @Param({"false", "true"})
  public boolean endChecks;

  @Param("10")
  public int virtualSeconds;

  private SimConfig config;
  private long seed;

  /** Per-second rates that JMH reports beside the score. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Rates {
    public long events;
    public long virtualSeconds;

    @Setup(Level.Iteration)
    public void reset() {
      events = 0;
      virtualSeconds = 0;
    }
  }

  @Setup
  public void setUp() {
    config = SimConfig.standard().withVirtualMillis(virtualSeconds * 1000L)
        .withFaultTypes(faults.equals("none") ? FaultTypes.parse("none") : SimConfig.standard().faultTypes());
  }

  @Benchmark
  public SimResult simulate(Rates rates) {
    long s = ++seed;
    FaultSchedule schedule = Simulation.scheduleFor(s, config);
    SimResult r = Simulation.run(s, config, schedule, endChecks);
    rates.events += r.counts().events();
    rates.virtualSeconds += r.counts().virtualMillis() / 1000;
    return r;
  }
}
