package io.raftbed.sim;

import io.raftbed.raft.Message;

/** Stable 64-bit fingerprints of simulator values for the trace digest (never identity hashes). */
final class Digests {
  private Digests() {}

  static long of(Message m) {
    long h = switch (m) {
      case Message.RequestVote rv -> combine(1, rv.lastLogIndex(), rv.lastLogTerm(), rv.preVote() ? 1 : 0);
      case Message.VoteResponse vr -> combine(2, vr.granted() ? 1 : 0, vr.preVote() ? 1 : 0, 0);
      case Message.AppendEntries ae -> combine(3, ae.prevLogIndex(), ae.entries().size(), ae.leaderCommit());
      case Message.AppendResponse ar -> combine(4, ar.success() ? 1 : 0, ar.index(), ar.rejectHint());
      case Message.Heartbeat hb -> combine(5, hb.commit(), hb.readRound(), 0);
      case Message.HeartbeatResponse hr -> combine(6, hr.readRound(), hr.lastIndex(), 0);
      case Message.InstallSnapshot is -> combine(7, is.index(), is.offset(), is.chunk().length);
      case Message.SnapshotResponse sr -> combine(8, sr.index(), sr.nextOffset(), sr.done() ? 1 : 0);
      case Message.TimeoutNow tn -> combine(9, 0, 0, 0);
    };
    return combine(h, m.from(), m.to(), m.term());
  }

  static long combine(long a, long b, long c, long d) {
    long h = Rng.mix(a * 0x9E3779B97F4A7C15L + b);
    h = Rng.mix(h + c);
    return Rng.mix(h + d);
  }
}
