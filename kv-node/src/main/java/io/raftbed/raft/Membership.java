package io.raftbed.raft;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A cluster configuration: the voters, whose majority decides elections and commits, and the
 * learners, who receive the log but do not vote. Each member has an address that is opaque to the
 * core (the transport resolves it). A node id is a voter or a learner, never both.
 *
 * <p>Membership changes one server at a time (dissertation §4.1): any two configurations that differ
 * by one voter have overlapping majorities, so no joint consensus is needed, provided a leader
 * appends at most one uncommitted configuration and first commits an entry of its own term
 * (Ongaro's 2015 correction to the single-server algorithm).
 */
public record Membership(SortedMap<Integer, String> voters, SortedMap<Integer, String> learners) {

  public Membership {
    voters = Collections.unmodifiableSortedMap(new TreeMap<>(voters));
    learners = Collections.unmodifiableSortedMap(new TreeMap<>(learners));
    for (int id : voters.keySet()) {
      if (id <= 0 || learners.containsKey(id)) {
        throw new IllegalArgumentException("node " + id + " is not a valid voter (or is also a learner)");
      }
    }
    if (learners.keySet().stream().anyMatch(id -> id <= 0)) {
      throw new IllegalArgumentException("learner ids must be positive: " + learners.keySet());
    }
  }

  /** Voters with empty addresses, for a cluster whose transport knows its peers by id. */
  public static Membership ofVoters(Iterable<Integer> ids) {
    TreeMap<Integer, String> v = new TreeMap<>();
    ids.forEach(id -> v.put(id, ""));
    return new Membership(v, new TreeMap<>());
  }

  public boolean isVoter(int id) {
    return voters.containsKey(id);
  }

  public boolean isMember(int id) {
    return voters.containsKey(id) || learners.containsKey(id);
  }

  public int quorum() {
    return voters.size() / 2 + 1;
  }

  public String addressOf(int id) {
    String a = voters.get(id);
    return a != null ? a : learners.get(id);
  }

  public Membership withLearner(int id, String address) {
    TreeMap<Integer, String> v = new TreeMap<>(voters);
    TreeMap<Integer, String> l = new TreeMap<>(learners);
    v.remove(id);
    l.put(id, address);
    return new Membership(v, l);
  }

  public Membership withVoter(int id, String address) {
    TreeMap<Integer, String> v = new TreeMap<>(voters);
    TreeMap<Integer, String> l = new TreeMap<>(learners);
    l.remove(id);
    v.put(id, address);
    return new Membership(v, l);
  }

  public Membership without(int id) {
    TreeMap<Integer, String> v = new TreeMap<>(voters);
    TreeMap<Integer, String> l = new TreeMap<>(learners);
    v.remove(id);
    l.remove(id);
    return new Membership(v, l);
  }

  /** How many voters the two configurations do not share (single-server changes differ by at most one). */
  public int voterDifference(Membership other) {
    int diff = 0;
    for (int id : voters.keySet()) {
      diff += other.voters.containsKey(id) ? 0 : 1;
    }
    for (int id : other.voters.keySet()) {
      diff += voters.containsKey(id) ? 0 : 1;
    }
    return diff;
  }

  /** Layout: {@code version:u8 voters:i32 (id:i32 addrLen:u16 addr)* learners:i32 (id addr)*}. */
  public byte[] encode() {
    int size = 1 + 8;
    for (String a : voters.values()) {
      size += 6 + a.getBytes(StandardCharsets.UTF_8).length;
    }
    for (String a : learners.values()) {
      size += 6 + a.getBytes(StandardCharsets.UTF_8).length;
    }
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put((byte) 1);
    putMembers(b, voters);
    putMembers(b, learners);
    return b.array();
  }

  public static Membership decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    try {
      int version = b.get() & 0xff;
      if (version != 1) {
        throw new IllegalArgumentException("unsupported membership version " + version);
      }
      TreeMap<Integer, String> v = getMembers(b);
      TreeMap<Integer, String> l = getMembers(b);
      if (b.hasRemaining()) {
        throw new IllegalArgumentException(b.remaining() + " trailing bytes after membership");
      }
      return new Membership(v, l);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("membership truncated at byte " + b.position(), e);
    }
  }

  private static void putMembers(ByteBuffer b, Map<Integer, String> members) {
    b.putInt(members.size());
    members.forEach((id, address) -> {
      byte[] a = address.getBytes(StandardCharsets.UTF_8);
      b.putInt(id).putShort((short) a.length).put(a);
    });
  }

  private static TreeMap<Integer, String> getMembers(ByteBuffer b) {
    int count = b.getInt();
    if (count < 0 || count > 10_000) {
      throw new IllegalArgumentException("implausible member count " + count);
    }
    TreeMap<Integer, String> out = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      int id = b.getInt();
      byte[] a = new byte[b.getShort() & 0xffff];
      b.get(a);
      out.put(id, new String(a, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public String toString() {
    return "voters=" + voters.keySet() + (learners.isEmpty() ? "" : " learners=" + learners.keySet());
  }
}
