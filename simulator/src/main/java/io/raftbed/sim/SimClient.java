package io.raftbed.sim;

import io.raftbed.kv.Result;
import io.raftbed.node.ClientReply;
import io.raftbed.node.ClientRequest;
import io.raftbed.node.ReadMode;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A simulated client (a Jepsen process): one operation at a time, sent over the simulated network
 * to a node, retried on definite refusals and silence, and recorded in the history.
 *
 * <p>Retries reuse the operation's session sequence number, so a write that did apply is not
 * applied twice (§6.3) and its retry returns the first result. An operation the client gives up
 * is {@code :info} when some attempt may have applied it, {@code :fail} when none can have; after
 * an {@code :info} the client continues as a new Jepsen process, as Jepsen's do.
 */
final class SimClient {
  private final Simulation sim;
  private final int index;
  private final SimConfig config;
  private final SplittableRandom random;
  private final Workload workload;
  /** The session id; constant across Jepsen process numbers. */
  private final long clientId;
  private long process;
  private long seq;
  private int targetNode;
  private final Map<String, Long> lastSeen = new TreeMap<>();

  private Workload.Op op;
  private long opDeadlineMicros;
  private int attempt;
  private boolean maybeApplied;

  long invoked;

  SimClient(Simulation sim, int index, SimConfig config, SplittableRandom random) {
    this.sim = sim;
    this.index = index;
    this.config = config;
    this.random = random;
    this.workload = new Workload(config);
    this.clientId = index + 1;
    this.process = index;
    this.targetNode = 1 + random.nextInt(config.machines());
  }

  int endpoint() {
    return 1000 + index;
  }

  void start() {
    scheduleNext(random.nextLong(1_000, 20_000));
  }

  private void scheduleNext(long delayMicros) {
    sim.schedule(sim.nowMicros() + delayMicros, EventKind.CLIENT_TIMER, endpoint(), 0, this::invokeNext);
  }

  private void invokeNext() {
    if (sim.nowMicros() >= sim.clientStopMicros()) {
      return;
    }
    seq++;
    op = workload.next(index, seq, lastSeen, random);
    if (random.nextInt(4) == 0) {
      // Like a client behind a load balancer, sometimes start at any node, not the known leader:
      // an old leader that still believes it leads then gets requests too.
      targetNode = 1 + random.nextInt(config.machines());
    }
    attempt = 0;
    maybeApplied = false;
    opDeadlineMicros = sim.nowMicros() + config.opTimeoutMillis() * 1000;
    invoked++;
    if (!op.stale()) {
      sim.history().invoke(process, op.f(), op.key(), op.value());
    }
    if (op.command().isWrite()) {
      sim.noteWriteInvoked();
      if (!op.f().equals("delete")) {
        sim.noteValueWritten(op.key(), op.f().equals("cas") ? ((List<?>) op.value()).get(1) : op.value());
      }
    }
    sendAttempt();
  }

  private void sendAttempt() {
    int thisAttempt = ++attempt;
    long thisSeq = seq;
    int node = targetNode;
    ClientRequest request = new ClientRequest(clientId, seq, op.command(),
        op.stale() ? ReadMode.STALE : ReadMode.LINEARIZABLE);
    sim.network().sendClient(EventKind.DELIVER_TO_NODE, node, Digests.combine(clientId, seq, thisAttempt, node),
        () -> sim.node(node).submit(request, reply -> sim.network().sendClient(EventKind.DELIVER_TO_CLIENT,
            endpoint(), Digests.combine(clientId, seq, thisAttempt, reply.getClass().getSimpleName().length()),
            () -> onReply(thisSeq, thisAttempt, reply))));
    sim.schedule(sim.nowMicros() + config.attemptTimeoutMillis() * 1000, EventKind.CLIENT_TIMER, endpoint(), 1,
        () -> onAttemptTimeout(thisSeq, thisAttempt));
  }

