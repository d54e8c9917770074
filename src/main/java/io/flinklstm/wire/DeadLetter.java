package io.flinklstm.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A rejected input with everything needed to find and replay it: the reason, a message, where it
 * was read (topic, partition, offset) and its original bytes, as UTF-8 text when they are valid
 * UTF-8 and base64 otherwise. A Flink POJO.
 */
public final class DeadLetter {
  /**
   * The header of an event sent back from the dead-letter topic, naming the dead letter
   * (topic/partition/offset): readers that saw the original event, as the sidecar did, skip it.
   */
  public static final String REDRIVEN_FROM_HEADER = "flink-lstm-redriven-from";

  public static final String TEXT = "text";
  public static final String BASE64 = "base64";

  public String reason;
  public String message;
  public String sourceTopic;
  public int sourcePartition;
  public long sourceOffset;

  /** The entity key, when it was known. */
  public String key;

  public String payload;
  public String payloadEncoding;
  public long time;

  public DeadLetter() {}

  /** A dead letter for the given original bytes (which may be null). */
  public static DeadLetter of(
      RejectReason reason,
      String message,
      String topic,
      int partition,
      long offset,
      String key,
      byte[] original,
      long time) {
    DeadLetter d = new DeadLetter();
    d.reason = reason.code();
    d.message = message;
    d.sourceTopic = topic;
    d.sourcePartition = partition;
    d.sourceOffset = offset;
    d.key = key;
    d.time = time;
    d.setPayload(original);
    return d;
  }

  /** The original bytes, decoded from {@link #payload}. */
  public byte[] originalBytes() {
    if (payload == null) {
      return null;
    }
    return BASE64.equals(payloadEncoding)
        ? Base64.getDecoder().decode(payload)
        : payload.getBytes(StandardCharsets.UTF_8);
  }

  private void setPayload(byte[] original) {
    if (original == null) {
      payload = null;
      payloadEncoding = TEXT;
      return;
    }
    try {
      payload =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(original))
              .toString();
      payloadEncoding = TEXT;
    } catch (CharacterCodingException e) {
      payload = Base64.getEncoder().encodeToString(original);
      payloadEncoding = BASE64;
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeadLetter)) {
      return false;
    }
    DeadLetter d = (DeadLetter) o;
    return sourcePartition == d.sourcePartition
        && sourceOffset == d.sourceOffset
        && time == d.time
        && Objects.equals(reason, d.reason)
        && Objects.equals(message, d.message)
        && Objects.equals(sourceTopic, d.sourceTopic)
        && Objects.equals(key, d.key)
        && Objects.equals(payload, d.payload)
        && Objects.equals(payloadEncoding, d.payloadEncoding);
  }

  @Override
  public int hashCode() {
    return Objects.hash(reason, sourceTopic, sourcePartition, sourceOffset);
  }

  @Override
  public String toString() {
    return "DeadLetter{"
        + reason
        + ": "
        + message
        + " @"
        + sourceTopic
        + "/"
        + sourcePartition
        + ":"
        + sourceOffset
        + "}";
  }
}
