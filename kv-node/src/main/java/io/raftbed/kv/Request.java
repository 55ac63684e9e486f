package io.raftbed.kv;

/**
 * A client's command with its session identity (dissertation §6.3): a client numbers its requests
 * 1, 2, 3, ... and has at most one outstanding, so a retry carries the same {@code seq} and the state
 * machine can apply it once and answer the retry with the first result.
 *
 * <p>A request with {@code clientId} 0 has no session: it is applied every time it commits.
 *
 * @param clientId the client's session id, or 0 for none
 * @param seq the request's sequence number within the session, positive when in a session
 */
public record Request(long clientId, long seq, Command command) {
  public Request {
    if (clientId != 0 && seq <= 0) {
      throw new IllegalArgumentException("request in session " + clientId + " needs seq > 0, got " + seq);
    }
    if (command == null) {
      throw new IllegalArgumentException("request without command");
    }
  }

  public boolean hasSession() {
    return clientId != 0;
  }
}
