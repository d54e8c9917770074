package io.flinklstm.wire;

import java.io.Serializable;

/**
 * Writes scores as JSON, the bytes of {@link WireJson#encode(ScoreRecord)}, reusing its buffer: for
 * a sink's serialization schema, of which each subtask has its own copy. Not thread-safe.
 */
public final class ScoreEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private transient ScoreJson json;

  public byte[] encode(ScoreRecord score) {
    if (json == null) {
      json = new ScoreJson();
    }
    byte[] bytes = json.encode(score);
    return bytes != null ? bytes : WireJson.encodeWithJackson(score);
  }
}
