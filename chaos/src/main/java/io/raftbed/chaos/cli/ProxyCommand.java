package io.raftbed.chaos.cli;

import io.raftbed.chaos.proxy.FaultProxyServer;
import io.raftbed.chaos.proxy.OverheadBench;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code raftbed proxy}: the embedded fault proxy as a server of its own, in the foreground until
 * SIGTERM or Ctrl-C. A container image runs this same command as a stand-in for a Toxiproxy server
 * (Testcontainers' {@code ToxiproxyContainer} waits for {@code GET /version} on port 8474).
 */
@Command(name = "proxy", mixinStandardHelpOptions = true, sortOptions = false,
    subcommands = {ProxyCommand.Bench.class},
    description = {"Runs a fault proxy that speaks the Toxiproxy v2 HTTP API, until SIGTERM or Ctrl-C.",
        "Drive it with any Toxiproxy client or curl: POST /proxies {\"name\",\"listen\",\"upstream\"},",
        "POST /proxies/NAME/toxics {\"type\":\"latency\",\"attributes\":{\"latency\":100}}, POST /reset, ...",
        "Toxics: latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data.",
        "Exit codes: 2 when the address cannot be bound or the options are wrong."})
final class ProxyCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8474", description = "API port (Toxiproxy's is 8474; 0 picks one)."
      + " Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "API address; 0.0.0.0 for every"
      + " interface (in a container). Default: ${DEFAULT-VALUE}.")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    FaultProxyServer server;
    try {
      server = FaultProxyServer.start(host, port);
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("raftbed proxy: " + e.getMessage());
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "proxy-shutdown"));
    System.out.println("raftbed proxy: Toxiproxy API on " + server.url() + " (listening on " + host + ":"
        + server.port() + "); SIGTERM or Ctrl-C stops it");
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** {@code raftbed proxy bench}: the proxy's own overhead, direct versus proxied, on loopback. */
  @Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Measures what the embedded proxy adds on loopback: round trips of a small message",
          "(latency percentiles) and a bulk transfer (MB/s), each directly to an echo server and through a",
          "proxy with no toxics, alternating in rounds so both see the same machine load."})
  static final class Bench implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "3", description = "Alternating direct/proxied rounds."
        + " Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--round-trips", defaultValue = "20000", description = "Round trips per round and"
        + " path. Default: ${DEFAULT-VALUE}.")
    int roundTrips;

    @Option(names = "--message-bytes", defaultValue = "128", description = "Size of each round-trip"
        + " message. Default: ${DEFAULT-VALUE}.")
    int messageBytes;

    @Option(names = "--bulk-megabytes", defaultValue = "256", description = "Bulk transfer per round and"
        + " path. Default: ${DEFAULT-VALUE}.")
    int bulkMegabytes;

    @Override
    public Integer call() throws Exception {
      if (rounds < 1 || roundTrips < 1 || messageBytes < 1 || bulkMegabytes < 1) {
        System.err.println("raftbed proxy bench: every count must be at least 1");
        return 2;
      }
      new OverheadBench(rounds, roundTrips, messageBytes, bulkMegabytes).run(System.out);
      return 0;
    }
  }
}
