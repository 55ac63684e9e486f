package io.raftbed.reports;

/** Small text helpers for report cells. Stateless. */
public final class Text {
  private Text() {}

  /** {@code s} cut to {@code max} characters with an ellipsis. */
  public static String shorten(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
