package io.raftbed.chaos.proxy;

/**
 * An error the control API answers with Toxiproxy's body {@code {"error": message, "status": N}}
 * ({@code ApiError} in Toxiproxy's {@code api.go}). The messages are Toxiproxy's own.
 */
final class ApiException extends Exception {
  private static final long serialVersionUID = 1L;

  /** The HTTP status. */
  final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ApiException badBody(String detail) {
    return new ApiException(400, "bad request body: " + detail);
  }

  static ApiException missingField(String field) {
    return new ApiException(400, "missing required field: " + field);
  }

  static ApiException proxyNotFound() {
    return new ApiException(404, "proxy not found");
  }

  static ApiException proxyExists() {
    return new ApiException(409, "proxy already exists");
  }

  static ApiException invalidStream() {
    return new ApiException(400, "stream was invalid, can be either upstream or downstream");
  }

  static ApiException invalidToxicType() {
    return new ApiException(400, "invalid toxic type");
  }

  static ApiException toxicExists() {
    return new ApiException(409, "toxic already exists");
  }

  static ApiException toxicNotFound() {
    return new ApiException(404, "toxic not found");
  }
}
