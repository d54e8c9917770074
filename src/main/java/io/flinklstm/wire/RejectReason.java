package io.flinklstm.wire;

/** Why an input was sent to the dead-letter topic; the {@link #code()} is what the record says. */
public enum RejectReason {
  /** Not parseable JSON, or not a JSON object. */
  MALFORMED_JSON("malformed_json"),
  /** A required field is absent. */
  MISSING_FIELD("missing_field"),
  /** A field has the wrong JSON type, or a value is out of its range. */
  BAD_FIELD("bad_field"),
  /** A value is NaN or infinite. */
  NON_FINITE("non_finite"),
  /** The record exceeds the configured size limits. */
  TOO_LARGE("too_large"),
  /** The Kafka record key differs from the event's key, which would break per-key order. */
  KEY_MISMATCH("key_mismatch"),
  /** The number of values differs from the model's input size. */
  WRONG_DIMENSION("wrong_dimension"),
  /** Older than the key's last processed event, under the dead-letter lateness policy. */
  LATE("late"),
  /** Stamped further ahead of the job's clock than the configured skew allows. */
  FUTURE("future"),
  /**
   * A symbol event for a numeric model, or a values event for a categorical one: the event's kind
   * does not fit its model's.
   */
  WRONG_KIND("wrong_kind"),
  /** Names a model the job does not serve. */
  UNKNOWN_MODEL("unknown_model"),
  /** Held for a model that has not arrived, beyond the configured buffer bound. */
  NO_MODEL_BUFFER_FULL("no_model_buffer_full"),
  /**
   * A score for the event would hold a number that is not finite: its values overflow the model's
   * units, or the model's prediction overflows a float. The key's state does not take the event.
   */
  NON_FINITE_SCORE("non_finite_score"),
  /** A model update that failed validation (format, digest, signature, shapes, values). */
  BAD_MODEL("bad_model"),
  /** A model update whose version is not newer than the one in use. */
  STALE_MODEL("stale_model");

  private final String code;

  RejectReason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
