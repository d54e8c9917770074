package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.detect.SymbolJudge;
import io.flinklstm.detect.SymbolJudgement;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.kernel.SymbolStepper;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.train.CategoricalInitializer;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.RejectReason;
import io.flinklstm.wire.ScoreRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/** Symbol events and categorical models in the scoring operator's harness, beside numeric ones. */
class SymbolScoringTest {
  private static final String LOGS = "logs";
  private static final String METRICS = "metrics";
  private static final long BEGINNING = 1_700_000_000_000L;
  private static final long ONE_SECOND = 1_000L;
  private static final List<String> SYMBOLS = List.of("open", "auth", "read", "write", "close");
  private static final CategoricalModel LOGS_V1 = TestModels.categorical(LOGS, 1, SYMBOLS, 6, 3);
  private static final LstmModel METRICS_V1 = TestModels.model(METRICS, 1, 2, 4, 1);
  private static final int TOP_G = 2;
  private static final DetectorConfig NO_WARMUP =
      DetectorConfig.builder()
          .warmupEvents(0)
          .errorWindow(1000)
          .shortWindow(10)
          .longWindow(2000)
          .threshold(0.9999)
          .build();
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(LOGS).models(List.of(METRICS)).topG(TOP_G).detector(NO_WARMUP).build();

  @Test
  void symbolEventsAreJudgedAgainstThePredictionMadeBeforeThem() throws Exception {
    List<String> sequence =
        List.of("open", "auth", "read", "read", "write", "close", "open", "nope", "auth");
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(LOGS_V1));
      feed(h, "host-1", sequence, null);
      List<ScoreRecord> scores = h.scores();
      assertThat(scores).hasSize(sequence.size());
      assertThat(h.deadLetters()).isEmpty();

