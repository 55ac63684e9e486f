package io.raftbed.node;

import io.raftbed.kv.Command;
import io.raftbed.kv.Request;

/**
 * A client's request as the node receives it.
 *
 * @param clientId session id for exactly-once writes, or 0 for none
 * @param seq sequence number within the session (ignored without one)
 * @param readMode how a {@code Get} is served; ignored for writes
 */
public record ClientRequest(long clientId, long seq, Command command, ReadMode readMode) {
  public ClientRequest {
    if (command == null || readMode == null) {
      throw new IllegalArgumentException("command and read mode are required");
    }
  }

  public Request toRequest() {
    return new Request(clientId, clientId == 0 ? 0 : seq, command);
  }
}
