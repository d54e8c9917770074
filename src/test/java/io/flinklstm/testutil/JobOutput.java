package io.flinklstm.testutil;

import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.WireJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes what the scoring job wrote to Kafka, and names events and scores alike for comparison.
 */
public final class JobOutput {
  private JobOutput() {}

  public static List<ScoreRecord> scores(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> decodeScore(r.value())).toList();
  }

  public static List<DeadLetter> deadLetters(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> decodeDeadLetter(r.value())).toList();
  }

  /** {@code key@ts}: what identifies an event, and so the one score it should get. */
  public static String id(String key, long ts) {
    return key + "@" + ts;
  }

  public static String id(ScoreRecord score) {
    return id(score.key, score.ts);
  }

  public static String id(Event event) {
    return id(event.key, event.ts);
  }

  /**
   * Each score's JSON exactly as the job wrote it, by {@link #id}: equal maps mean equal scores,
   * bit for bit. Callers check for duplicates first, since a map keeps one of them.
   */
  public static Map<String, String> jsonById(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, String> out = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      out.put(id(decodeScore(r.value())), new String(r.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  /** One key's scores in event-time order. */
  public static List<ScoreRecord> ofKey(List<ScoreRecord> scores, String key) {
    return scores.stream()
        .filter(s -> s.key.equals(key))
        .sorted(Comparator.comparingLong(s -> s.ts))
        .toList();
  }

  private static ScoreRecord decodeScore(byte[] json) {
    try {
      return WireJson.decodeScore(json);
    } catch (IOException e) {
      throw new UncheckedIOException("not a score: " + new String(json, StandardCharsets.UTF_8), e);
    }
  }

  private static DeadLetter decodeDeadLetter(byte[] json) {
    try {
      return WireJson.decodeDeadLetter(json);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "not a dead letter: " + new String(json, StandardCharsets.UTF_8), e);
    }
  }
}
