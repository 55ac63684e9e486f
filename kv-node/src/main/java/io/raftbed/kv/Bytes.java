package io.raftbed.kv;

import java.nio.charset.StandardCharsets;

/** Small helpers for byte-array values. */
public final class Bytes {
  private Bytes() {}

  public static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  public static String string(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  /** A short printable form: the UTF-8 text if printable, else a hex prefix. */
  public static String show(byte[] b) {
    if (b == null) {
      return "nil";
    }
    String s = new String(b, StandardCharsets.UTF_8);
    if (s.length() <= 64 && s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      return '"' + s + '"';
    }
    StringBuilder hex = new StringBuilder("0x");
    for (int i = 0; i < Math.min(b.length, 16); i++) {
      hex.append(Character.forDigit((b[i] >> 4) & 0xf, 16)).append(Character.forDigit(b[i] & 0xf, 16));
    }
    return hex.append(b.length > 16 ? "...(" + b.length + "B)" : "").toString();
  }
}
