package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.EventCodec;
import io.flinklstm.wire.RejectReason;
import io.flinklstm.wire.ScoreEncoder;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.Verdict;
import io.flinklstm.wire.WireJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON Schemas in {@code docs/schemas} describe what the job really reads and writes: events as
 * the codec writes them, scores of every kind (naive, scored, passed through, symbols) as the sink
 * writes them, and dead letters of the parser and of the operator, text and base64. Each schema
 * also refuses what breaks it, so it is not a schema that takes anything.
 */
class WireSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SchemaRegistry SCHEMAS =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final long BEGINNING = 1_767_225_600_000L;

  @Test
  void eventsAsTheCodecWritesThem() throws Exception {
    Schema schema = schema("event");
    EventCodec codec = new EventCodec();
    assertValid(
        schema, codec.encode(new Event("pump-7", BEGINNING, new float[] {0.93f, 17.2f}, null)));
    assertValid(schema, codec.encode(new Event("pump-7", BEGINNING, new float[] {1}, "sensor")));
    assertValid(schema, codec.encode(Event.ofSymbol("host-1", BEGINNING, "open", "logs")));

    assertInvalid(schema, "{\"key\":\"k\",\"ts\":1}");
    assertInvalid(schema, "{\"key\":\"k\",\"ts\":1,\"values\":[1],\"symbol\":\"s\"}");
    assertInvalid(schema, "{\"key\":\"k\",\"ts\":\"yesterday\",\"values\":[1]}");
  }

  @Test
  void scoresOfEveryKindAsTheSinkWritesThem() throws Exception {
    Schema schema = schema("score");
    List<ScoreRecord> scores = new ArrayList<>();
    // Naive before the first model, then scored by it, warming up and after.
    try (ScoringHarness h =
        new ScoringHarness(
            ScoringConfig.builder("default").coldStart(ColdStartPolicy.NAIVE, 10).build())) {
      for (int i = 0; i < 5; i++) {
        h.event("k", BEGINNING + i * 60_000L, i, -i);
      }
      h.model(ModelFile.write(TestModels.model("default", 1, 2, 8, 1)));
      for (int i = 5; i < 260; i++) {
        h.event("k", BEGINNING + i * 60_000L, (float) Math.sin(i), i % 7);
      }
      h.event("k", BEGINNING + 300 * 60_000L, 1e6f, -1e6f);
      scores.addAll(h.scores());
    }
    // Passed through, with no model.
    try (ScoringHarness h =
        new ScoringHarness(
            ScoringConfig.builder("default").coldStart(ColdStartPolicy.PASS_THROUGH, 10).build())) {
      h.event("k", BEGINNING, 1, 2);
      scores.addAll(h.scores());
    }
    // Symbols, known and unknown.
    try (ScoringHarness h = new ScoringHarness(ScoringConfig.builder("logs").build())) {
      h.model(
          ModelFile.write(
              TestModels.categorical("logs", 1, List.of("open", "read", "close"), 8, 1)));
      String[] symbols = {"open", "read", "close", "delete"};
      for (int i = 0; i < 8; i++) {
        h.event(Event.ofSymbol("host", BEGINNING + i * 1000L, symbols[i % 4], null));
      }
      scores.addAll(h.scores());
    }
    assertThat(scores)
        .extracting(s -> s.status)
        .contains(ScoreRecord.NAIVE, ScoreRecord.SCORED, ScoreRecord.NO_MODEL);
    assertThat(scores)
        .anySatisfy(
            s -> {
              assertThat(s.anomaly).isTrue();
              assertThat(s.flaggedBy).contains("range");
            });
    assertThat(scores).allSatisfy(s -> assertThat(s.flaggedBy == null).isEqualTo(!s.anomaly));
    assertThat(scores).anySatisfy(s -> assertThat(s.verdict).isEqualTo(ScoreRecord.UNKNOWN));
    ScoreEncoder encoder = new ScoreEncoder();
    for (ScoreRecord s : scores) {
      assertValid(schema, encoder.encode(s));
    }

    assertInvalid(schema, "{\"key\":\"k\",\"ts\":1}");
    String scored =
        new String(encoder.encode(scores.get(scores.size() - 1)), StandardCharsets.UTF_8);
    assertInvalid(schema, scored.replace("\"status\":\"scored\"", "\"status\":\"maybe\""));
    assertInvalid(schema, scored.replaceFirst("\"rank\":[0-9]+,", ""));
    String flagged =
        new String(
            encoder.encode(scores.stream().filter(s -> s.anomaly).findFirst().orElseThrow()),
            StandardCharsets.UTF_8);
    assertInvalid(schema, flagged.replaceFirst(",\"flaggedBy\":\\[[^]]*]", ""));
    assertInvalid(schema, flagged.replaceFirst("\"flaggedBy\":\\[", "\"flaggedBy\":[\"hunch\","));
  }

  @Test
  void deadLettersOfTheParserAndTheOperator() throws Exception {
    Schema schema = schema("dead-letter");
    List<DeadLetter> letters = new ArrayList<>();
    letters.add(
        DeadLetter.of(
            RejectReason.MALFORMED_JSON,
            "not JSON",
            "events",
            3,
            41,
            null,
            "{not json".getBytes(StandardCharsets.UTF_8),
            BEGINNING));
    try (ScoringHarness h = new ScoringHarness(ScoringConfig.builder("default").build())) {
      h.model(ModelFile.write(TestModels.model("default", 1, 2, 8, 1)));
      h.event("k", BEGINNING, 1, 2, 3);
      h.model(new byte[] {0, (byte) 0xff, 17});
      letters.addAll(h.deadLetters());
    }
    assertThat(letters)
        .extracting(d -> d.reason)
        .containsExactly("malformed_json", "wrong_dimension", "bad_model");
    assertThat(letters).extracting(d -> d.payloadEncoding).contains("text", "base64");
    for (DeadLetter d : letters) {
      assertValid(schema, WireJson.encode(d));
    }

    String text = new String(WireJson.encode(letters.get(0)), StandardCharsets.UTF_8);
    assertInvalid(schema, text.replace("malformed_json", "bad_mood"));
    assertInvalid(
        schema, text.replace("\"payloadEncoding\":\"text\"", "\"payloadEncoding\":\"hex\""));
  }

  @Test
  void verdictsAsTheFeedbackCommandWritesThem() throws Exception {
    Schema schema = schema("verdict");
    assertValid(
        schema,
        new Verdict("pump-7", BEGINNING, Verdict.Kind.FALSE_POSITIVE, null, "maintenance")
            .encode());
    assertValid(schema, new Verdict("pump-7", 0, Verdict.Kind.CONFIRMED, "sensor", null).encode());

    assertInvalid(schema, "{\"key\":\"k\",\"ts\":1}");
    assertInvalid(schema, "{\"key\":\"k\",\"ts\":-1,\"verdict\":\"confirmed\"}");
    assertInvalid(schema, "{\"key\":\"k\",\"ts\":1,\"verdict\":\"maybe\"}");
  }

  private static Schema schema(String name) throws Exception {
    return SCHEMAS.getSchema(Files.readString(Path.of("docs", "schemas", name + ".schema.json")));
  }

  private static void assertValid(Schema schema, byte[] json) throws Exception {
    JsonNode node = JSON.readTree(json);
    List<Error> errors = schema.validate(node);
    assertThat(errors).as(new String(json, StandardCharsets.UTF_8)).isEmpty();
  }

  private static void assertInvalid(Schema schema, String json) throws Exception {
    assertThat(schema.validate(JSON.readTree(json))).as(json).isNotEmpty();
  }
}
