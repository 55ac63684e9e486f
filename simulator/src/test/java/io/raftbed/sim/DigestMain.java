package io.raftbed.sim;

/** Prints the digest of one run; {@link DeterminismTest} runs it in a second JVM. */
public final class DigestMain {
  private DigestMain() {}

  public static void main(String[] args) {
    long seed = Long.parseLong(args[0]);
    long virtualMillis = Long.parseLong(args[1]);
    SimResult r = Simulation.run(seed, SimConfig.standard().withVirtualMillis(virtualMillis));
    System.out.println(r.digestHex());
  }
}