  private void onReply(long replySeq, int replyAttempt, ClientReply reply) {
    if (op == null || replySeq != seq) {
      return; // an answer to an operation already completed
    }
    if (reply instanceof ClientReply.Done done) {
      complete(done.result()); // a late answer from an earlier attempt is still the truth
      return;
    }
    if (replyAttempt != attempt) {
      return;
    }
    switch (reply) {
      case ClientReply.Done d -> throw new IllegalStateException("handled above");
      case ClientReply.NotLeader nl -> {
        targetNode = nl.leaderId() != 0 ? nl.leaderId() : otherNode();
        retry(nl.leaderId() != 0 ? 0 : 20_000);
      }
      case ClientReply.Unavailable u -> {
        targetNode = random.nextInt(3) == 0 ? otherNode() : targetNode;
        retry(50_000);
      }
      case ClientReply.Unknown u -> {
        maybeApplied = true;
        retry(50_000);
      }
      case ClientReply.Rejected r -> finish(false);
    }
  }

  private void onAttemptTimeout(long timeoutSeq, int timeoutAttempt) {
    if (op == null || timeoutSeq != seq || timeoutAttempt != attempt) {
      return;
    }
    maybeApplied = true; // the request may have reached a leader and be in its log
    targetNode = otherNode();
    retry(0);
  }

  private void retry(long backoffMicros) {
    if (sim.nowMicros() + backoffMicros >= opDeadlineMicros) {
      finish(maybeApplied && op.command().isWrite());
      return;
    }
    int expectedAttempt = attempt;
    long expectedSeq = seq;
    sim.schedule(sim.nowMicros() + backoffMicros, EventKind.CLIENT_TIMER, endpoint(), 2, () -> {
      if (op != null && seq == expectedSeq && attempt == expectedAttempt) {
        sendAttempt();
      }
    });
  }

  private void complete(Result result) {
    Workload.Op done = op;
    if (done.command().isWrite()) {
      sim.invariants().writeAcknowledged(clientId, seq);
      sim.noteWriteAcknowledged(); // a write, delete or cas (matched or not) went through the log
    }
    switch (done.f()) {
      case "read" -> {
        Object value = Workload.parse(result.value());
        if (value instanceof Long l) {
          lastSeen.put(done.key(), l);
        }
        if (done.stale()) {
          sim.checkStaleRead(done.key(), value);
          endOp();
        } else {
          sim.history().ok(process, value);
          sim.noteReadAcknowledged();
          endOp();
        }
      }
      case "cas" -> {
        if (result.status() == Result.Status.OK) {
          lastSeen.put(done.key(), (Long) ((List<?>) done.value()).get(1));
          sim.history().ok(process);
        } else {
          // A mismatch did happen: it observed another value (recorded with CAS_FAIL_HAPPENED semantics).
          sim.history().fail(process);
        }
        endOp();
      }
      case "write" -> {
        lastSeen.put(done.key(), (Long) done.value());
        sim.history().ok(process);
        endOp();
      }
      default -> {
        lastSeen.remove(done.key());
        sim.history().ok(process);
        endOp();
      }
    }
  }

  /**
   * Gives up: {@code :info} when the operation may have happened, {@code :fail} when it cannot have.
   * A compare-and-set that did not happen is recorded {@code :info} too, since the history reads a
   * failed cas as one that happened and found another value.
   */
  private void finish(boolean mayHaveHappened) {
    boolean indeterminate = mayHaveHappened || op.f().equals("cas");
    if (!op.stale()) {
      if (indeterminate) {
        sim.history().info(process);
        process += config.clients(); // Jepsen: a process with an indeterminate op is replaced
      } else {
        sim.history().fail(process);
      }
    }
    endOp();
  }

  private void endOp() {
    op = null;
    scheduleNext(random.nextLong(0, 10_000));
  }

  private int otherNode() {
    if (config.machines() == 1) {
      return 1;
    }
    int n = 1 + random.nextInt(config.machines() - 1);
    return n >= targetNode ? n + 1 : n;
  }
}
