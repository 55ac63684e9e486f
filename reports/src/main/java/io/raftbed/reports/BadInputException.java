package io.raftbed.reports;

/**
 * An input file or folder that cannot be read as what it claims to be; the message names the file
 * (and the line, where there is one) and what was expected. {@code raftbed report} prints it and
 * exits 2 without writing a report.
 */
public final class BadInputException extends Exception {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
