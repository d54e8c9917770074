package io.flinklstm.wire;

/** An input that cannot be accepted, with the reason that goes into its dead letter. */
public final class InvalidInputException extends Exception {
  private static final long serialVersionUID = 1L;

  private final RejectReason reason;

  public InvalidInputException(RejectReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public RejectReason reason() {
    return reason;
  }
}
