package io.raftbed.runtime.peer;

/**
 * A frame from a peer could not be decoded: bad checksum, unknown version or kind, truncated, or a
 * value out of range. The connection it came on is closed; nothing else is affected.
 */
public final class MalformedFrameException extends RuntimeException {
  public MalformedFrameException(String message) {
    super(message);
  }

  public MalformedFrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
