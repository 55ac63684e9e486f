package io.raftbed.kv;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replicated key-value state machine: put, get, delete and compare-and-set, with client
 * sessions so that a retried request is applied once and answered with its first result
 * (dissertation §6.3).
 *
 * <p>Deterministic: every replica that applies the same commands in the same order reaches the same
 * state, including which sessions it keeps. Not thread-safe; the node's thread owns it.
 */
public final class KvStateMachine {
  /** The last request applied for a client session and its result. */
  private record Session(long seq, Result result) {}

  /** Keys have stable String hashes, so iteration order is deterministic. */
  private final Map<String, byte[]> data = new HashMap<>();
  /** Sessions in least-recently-used order; the eldest is evicted beyond {@code sessionsMax}. */
  private final LinkedHashMap<Long, Session> sessions = new LinkedHashMap<>();
  private final int sessionsMax;
  private long appliedIndex;
  private long dataBytes;

  public KvStateMachine(int sessionsMax) {
    if (sessionsMax < 1) {
      throw new IllegalArgumentException("sessionsMax must be positive");
    }
    this.sessionsMax = sessionsMax;
  }

  /** Applies the request committed at {@code index}; indexes must increase. */
  public Result apply(long index, Request request) {
    if (index <= appliedIndex) {
      throw new IllegalStateException("apply " + index + " after " + appliedIndex);
    }
    appliedIndex = index;
    if (!request.hasSession()) {
      return execute(request.command());
    }
    Session s = sessions.get(request.clientId());
    if (s != null && request.seq() <= s.seq()) {
      // A duplicate: the first result stands. An older one was superseded by the client.
      return request.seq() == s.seq() ? s.result() : Result.STALE_REQUEST;
    }
    Result r = execute(request.command());
    sessions.remove(request.clientId());
    sessions.put(request.clientId(), new Session(request.seq(), r));
    if (sessions.size() > sessionsMax) {
      Long eldest = sessions.keySet().iterator().next();
      sessions.remove(eldest);
    }
    return r;
  }

  /** Records that a non-command entry (a no-op or configuration) was applied at {@code index}. */
  public void skip(long index) {
    if (index <= appliedIndex) {
      throw new IllegalStateException("skip " + index + " after " + appliedIndex);
    }
    appliedIndex = index;
  }

  /** Reads a key from local state: linearizable only when the caller made sure it is up to date. */
  public Result read(String key) {
    return Result.value(data.get(key));
  }

  private Result execute(Command c) {
    return switch (c) {
      case Command.Get g -> Result.value(data.get(g.key()));
      case Command.Put p -> {
        store(p.key(), p.value());
        yield Result.OK;
      }
      case Command.Delete d -> {
        byte[] old = data.remove(d.key());
        if (old != null) {
          dataBytes -= old.length + d.key().length();
        }
        yield old == null ? Result.NOT_FOUND : Result.OK;
      }
      case Command.Cas cas -> {
        byte[] current = data.get(cas.key());
        if (!Arrays.equals(current, cas.expected())) {
          yield Result.casMismatch(current);
        }
        if (cas.value() == null) {
          data.remove(cas.key());
          if (current != null) {
            dataBytes -= current.length + cas.key().length();
          }
        } else {
          store(cas.key(), cas.value());
        }
        yield Result.OK;
      }
    };
  }

  private void store(String key, byte[] value) {
    byte[] old = data.put(key, value);
    dataBytes += value.length - (old == null ? -key.length() : old.length);
  }

  public long appliedIndex() {
    return appliedIndex;
  }

  public int size() {
    return data.size();
  }

  /** Approximate bytes of keys (UTF-16 length) and values held. */
  public long dataBytes() {
    return dataBytes;
  }

  public int sessionCount() {
    return sessions.size();
  }

  public boolean containsKey(String key) {
    return data.containsKey(key);
  }
}
