package io.raftbed.sim;

import io.raftbed.kv.Bytes;
import io.raftbed.kv.Command;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Chooses each client's next operation: reads (a configured share), and otherwise writes of unique
 * values, compare-and-sets against a value the client last saw, and deletes (3:2:1), over a small
 * key set so that operations contend.
 *
 * <p>Values are longs rendered as decimal text; every written value is unique in the run
 * ({@code (client + 1) * 1e9 + n}), so a read names the write it saw.
 */
final class Workload {
  /** One operation as the history records it and the node receives it. */
  record Op(String f, String key, Object value, Command command, boolean stale) {}

  private final SimConfig config;

  Workload(SimConfig config) {
    this.config = config;
  }

  Op next(int client, long counter, Map<String, Long> lastSeen, SplittableRandom random) {
    String key = "k" + random.nextInt(config.keys());
    // The first readOnlyClients clients only read: never stuck behind a write, they keep reading
    // from the node they follow, which is how stale reads from a deposed leader get seen.
    if (client < config.effectiveReadOnlyClients() || random.nextInt(100) < config.readPercent()) {
      boolean stale = config.staleReadPercent() > 0 && random.nextInt(100) < config.staleReadPercent();
      return new Op("read", key, null, new Command.Get(key), stale);
    }
    long fresh = (client + 1L) * 1_000_000_000L + counter;
    int roll = random.nextInt(6);
    if (roll < 3) {
      return new Op("write", key, fresh, new Command.Put(key, bytes(fresh)), false);
    }
    if (roll < 5) {
      // Mostly compare against what this client saw last, sometimes against nothing (absent).
      Long expected = random.nextInt(4) == 0 ? null : lastSeen.get(key);
      return new Op("cas", key, Arrays.asList(expected, fresh),
          new Command.Cas(key, expected == null ? null : bytes(expected), bytes(fresh)), false);
    }
    return new Op("delete", key, null, new Command.Delete(key), false);
  }

  static byte[] bytes(long v) {
    return Bytes.utf8(Long.toString(v));
  }

  /** Parses a value read back; values that are not ours stay visible as text. */
  static Object parse(byte[] value) {
    if (value == null) {
      return null;
    }
    String s = Bytes.string(value);
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return s;
    }
  }
}
