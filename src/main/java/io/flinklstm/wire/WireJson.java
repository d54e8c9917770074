package io.flinklstm.wire;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON for the records the job writes: scores on the scores topic and dead letters on the
 * dead-letter topic. Field names are the classes' field names ({@link ScoreRecord}, {@link
 * DeadLetter}); readers ignore fields they do not know, so consumers survive additions.
 */
public final class WireJson {
  // Scores are mostly numbers: Jackson's shortest-representation writer (Schubfach) instead of
  // the JDK 17 Float.toString and Double.toString, which are several times slower (and not always
  // shortest). ScoreJson writes the same text without a string per number.
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                  .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                  .build())
          .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
          .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.PUBLIC_ONLY)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL)
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final ObjectWriter SCORE_WRITER = MAPPER.writerFor(ScoreRecord.class);
  private static final ObjectReader SCORE_READER = MAPPER.readerFor(ScoreRecord.class);
  private static final ObjectWriter DEAD_LETTER_WRITER = MAPPER.writerFor(DeadLetter.class);
  private static final ObjectReader DEAD_LETTER_READER = MAPPER.readerFor(DeadLetter.class);

  private WireJson() {}

  /** A score's JSON; a sink writing many scores uses a {@link ScoreEncoder} of its own. */
  public static byte[] encode(ScoreRecord score) {
    return new ScoreEncoder().encode(score);
  }

  /** The score as Jackson's data binding writes it: the same bytes as {@link #encode}. */
  static byte[] encodeWithJackson(ScoreRecord score) {
    return write(SCORE_WRITER, score);
  }

  public static ScoreRecord decodeScore(byte[] json) throws IOException {
    return SCORE_READER.readValue(json);
  }

  public static byte[] encode(DeadLetter deadLetter) {
    return write(DEAD_LETTER_WRITER, deadLetter);
  }

  public static DeadLetter decodeDeadLetter(byte[] json) throws IOException {
    return DEAD_LETTER_READER.readValue(json);
  }

  private static byte[] write(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
