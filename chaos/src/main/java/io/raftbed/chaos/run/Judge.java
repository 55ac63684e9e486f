package io.raftbed.chaos.run;

import io.raftbed.chaos.nemesis.Findings;
import io.raftbed.chaos.workload.HistoryRecorder;
import io.raftbed.chaos.workload.KvOps;
import io.raftbed.linearizability.CheckOptions;
import io.raftbed.linearizability.CheckResult;
import io.raftbed.linearizability.Checker;
import io.raftbed.linearizability.Histories;
import io.raftbed.linearizability.History;
import io.raftbed.linearizability.Models;
import io.raftbed.linearizability.TimelineHtml;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns what a run recorded into its {@link Verdict}: the checker on the history as written to
 * {@code history.edn} (read back, so that {@code raftbed check} on the file gives the same answer),
 * liveness after the heal, durability across the final whole-cluster restart, and the findings.
 */
final class Judge {
  private Judge() {}

  /** Checks {@code historyFile} with a cas register per key (initially nil) and writes {@code timeline.html}. */
  static CheckResult linearizability(Path historyFile, Path timelineFile, String title, Duration budget)
      throws IOException {
    History history = Histories.readEdn(historyFile);
    CheckResult r = Checker.check(history, Models.casRegisterPerKey(null), CheckOptions.defaults()
        .withTimeLimit(budget).withShrinkTimeLimit(Duration.ofSeconds(10)));
    TimelineHtml.write(history, r, title, timelineFile);
    return r;
  }

  /**
   * Live after the heal: some write or cas invoked at least {@code grace} after the heal was
   * acknowledged, and at the end every member answered and they agreed on a leader.
   */
  static Verdict.Check liveness(List<HistoryRecorder.Event> events, long healNanos, Duration grace,
      String endState) {
    long from = healNanos + grace.toNanos();
    Map<Long, HistoryRecorder.Event> invokes = new java.util.HashMap<>();
    long acknowledged = 0;
    long invoked = 0;
    for (HistoryRecorder.Event e : events) {
      boolean write = !e.f().equals("read");
      if (e.type() == HistoryRecorder.Type.INVOKE && write && e.timeNanos() >= from) {
        invokes.put((long) e.process(), e);
        invoked++;
      } else if (e.type() == HistoryRecorder.Type.OK && write && invokes.containsKey((long) e.process())) {
        acknowledged++;
      }
      if (e.type() != HistoryRecorder.Type.INVOKE) {
        invokes.remove((long) e.process());
      }
    }
    boolean ok = acknowledged > 0 && endState == null;
    String detail = acknowledged + " of " + invoked + " writes invoked from " + grace.toMillis() + " ms after the heal"
        + " were acknowledged" + (endState == null ? "; every member answered and agreed on a leader at the end"
        : "; but " + endState);
    return new Verdict.Check(true, ok, detail);
  }

  /** Every key reads after the whole-cluster restart as it read before it. */
  static Verdict.Check durability(Map<String, KvOps.Outcome> before, Map<String, KvOps.Outcome> after,
      long acknowledgedWrites, String restartProblem) {
    if (restartProblem != null) {
      return new Verdict.Check(true, false, restartProblem);
    }
    List<String> lost = new ArrayList<>();
    List<String> unread = new ArrayList<>();
    for (var e : before.entrySet()) {
      KvOps.Outcome a = after.get(e.getKey());
      KvOps.Outcome b = e.getValue();
      if (b.type() != HistoryRecorder.Type.OK || a == null || a.type() != HistoryRecorder.Type.OK) {
        unread.add(e.getKey());
      } else if (!Objects.equals(a.value(), b.value())) {
        lost.add(e.getKey() + " read " + b.value() + " before the restart and " + a.value() + " after");
      }
    }
    boolean ok = lost.isEmpty() && unread.isEmpty();
    String detail = acknowledgedWrites + " writes acknowledged; " + before.size() + " keys read before and after"
        + " kill -9 of every node" + (lost.isEmpty() ? "" : "; changed: " + String.join("; ", lost))
        + (unread.isEmpty() ? "" : "; could not read " + unread + " on both sides");
    return new Verdict.Check(true, ok, detail);
  }

  static Verdict verdict(CheckResult lin, Verdict.Check liveness, Verdict.Check durability, Findings findings,
      String undecided) {
    List<String> violations = new ArrayList<>();
    String linWord = lin == null ? "SKIPPED" : lin.verdict().name();
    String linDetail = lin == null ? "not asked for" : lin.summary()
        + lin.counterexample().map(c -> "; " + c).orElse("");
    if (lin != null && lin.verdict() == io.raftbed.linearizability.Verdict.NOT_LINEARIZABLE) {
      violations.add("linearizability: " + linDetail);
    }
    if (lin != null && lin.verdict() == io.raftbed.linearizability.Verdict.UNKNOWN && undecided == null) {
      undecided = "the checker could not decide: " + lin.reason();
    }
    if (liveness.ran() && !liveness.ok()) {
      violations.add("liveness: " + liveness.detail());
    }
    if (durability.ran() && !durability.ok()) {
      violations.add("durability: " + durability.detail());
    }
    for (Findings.Finding f : findings.all()) {
      violations.add(f.kind() + ": " + f.detail());
    }
    return new Verdict(linWord, linDetail, liveness, durability, violations, undecided);
  }
}
