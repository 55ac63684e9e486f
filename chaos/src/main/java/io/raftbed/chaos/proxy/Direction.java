package io.raftbed.chaos.proxy;

import java.util.Locale;

/**
 * The side of a proxied connection a toxic acts on. Toxiproxy README, "Toxic fields": {@code upstream}
 * is the client-to-server direction, {@code downstream} the server-to-client one (the default).
 */
enum Direction {
  /** Client to server. */
  UPSTREAM("upstream"),
  /** Server to client. */
  DOWNSTREAM("downstream");

  /** The name in the API's JSON. */
  final String jsonName;

  Direction(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The direction named {@code text} (any case, as Toxiproxy's {@code stream.ParseDirection}), or null. */
  static Direction parse(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (Direction d : values()) {
      if (d.jsonName.equals(lower)) {
        return d;
      }
    }
    return null;
  }
}
