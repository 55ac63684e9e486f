package io.raftbed.runtime.http;

import io.raftbed.node.ClientRequest;
import java.util.List;

/** What an HTTP request asks for, once parsed and checked by {@link ApiRequestParser}. */
public sealed interface ApiRequest {
  /** The operation names used in metrics and logs. */
  enum Op {
    GET("get"),
    STALE_GET("stale_get"),
    PUT("put"),
    DELETE("delete"),
    CAS("cas");

    private final String label;

    Op(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public boolean isWrite() {
      return this == PUT || this == DELETE || this == CAS;
    }
  }

  /** A key-value operation for the node. */
  record KeyOp(Op op, ClientRequest request) implements ApiRequest {}

  /** A membership change or a leadership transfer, for the leader. */
  record Admin(io.raftbed.runtime.AdminRequest request) implements ApiRequest {}

  /** {@code GET /cluster}. */
  record Cluster() implements ApiRequest {}

  /** {@code GET /health}. */
  record Health() implements ApiRequest {}

  /** {@code GET /metrics}. */
  record Metrics() implements ApiRequest {}

  /**
   * The request is wrong; answer with this error.
   *
   * @param allow for 405, the methods the path accepts; otherwise empty
   */
  record Invalid(int status, String code, String message, List<String> allow) implements ApiRequest {
    public Invalid {
      allow = List.copyOf(allow);
    }

    static Invalid badRequest(String message) {
      return new Invalid(400, "bad_request", message, List.of());
    }
  }
}
