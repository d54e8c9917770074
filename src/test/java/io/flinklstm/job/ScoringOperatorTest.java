package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.AnomalyDetector;
import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.KeyScaler;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.kernel.Stepper;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.RejectReason;
import io.flinklstm.wire.ScoreRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scoring operator in Flink's keyed two-input harness: state, policies, models, time. */
class ScoringOperatorTest {
  private static final String MODEL = "default";
  private static final int DIM = 2;
  private static final int HIDDEN = 8;
  private static final long BEGINNING = 1_700_000_000_000L;
  private static final long ONE_MINUTE = 60_000L;
  private static final long ONE_HOUR = 3_600_000L;
  private static final LstmModel V1 = TestModels.model(MODEL, 1, DIM, HIDDEN, 1);
  private static final LstmModel V2 = TestModels.model(MODEL, 2, DIM, HIDDEN, 2);

  /** Events before their model are held (most tests here are about scoring with a model). */
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(MODEL).coldStart(ColdStartPolicy.BUFFER, 1000).build();

  @Test
  void scoresEachEventWithThePredictionMadeBeforeIt() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      List<float[]> inputs = series(30, 0);
      feed(h, "a", inputs, 0);
      List<ScoreRecord> scores = h.scores();
      assertThat(scores).hasSize(30);
      List<float[]> expected = referencePredictions(V1, V1.newState(), inputs);
      for (int t = 0; t < 30; t++) {
        ScoreRecord s = scores.get(t);
        assertThat(s.status).isEqualTo(ScoreRecord.SCORED);
        assertThat(s.modelVersion).isEqualTo(1);
        assertThat(s.ts).isEqualTo(BEGINNING + t * ONE_MINUTE);
        assertThat(s.prediction).containsExactly(expected.get(t));
        assertThat(s.likelihood).isBetween(0.0, 1.0);
        assertThat(s.warmingUp).isTrue();
      }
      KeyState state = h.state("a");
      assertThat(state.seen).isEqualTo(30);
      assertThat(state.stats.seen).isEqualTo(30);
      assertThat(state.lastTs).isEqualTo(BEGINNING + 29 * ONE_MINUTE);
      assertThat(state.modelVersion).isEqualTo(1);
      assertThat(state.ringSize).isEqualTo(CONFIG.rewarmWindow());
    }
  }

  @Test
  void eventsBeforeAnyModelAreHeldAndScoredInOrderOnceItArrives() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      List<float[]> inputs = series(5, 0);
      feed(h, "a", inputs.subList(0, 3), 0);
      assertThat(h.scores()).isEmpty();
      assertThat(h.state("a").pending).hasSize(3);

      h.model(ModelFile.write(V1));
      h.harness.setProcessingTime(ScoringOperator.PENDING_RETRY_MILLIS);
      assertThat(h.scores()).extracting(s -> s.ts).containsExactly(times(0, 3));
      assertThat(h.state("a").pending).isEmpty();

      feed(h, "a", inputs.subList(3, 5), 3);
      List<float[]> expected = referencePredictions(V1, V1.newState(), inputs);
      List<ScoreRecord> scores = h.scores();
      for (int t = 0; t < 5; t++) {
        assertThat(scores.get(t).prediction).containsExactly(expected.get(t));
      }
    }
  }

  /**
   * Under the default cold-start policy each event before any model is scored at once by the naive
   * forecast: its prediction is the key's last value, its error the root mean square of the change
   * in the key's scaled units; the first model then re-warms the key from those values.
   */
  @Test
  void beforeAnyModelTheNaiveForecastScoresEventsAndTheFirstModelRewarmsFromThem()
      throws Exception {
    try (ScoringHarness h = new ScoringHarness(ScoringConfig.defaults(MODEL))) {
      List<float[]> inputs = series(20, 0);
      feed(h, "a", inputs.subList(0, 10), 0);
      List<ScoreRecord> naive = h.scores();
      assertThat(naive).hasSize(10);
      KeyScaler scaler = new KeyScaler();
      float[] previous = new float[DIM];
      float[] now = new float[DIM];
      for (int t = 0; t < 10; t++) {
        ScoreRecord s = naive.get(t);
        assertThat(s.status).isEqualTo(ScoreRecord.NAIVE);
        assertThat(s.modelVersion).isZero();
        float[] last = inputs.get(Math.max(0, t - 1));
        assertThat(s.prediction).containsExactly(last);
        scaler.transform(InputScaling.DEFAULT, last, previous);
        scaler.scale(InputScaling.DEFAULT, inputs.get(t), now);
        assertThat(s.error)
            .as("event %d", t)
            .isEqualTo(AnomalyDetector.predictionError(previous, now, DIM));
      }
      assertThat(h.state("a").model).isNull();

      h.model(ModelFile.write(V1));
      feed(h, "a", inputs.subList(10, 20), 10);
      List<float[]> expected =
          referencePredictions(V1, stateAfter(V1, inputs.subList(0, 10)), inputs.subList(10, 20));
      List<ScoreRecord> scored = h.scores().subList(10, 20);
      for (int t = 0; t < 10; t++) {
        assertThat(scored.get(t).status).isEqualTo(ScoreRecord.SCORED);
        assertThat(scored.get(t).prediction).containsExactly(expected.get(t));
      }
    }
  }

  /**
   * A model that scales per key gets each event standardised by its key's own statistics, learnt
   * from the key's values before it; its prediction is read back in the key's units.
   */
  @Test
  void aModelThatScalesPerKeySeesEachKeyInItsOwnUnits() throws Exception {
    InputScaling spec = InputScaling.perKey(5, 50, 10);
    LstmModel scaled = V1.withScaling(spec);
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(scaled));
      List<float[]> inputs = new ArrayList<>();
      for (float[] x : series(30, 0)) {
        inputs.add(new float[] {1e6f + 1e5f * x[0], 1e-3f * x[1]});
      }
      feed(h, "big", inputs, 0);
      List<ScoreRecord> scores = h.scores();
      Stepper stepper = Stepper.of(scaled);
      LstmState state = scaled.newState();
      KeyScaler scaler = new KeyScaler();
      float[] z = new float[DIM];
      float[] normalised = new float[DIM];
      for (int t = 0; t < 30; t++) {
        float[] predicted = stepper.predict(state);
        float[] raw = new float[DIM];
        scaled.normalizer().denormalize(predicted, raw);
        scaler.unscale(spec, raw, raw);
        assertThat(scores.get(t).prediction).as("event %d", t).containsExactly(raw);
        scaler.scale(spec, inputs.get(t), z);
        scaled.normalizer().normalize(z, normalised);
        assertThat(scores.get(t).error)
            .isEqualTo(AnomalyDetector.predictionError(predicted, normalised, DIM));
        stepper.advance(state, normalised);
      }
      assertThat(h.state("big").scaler.count).isEqualTo(30);
    }
  }

  @Test
  void aKeysNextEventScoresItsHeldEventsFirst() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      List<float[]> inputs = series(3, 0);
      feed(h, "a", inputs.subList(0, 2), 0);
      h.model(ModelFile.write(V1));
      feed(h, "a", inputs.subList(2, 3), 2);
      assertThat(h.scores()).extracting(s -> s.ts).containsExactly(times(0, 3));
    }
  }

  @Test
  void passThroughEmitsEventsUnscored() throws Exception {
    try (ScoringHarness h =
        new ScoringHarness(CONFIG.toBuilder().coldStart(ColdStartPolicy.PASS_THROUGH, 0).build())) {
      h.event("a", BEGINNING, 1f, 2f);
      assertThat(h.scores())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.status).isEqualTo(ScoreRecord.NO_MODEL);
                assertThat(s.model).isEqualTo(MODEL);
                assertThat(s.prediction).isNull();
              });
    }
  }

  @Test
  void heldEventsBeyondTheBoundGoToDeadLetters() throws Exception {
    try (ScoringHarness h =
        new ScoringHarness(CONFIG.toBuilder().coldStart(ColdStartPolicy.BUFFER, 2).build())) {
      feed(h, "a", series(3, 0), 0);
      assertThat(h.state("a").pending).hasSize(2);
      assertThat(h.deadLetters())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.reason).isEqualTo(RejectReason.NO_MODEL_BUFFER_FULL.code());
                assertThat(d.key).isEqualTo("a");
                assertThat(d.payload).contains("\"key\":\"a\"");
              });
    }
  }

  @Test
  void eventsNamingAModelTheJobDoesNotServeGoToDeadLetters() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      h.event(new Event("a", BEGINNING, new float[] {1f, 2f}, "nope"));
      h.event("a", BEGINNING + ONE_MINUTE, 1f, 2f);
      assertThat(h.deadLetters())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.reason).isEqualTo(RejectReason.UNKNOWN_MODEL.code());
                assertThat(d.message).contains("'nope'").contains(MODEL);
              });
      assertThat(h.scores()).singleElement().satisfies(s -> assertThat(s.model).isEqualTo(MODEL));
    }
  }

  @Test
  void eachEventIsScoredByTheModelItNames() throws Exception {
    ScoringConfig config = CONFIG.toBuilder().models(List.of("other")).build();
    LstmModel other = TestModels.model("other", 1, 3, 4, 9);
    try (ScoringHarness h = new ScoringHarness(config)) {
      h.model(ModelFile.write(V1));
      h.event(new Event("a", BEGINNING, new float[] {1f, 2f, 3f}, "other"));
      assertThat(h.scores()).isEmpty();
      h.model(ModelFile.write(other));
      h.event("b", BEGINNING, 1f, 2f);
      h.harness.setProcessingTime(ScoringOperator.PENDING_RETRY_MILLIS);
      assertThat(h.scores())
          .extracting(s -> s.key + ":" + s.model)
          .containsExactlyInAnyOrder("a:other", "b:" + MODEL);
    }
  }

  @Test
  void keepPolicyCarriesTheStateIntoTheNewModel() throws Exception {
    List<float[]> inputs = series(11, 0);
    LstmState carried = V1.newState();
    referencePredictions(V1, carried, inputs.subList(0, 10));
    float[] expected = referencePredictions(V2, carried, inputs.subList(10, 11)).get(0);
    assertThat(swapAndScore(SwapPolicy.KEEP, inputs).prediction).containsExactly(expected);
  }

  @Test
  void resetPolicyStartsTheNewModelFromZero() throws Exception {
    List<float[]> inputs = series(11, 0);
    float[] expected = referencePredictions(V2, V2.newState(), inputs.subList(10, 11)).get(0);
    assertThat(swapAndScore(SwapPolicy.RESET, inputs).prediction).containsExactly(expected);
  }

  @Test
  void rewarmPolicyReplaysTheRecentInputsThroughTheNewModel() throws Exception {
    List<float[]> inputs = series(21, 0);
    // The ring holds the last 16 of the 20 inputs before the swap.
    LstmState warmed = V2.newState();
    referencePredictions(V2, warmed, inputs.subList(4, 20));
    float[] expected = referencePredictions(V2, warmed, inputs.subList(20, 21)).get(0);
    assertThat(swapAndScore(SwapPolicy.REWARM, inputs).prediction).containsExactly(expected);
  }

  /**
   * A model with time inputs takes each event's time of day from its ts after the values, and a
   * model swapped in re-warms from the remembered inputs at their own times.
   */
  @Test
  void aModelWithTimeInputsStepsOnEachEventsTimeAndRewarmsWithIt() throws Exception {
    TimeFeatures day = TimeFeatures.DAY_UTC;
    LstmModel v1 = TestModels.timed(MODEL, 1, DIM, HIDDEN, 1, day);
    LstmModel v2 = TestModels.timed(MODEL, 2, DIM, HIDDEN, 2, day);
    List<float[]> inputs = series(21, 0);
    List<Long> times = new ArrayList<>();
    for (int i = 0; i < 21; i++) {
      times.add(BEGINNING + i * ONE_HOUR);
    }
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(v1));
      for (int i = 0; i < 20; i++) {
        h.event("a", times.get(i), inputs.get(i));
      }
      h.model(ModelFile.write(v2));
      h.event("a", times.get(20), inputs.get(20));
      List<ScoreRecord> scores = h.scores();
      List<float[]> before =
          timedPredictions(v1, v1.newState(), inputs.subList(0, 20), times.subList(0, 20));
      for (int t = 0; t < 20; t++) {
        assertThat(scores.get(t).prediction).containsExactly(before.get(t));
      }
      // The ring holds the last 16 of the 20 inputs before the swap, with their times.
      LstmState warmed = v2.newState();
      timedPredictions(v2, warmed, inputs.subList(4, 20), times.subList(4, 20));
      float[] expected =
          timedPredictions(v2, warmed, inputs.subList(20, 21), times.subList(20, 21)).get(0);
      assertThat(scores.get(20).modelVersion).isEqualTo(2);
      assertThat(scores.get(20).prediction).containsExactly(expected);
      // The same inputs stepped at other times of day predict otherwise.
      List<Long> shifted = times.stream().map(ts -> ts + 6 * ONE_HOUR).toList();
      assertThat(
              timedPredictions(v1, v1.newState(), inputs.subList(0, 20), shifted.subList(0, 20))
                  .get(19))
          .isNotEqualTo(before.get(19));
    }
  }

  @Test
  void versionsOnlyMoveForward() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V2));
      h.model(ModelFile.write(V1));
      h.event("a", BEGINNING, 1f, 2f);
      assertThat(h.scores())
          .singleElement()
          .satisfies(s -> assertThat(s.modelVersion).isEqualTo(2));
      assertThat(h.deadLetters())
          .singleElement()
          .satisfies(d -> assertThat(d.reason).isEqualTo(RejectReason.STALE_MODEL.code()));
    }
  }

  @Test
  void refusedModelsLeaveTheServedOneInPlace() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      byte[] good = ModelFile.write(V2);
      h.model("not a model".getBytes());
      h.model(Arrays.copyOf(good, good.length / 2));
      byte[] corrupt = good.clone();
      corrupt[corrupt.length - 40] ^= 1;
      h.model(corrupt);
      h.model(good, "another-name");
      h.model(null);
      h.event("a", BEGINNING, 1f, 2f);
      assertThat(h.scores())
          .singleElement()
          .satisfies(s -> assertThat(s.modelVersion).isEqualTo(1));
      List<DeadLetter> dead = h.deadLetters();
      assertThat(dead)
          .hasSize(5)
          .allSatisfy(
              d -> {
                assertThat(d.reason).isEqualTo(RejectReason.BAD_MODEL.code());
                assertThat(d.message).isNotBlank();
                assertThat(d.sourceTopic).isEqualTo("models");
              });
      assertThat(dead.get(3).message).contains("another-name");
    }
  }

  @Test
  void lateEventsGoToDeadLettersByDefault() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      h.event("a", BEGINNING + ONE_MINUTE, 1f, 2f);
      h.event("a", BEGINNING, 3f, 4f);
      assertThat(h.scores()).hasSize(1);
      assertThat(h.deadLetters())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.reason).isEqualTo(RejectReason.LATE.code());
                assertThat(d.sourceTopic).isEqualTo(ScoringHarness.TOPIC);
              });
      assertThat(h.state("a").seen).isEqualTo(1);
    }
  }

  /**
   * One event stamped far in the future (year 2100: a device clock, a seconds/milliseconds mix-up)
   * does not silence its key: the on-time events after it are more than the backward-jump bound
   * before it, so the first of them starts the key's sequence afresh, settling again, and every one
   * is scored.
   */
  @Test
  void anEventFromTheFutureDoesNotSilenceItsKey() throws Exception {
    long year2100 = 4_102_444_800_000L;
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      List<float[]> inputs = series(200, 0);
      feed(h, "probe-ts", inputs.subList(0, 100), 0);
      h.event("probe-ts", year2100, inputs.get(100));
      feed(h, "probe-ts", inputs.subList(101, 200), 101);
      assertThat(h.deadLetters()).isEmpty();
      List<ScoreRecord> scores = h.scores();
      assertThat(scores).hasSize(200);
      assertThat(scores.get(101).warmingUp).isTrue();
      assertThat(h.state("probe-ts").lastTs).isEqualTo(BEGINNING + 199 * ONE_MINUTE);
      assertThat(h.state("probe-ts").seen).isEqualTo(200);
    }
  }

  /** A step back shorter than the bound is late; with the bound at 0 any step back is late. */
  @Test
  void aStepBackWithinTheBoundIsLateAndTheBoundCanBeTurnedOff() throws Exception {
    try (ScoringHarness h =
        new ScoringHarness(CONFIG.toBuilder().maxBackwardJump(Duration.ZERO).build())) {
      h.model(ModelFile.write(V1));
      h.event("a", BEGINNING + 365L * 24 * 60 * ONE_MINUTE, 1f, 2f);
      h.event("a", BEGINNING, 3f, 4f);
      assertThat(h.deadLetters()).singleElement().extracting(d -> d.reason).isEqualTo("late");
    }
  }

  @Test
  void lateEventsCanBeScoredWithoutSteppingTheState() throws Exception {
    try (ScoringHarness h =
        new ScoringHarness(CONFIG.toBuilder().latePolicy(LatePolicy.SCORE_ONLY).build())) {
      h.model(ModelFile.write(V1));
      h.event("a", BEGINNING + ONE_MINUTE, 1f, 2f);
      KeyState before = KeyStateSerializer.INSTANCE.copy(h.state("a"));
      h.event("a", BEGINNING, 3f, 4f);
      assertThat(h.scores()).hasSize(2);
      LstmState afterFirst = V1.newState();
      referencePredictions(V1, afterFirst, List.of(new float[] {1f, 2f}));
      float[] expected = referencePredictions(V1, afterFirst, List.of(new float[] {3f, 4f})).get(0);
      assertThat(h.scores().get(1).prediction).containsExactly(expected);
      KeyState after = h.state("a");
      assertThat(after.lstm.h()).containsExactly(before.lstm.h());
      assertThat(after.lastTs).isEqualTo(before.lastTs);
      assertThat(after.stats.seen).isEqualTo(before.stats.seen);
      assertThat(after.seen).isEqualTo(1);
    }
  }

  @Test
  void eventsOfTheWrongDimensionGoToDeadLetters() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      h.event("a", BEGINNING, 1f, 2f, 3f);
      assertThat(h.scores()).isEmpty();
      assertThat(h.deadLetters())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.reason).isEqualTo(RejectReason.WRONG_DIMENSION.code());
                assertThat(d.message).contains("3 values").contains("takes 2");
              });
    }
  }

  /**
   * After the gap the state starts from zero, and its first errors (two, the detector's settling
   * count) raise no flag and stay out of the key's error statistics.
   */
  @Test
  void aLongGapStartsANewSequence() throws Exception {
    ScoringConfig config =
        CONFIG.toBuilder()
            .time(Duration.ofMinutes(10), Duration.ZERO)
            .detector(
                DetectorConfig.builder()
                    .warmupEvents(2)
                    .settleEvents(2)
                    .errorWindow(100)
                    .shortWindow(2)
                    .longWindow(100)
                    .threshold(0.999)
                    .quietEvents(0)
                    .build())
            .build();
    try (ScoringHarness h = new ScoringHarness(config)) {
      h.model(ModelFile.write(V1));
      feed(h, "a", series(5, 0), 0);
      long later = BEGINNING + 60 * ONE_MINUTE;
      h.event("a", later, 1f, 1f);
      h.event("a", later + ONE_MINUTE, 50f, 50f);
      h.event("a", later + 2 * ONE_MINUTE, 1f, 1f);
      List<ScoreRecord> scores = h.scores();
      float[] fromZero =
          referencePredictions(V1, V1.newState(), List.of(new float[] {1f, 1f})).get(0);
      assertThat(scores.get(5).prediction).containsExactly(fromZero);
      assertThat(scores.get(4).warmingUp).isFalse();
      for (ScoreRecord settling : scores.subList(5, 7)) {
        assertThat(settling.warmingUp).isTrue();
        assertThat(settling.likelihood).isEqualTo(0.5);
        assertThat(settling.anomaly).isFalse();
      }
      assertThat(scores.get(7).warmingUp).isFalse();
      assertThat(scores.get(7).likelihood).isNotEqualTo(0.5);
    }
  }

  @Test
  void theAllocationGaugeReportsFromTheFirstBatchedStep() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      assertThat(h.batchedStepBytes()).isNaN();
      h.event("a", BEGINNING, 1f, 2f);
      h.event("b", BEGINNING, 1f, 2f);
      h.event("a", BEGINNING + ONE_MINUTE, 1f, 2f); // a's first step must be taken first
      assertThat(h.batchedStepBytes()).isNotNaN().isGreaterThanOrEqualTo(0);
    }
  }

  @Test
  void idleKeysExpireAndTheGaugeCountsThem() throws Exception {
    ScoringConfig config = CONFIG.toBuilder().time(Duration.ZERO, Duration.ofMinutes(30)).build();
    try (ScoringHarness h = new ScoringHarness(config)) {
      h.model(ModelFile.write(V1));
      h.harness.setProcessingTime(0);
      h.event("a", BEGINNING, 1f, 2f);
      h.event("b", BEGINNING, 1f, 2f);
      assertThat(h.keysWithState()).isEqualTo(2);
      h.harness.setProcessingTime(Duration.ofMinutes(20).toMillis());
      h.event("b", BEGINNING + ONE_MINUTE, 1f, 2f);
      h.harness.setProcessingTime(Duration.ofMinutes(31).toMillis());
      assertThat(h.state("a")).isNull();
      assertThat(h.state("b")).isNotNull();
      assertThat(h.keysWithState()).isEqualTo(1);
      h.harness.setProcessingTime(Duration.ofMinutes(49).toMillis());
      assertThat(h.state("b")).isNotNull();
      h.harness.setProcessingTime(Duration.ofMinutes(51).toMillis());
      assertThat(h.state("b")).isNull();
      assertThat(h.keysWithState()).isZero();
      h.event("a", BEGINNING + 2 * ONE_MINUTE, 1f, 2f);
      assertThat(h.keysWithState()).isEqualTo(1);
      assertThat(h.state("a").seen).as("a forgotten key starts over").isEqualTo(1);
    }
  }

  @Test
  void keysRestoredFromARunWithoutTtlExpireOnceItIsSet() throws Exception {
    OperatorSubtaskState snapshot;
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      h.event("a", BEGINNING, 1f, 2f);
      snapshot = h.snapshot();
    }
    ScoringConfig withTtl = CONFIG.toBuilder().time(Duration.ZERO, Duration.ofMinutes(30)).build();
    try (ScoringHarness h = new ScoringHarness(withTtl, snapshot)) {
      h.harness.setProcessingTime(Duration.ofMinutes(29).toMillis());
      assertThat(h.state("a")).isNotNull();
      h.harness.setProcessingTime(Duration.ofMinutes(31).toMillis());
      assertThat(h.state("a")).isNull();
      assertThat(h.keysWithState()).isZero();
    }
  }

  @Test
  void theGaugeCountsTheKeysOfARestoredSnapshot() throws Exception {
    OperatorSubtaskState snapshot;
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      for (String key : List.of("a", "b", "c")) {
        h.event(key, BEGINNING, 1f, 2f);
      }
      h.event("a", BEGINNING + 1, 1f, 2f);
      assertThat(h.keysWithState()).isEqualTo(3);
      snapshot = h.snapshot();
    }
    try (ScoringHarness h = new ScoringHarness(CONFIG, snapshot)) {
      assertThat(h.keysWithState()).isEqualTo(3);
      h.event("d", BEGINNING, 1f, 2f);
      h.event("a", BEGINNING + 2, 1f, 2f);
      assertThat(h.keysWithState()).isEqualTo(4);
    }
  }

  /** On the heap the batch steps the stored states in place; on RocksDB it writes them back. */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void keysSteppedTogetherScoreExactlyAsEachAlone(boolean rocksDb) throws Exception {
    int keys = BatchedSteps.MAX_BATCH + 7;
    int steps = 12;
    try (ScoringHarness h =
        new ScoringHarness(CONFIG, null, rocksDb ? new EmbeddedRocksDBStateBackend() : null)) {
      h.model(ModelFile.write(V1));
      for (int i = 0; i < steps; i++) {
        for (int k = 0; k < keys; k++) {
          h.event("k" + k, BEGINNING + i * ONE_MINUTE, series(steps, k).get(i));
        }
        if (i == steps / 2) {
          h.snapshot();
        }
      }
      for (int k = 0; k < keys; k++) {
        String key = "k" + k;
        List<ScoreRecord> ofKey = h.scores().stream().filter(s -> s.key.equals(key)).toList();
        List<float[]> expected = referencePredictions(V1, V1.newState(), series(steps, k));
        assertThat(ofKey).hasSize(steps);
        for (int i = 0; i < steps; i++) {
          assertThat(ofKey.get(i).prediction)
              .as("%s event %d", key, i)
              .containsExactly(expected.get(i));
        }
        assertThat(h.state(key).lstm.h())
            .as("%s state", key)
            .containsExactly(stateAfter(V1, series(steps, k)).h());
      }
      assertThat(h.keysWithState()).isEqualTo(keys);
    }
  }

  @Test
  void interleavedKeysAcrossAModelSwapScoreAsEachKeyAlone() throws Exception {
    int keys = BatchedSteps.MAX_BATCH + 7;
    int steps = 10;
    int swapAfter = 4;
    List<ScoreRecord> interleaved;
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      for (int i = 0; i < steps; i++) {
        for (int k = 0; k < keys; k++) {
          h.event("k" + k, BEGINNING + i * ONE_MINUTE, series(steps, k).get(i));
        }
        if (i == swapAfter) {
          h.model(ModelFile.write(V2));
        }
      }
      interleaved = h.scores();
    }
    for (int k = 0; k < keys; k++) {
      String key = "k" + k;
      try (ScoringHarness alone = new ScoringHarness(CONFIG)) {
        alone.model(ModelFile.write(V1));
        for (int i = 0; i < steps; i++) {
          alone.event(key, BEGINNING + i * ONE_MINUTE, series(steps, k).get(i));
          if (i == swapAfter) {
            alone.model(ModelFile.write(V2));
          }
        }
        assertThat(interleaved.stream().filter(s -> s.key.equals(key)).toList())
            .as(key)
            .containsExactlyElementsOf(alone.scores());
      }
    }
  }

  @Test
  void aRestoredSnapshotContinuesExactlyWhereItStopped() throws Exception {
    List<float[]> inputs = series(40, 0);
    List<ScoreRecord> uninterrupted;
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      feed(h, "a", inputs, 0);
      feed(h, "b", inputs, 0);
      uninterrupted = h.scores();
    }
    List<ScoreRecord> resumed = new ArrayList<>();
    OperatorSubtaskState snapshot;
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      feed(h, "a", inputs.subList(0, 20), 0);
      feed(h, "b", inputs.subList(0, 20), 0);
      snapshot = h.snapshot();
      resumed.addAll(h.scores());
    }
    try (ScoringHarness h = new ScoringHarness(CONFIG, snapshot)) {
      feed(h, "a", inputs.subList(20, 40), 20);
      feed(h, "b", inputs.subList(20, 40), 20);
      resumed.addAll(h.scores());
    }
    List<ScoreRecord> a = resumed.stream().filter(s -> s.key.equals("a")).toList();
    List<ScoreRecord> b = resumed.stream().filter(s -> s.key.equals("b")).toList();
    assertThat(a).containsExactlyElementsOf(uninterrupted.subList(0, 40));
    assertThat(b).containsExactlyElementsOf(uninterrupted.subList(40, 80));
  }

  private ScoreRecord swapAndScore(SwapPolicy policy, List<float[]> inputs) throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG.toBuilder().swapPolicy(policy).build())) {
      h.model(ModelFile.write(V1));
      int last = inputs.size() - 1;
      feed(h, "a", inputs.subList(0, last), 0);
      h.model(ModelFile.write(V2));
      feed(h, "a", inputs.subList(last, last + 1), last);
      ScoreRecord s = h.scores().get(last);
      assertThat(s.modelVersion).isEqualTo(2);
      return s;
    }
  }

  /** Predictions for each input, made before it, in raw units; advances {@code state}. */
  static List<float[]> referencePredictions(
      LstmModel model, LstmState state, List<float[]> inputs) {
    Stepper stepper = Stepper.of(model);
    List<float[]> out = new ArrayList<>();
    float[] z = new float[model.inputSize()];
    for (float[] x : inputs) {
      float[] raw = new float[model.inputSize()];
      model.normalizer().denormalize(stepper.predict(state), raw);
      out.add(raw);
      model.normalizer().normalize(x, z);
      stepper.advance(state, z);
    }
    return out;
  }

  /**
   * Predictions for each input at its time, made before it, in raw units; advances {@code state} by
   * steps of the values followed by the model's time inputs.
   */
  private static List<float[]> timedPredictions(
      LstmModel model, LstmState state, List<float[]> inputs, List<Long> times) {
    Stepper stepper = Stepper.of(model);
    List<float[]> out = new ArrayList<>();
    float[] step = new float[model.stepSize()];
    for (int i = 0; i < inputs.size(); i++) {
      float[] raw = new float[model.inputSize()];
      model.normalizer().denormalize(stepper.predict(state), raw);
      out.add(raw);
      System.arraycopy(inputs.get(i), 0, step, 0, model.inputSize());
      model.time().encode(times.get(i), step, model.inputSize());
      stepper.step(state, step);
    }
    return out;
  }

  private static LstmState stateAfter(LstmModel model, List<float[]> inputs) {
    LstmState state = model.newState();
    referencePredictions(model, state, inputs);
    return state;
  }

  static List<float[]> series(int n, int phase) {
    List<float[]> out = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      double a = 0.3 * (t + phase);
      out.add(new float[] {(float) Math.sin(a), (float) (0.5 * Math.cos(a) + 1)});
    }
    return out;
  }

  private static void feed(ScoringHarness h, String key, List<float[]> inputs, int firstIndex)
      throws Exception {
    for (int i = 0; i < inputs.size(); i++) {
      h.event(key, BEGINNING + (firstIndex + i) * ONE_MINUTE, inputs.get(i));
    }
  }

  private static Long[] times(int from, int to) {
    Long[] out = new Long[to - from];
    for (int i = from; i < to; i++) {
      out[i - from] = BEGINNING + i * ONE_MINUTE;
    }
    return out;
  }
}