      SymbolStepper stepper = SymbolStepper.of(LOGS_V1);
      SymbolJudge judge = new SymbolJudge(TOP_G);
      SymbolJudgement expected = new SymbolJudgement();
      LstmState state = LOGS_V1.newState();
      for (int t = 0; t < sequence.size(); t++) {
        float[] logProbs = stepper.logProbabilities(state);
        judge.judge(logProbs, LOGS_V1.vocabulary(), sequence.get(t), expected);
        // What the model expected instead: its most likely known symbols, most likely first.
        List<String> byLikelihood = new ArrayList<>(LOGS_V1.vocabulary().symbols());
        byLikelihood.remove(LOGS_V1.vocabulary().unknownSymbol());
        byLikelihood.sort(
            java.util.Comparator.comparingDouble(
                (String x) -> -logProbs[LOGS_V1.vocabulary().find(x)]));
        assertThat(scores.get(t).expected).containsExactlyElementsOf(byLikelihood.subList(0, 3));
        stepper.advance(state, expected.symbolId);
        ScoreRecord s = scores.get(t);
        assertThat(s.status).isEqualTo(ScoreRecord.SCORED);
        assertThat(s.model).isEqualTo(LOGS);
        assertThat(s.symbol).isEqualTo(sequence.get(t));
        assertThat(s.values).isNull();
        assertThat(s.surprise).isEqualTo(expected.surprise);
        assertThat(s.error).isEqualTo(expected.surprise);
        assertThat(s.rank).isEqualTo(expected.rank);
        assertThat(s.verdict).isEqualTo(code(expected));
        assertThat(s.anomaly).isEqualTo(expected.anomalous() || s.likelihood >= 0.9999);
      }
      assertThat(scores.get(7).verdict).isEqualTo(ScoreRecord.UNKNOWN);
      assertThat(scores.get(7).anomaly).isTrue();
      KeyState key = h.state("host-1");
      assertThat(key.lstm.h()).containsExactly(state.h());
      assertThat(key.symbols.size()).isEqualTo(sequence.size());
      assertThat(key.symbols.get(7)).isEqualTo("nope");
    }
  }

  @Test
  void aSymbolBelowTheMinimumProbabilityIsFlaggedAsImprobable() throws Exception {
    int everySymbol = LOGS_V1.vocabulary().size();
    ScoringConfig config = CONFIG.toBuilder().topG(everySymbol).build();
    List<String> sequence = List.of("open", "auth", "read", "close");
    LstmState state = LOGS_V1.newState();
    SymbolStepper stepper = SymbolStepper.of(LOGS_V1);
    List<Double> probabilities = new ArrayList<>();
    for (String s : sequence) {
      int id = LOGS_V1.vocabulary().id(s);
      probabilities.add(Math.exp(stepper.logProbabilities(state)[id]));
      stepper.advance(state, id);
    }
    double median = probabilities.stream().sorted().toList().get(2);
    try (ScoringHarness h = new ScoringHarness(config.toBuilder().minProbability(median).build())) {
      h.model(ModelFile.write(LOGS_V1));
      feed(h, "host-1", sequence, null);
      List<ScoreRecord> scores = h.scores();
      for (int t = 0; t < sequence.size(); t++) {
        boolean below = probabilities.get(t) < median;
        assertThat(scores.get(t).verdict)
            .isEqualTo(below ? ScoreRecord.IMPROBABLE : ScoreRecord.EXPECTED);
        assertThat(scores.get(t).anomaly).isEqualTo(below);
      }
    }
  }

  @Test
  void noSymbolIsFlaggedDuringTheWarmUp() throws Exception {
    ScoringConfig warm = CONFIG.toBuilder().detector(DetectorConfig.DEFAULTS).build();
    try (ScoringHarness h = new ScoringHarness(warm)) {
      h.model(ModelFile.write(LOGS_V1));
      feed(h, "host-1", List.of("open", "never-seen", "close"), null);
      assertThat(h.scores()).extracting(s -> s.anomaly).containsOnly(false);
      assertThat(h.scores().get(1).verdict).isEqualTo(ScoreRecord.UNKNOWN);
      assertThat(h.scores()).extracting(s -> s.warmingUp).containsOnly(true);
    }
  }

  @Test
  void oneJobServesBothKindsRoutedByModelName() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(LOGS_V1));
      h.model(ModelFile.write(METRICS_V1));
      h.event(Event.ofSymbol("k", BEGINNING, "open", null));
      h.event(new Event("k2", BEGINNING, new float[] {1f, 2f}, METRICS));
      h.event(Event.ofSymbol("k", BEGINNING + ONE_SECOND, "auth", LOGS));
      assertThat(h.deadLetters()).isEmpty();
      assertThat(h.scores())
          .extracting(s -> s.key + ":" + s.model + ":" + (s.symbol != null) + ":" + s.verdict)
          .containsExactly(
              "k:logs:true:" + h.scores().get(0).verdict,
              "k2:metrics:false:null",
              "k:logs:true:" + h.scores().get(2).verdict);
      assertThat(h.scores().get(1).prediction).hasSize(2);
      assertThat(h.scores().get(1).surprise).isNull();
    }
  }

  @Test
  void anEventOfTheWrongKindGoesToDeadLetters() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(LOGS_V1));
      h.model(ModelFile.write(METRICS_V1));
      h.event(new Event("a", BEGINNING, new float[] {1f, 2f}, LOGS));
      h.event(Event.ofSymbol("b", BEGINNING, "open", METRICS));
      assertThat(h.scores()).isEmpty();
      assertThat(h.deadLetters())
          .hasSize(2)
          .allSatisfy(d -> assertThat(d.reason).isEqualTo(RejectReason.WRONG_KIND.code()));
      assertThat(h.deadLetters().get(0).message)
          .contains("carries values")
          .contains("'logs' is categorical");
      assertThat(h.deadLetters().get(1).message)
          .contains("carries a symbol")
          .contains("'metrics' is numeric");
      assertThat(h.deadLetters().get(1).payload).contains("\"symbol\":\"open\"");
    }
  }

  @Test
  void rewarmReplaysTheRememberedSymbolsThroughTheGrownVocabulary() throws Exception {
    List<String> grown = new ArrayList<>(LOGS_V1.vocabulary().symbols());
    grown.add("delete");
    CategoricalModel v2 =
        CategoricalInitializer.remap(
            LOGS_V1,
            new Vocabulary(grown, Vocabulary.DEFAULT_UNKNOWN),
            new ModelInfo(LOGS, 2, TestModels.CREATED, 1, Map.of()));
    List<String> before = List.of("open", "auth", "delete", "close");
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(LOGS_V1));
      feed(h, "host-1", before, null);
      assertThat(h.scores().get(2).verdict).isEqualTo(ScoreRecord.UNKNOWN);
      h.model(ModelFile.write(v2));
      h.event(Event.ofSymbol("host-1", BEGINNING + 10 * ONE_SECOND, "delete", null));

      // "delete" was out-of-vocabulary under v1; replayed under v2 it is a symbol of its own.
      SymbolStepper stepper = SymbolStepper.of(v2);
      LstmState expected = v2.newState();
      for (String s : before) {
        stepper.advance(expected, v2.vocabulary().id(s));
      }
      SymbolJudgement j = new SymbolJudgement();
      new SymbolJudge(TOP_G)
          .judge(stepper.logProbabilities(expected), v2.vocabulary(), "delete", j);
      ScoreRecord after = h.scores().get(before.size());
      assertThat(after.modelVersion).isEqualTo(2);
      assertThat(after.verdict).isNotEqualTo(ScoreRecord.UNKNOWN);
      assertThat(after.surprise).isEqualTo(j.surprise);
    }
  }

  @Test
  void heldSymbolEventsAndTheSymbolRingSurviveASnapshot() throws Exception {
    OperatorSubtaskState snapshot;
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(METRICS_V1));
      feed(h, "host-1", List.of("open", "auth"), null);
      assertThat(h.state("host-1").pending).hasSize(2);
      snapshot = h.snapshot();
    }
    try (ScoringHarness h = new ScoringHarness(CONFIG, snapshot)) {
      assertThat(h.state("host-1").pending)
          .extracting(e -> e.symbol)
          .containsExactly("open", "auth");
      h.model(ModelFile.write(LOGS_V1));
      feed(h, "host-1", List.of("read"), null);
      assertThat(h.scores()).extracting(s -> s.symbol).containsExactly("open", "auth", "read");
      snapshot = h.snapshot();
    }
    try (ScoringHarness h = new ScoringHarness(CONFIG, snapshot)) {
      KeyState key = h.state("host-1");
      assertThat(key.symbols.size()).isEqualTo(3);
      assertThat(key.symbols.get(0)).isEqualTo("open");
      assertThat(key.symbols.get(2)).isEqualTo("read");
    }
  }

  private static void feed(ScoringHarness h, String key, List<String> symbols, String model)
      throws Exception {
    long ts = BEGINNING;
    KeyState state = h.state(key);
    if (state != null && state.lastTs != Long.MIN_VALUE) {
      ts = state.lastTs + ONE_SECOND;
    } else if (state != null && !state.pending.isEmpty()) {
      ts = state.pending.get(state.pending.size() - 1).ts + ONE_SECOND;
    }
    for (String s : symbols) {
      h.event(Event.ofSymbol(key, ts, s, model));
      ts += ONE_SECOND;
    }
  }

  private static String code(SymbolJudgement j) {
    switch (j.verdict) {
      case EXPECTED:
        return ScoreRecord.EXPECTED;
      case NOT_IN_TOP_G:
        return ScoreRecord.NOT_IN_TOP_G;
      default:
        return ScoreRecord.UNKNOWN;
    }
  }
}
