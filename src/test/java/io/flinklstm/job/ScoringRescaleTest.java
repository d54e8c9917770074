package io.flinklstm.job;

import static io.flinklstm.job.ScoringOperatorTest.series;
import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.ScoreRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rescaling, as a savepoint taken at one parallelism and restored at another does it: every key's
 * state moves with its key group to its new subtask, every new subtask gets the served models
 * (broadcast state is copied to each), and each key's scores go on exactly as in an uninterrupted
 * run.
 */
class ScoringRescaleTest {
  private static final int MAX_PARALLELISM = 128;
  private static final int KEYS = 12;
  private static final int STEPS = 30;
  private static final int BEFORE = 18;
  private static final long BEGINNING = 1_700_000_000_000L;
  private static final long ONE_MINUTE = 60_000L;
  private static final LstmModel V1 = TestModels.model("default", 1, 2, 8, 1);

  /** A short warm-up and a low threshold, so that flags and quiet periods move with keys too. */
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder("default")
          .detector(
              DetectorConfig.builder()
                  .warmupEvents(5)
                  .settleEvents(2)
                  .errorWindow(100)
                  .shortWindow(3)
                  .longWindow(100)
                  .threshold(0.9)
                  .quietEvents(3)
                  .build())
          .build();

  @ParameterizedTest(name = "{0} subtasks, then {1}")
  @CsvSource({"2, 3", "3, 1"})
  void eachKeyScoresAsIfNothingHappened(int before, int after) throws Exception {
    List<ScoreRecord> uninterrupted = new ArrayList<>();
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      feed(List.of(h), 0, STEPS);
      uninterrupted.addAll(h.scores());
    }

    List<ScoreRecord> scores = new ArrayList<>();
    OperatorSubtaskState[] snapshots = new OperatorSubtaskState[before];
    List<ScoringHarness> first = open(before, null, 0);
    try {
      for (ScoringHarness h : first) {
        h.model(ModelFile.write(V1));
      }
      feed(first, 0, BEFORE);
      for (int i = 0; i < before; i++) {
        snapshots[i] = first.get(i).snapshot();
        scores.addAll(first.get(i).scores());
      }
    } finally {
      closeAll(first);
    }

    OperatorSubtaskState whole = AbstractStreamOperatorTestHarness.repackageState(snapshots);
    List<ScoringHarness> second = open(after, whole, before);
    try {
      feed(second, BEFORE, STEPS);
      for (ScoringHarness h : second) {
        scores.addAll(h.scores());
        assertThat(h.deadLetters()).isEmpty();
      }
    } finally {
      closeAll(second);
    }

    for (int k = 0; k < KEYS; k++) {
      String key = key(k);
      assertThat(scores.stream().filter(s -> s.key.equals(key)).sorted(byTime()).toList())
          .as(key)
          .containsExactlyElementsOf(
              uninterrupted.stream().filter(s -> s.key.equals(key)).toList());
    }
  }

  /**
   * Harnesses for every subtask of {@code parallelism}, restored from {@code whole}, the state of
   * all {@code oldParallelism} subtasks of an earlier run, when given.
   */
  private static List<ScoringHarness> open(
      int parallelism, OperatorSubtaskState whole, int oldParallelism) throws Exception {
    List<ScoringHarness> harnesses = new ArrayList<>();
    for (int i = 0; i < parallelism; i++) {
      OperatorSubtaskState restore =
          whole == null
              ? null
              : AbstractStreamOperatorTestHarness.repartitionOperatorState(
                  whole, MAX_PARALLELISM, oldParallelism, parallelism, i);
      harnesses.add(ScoringHarness.subtask(CONFIG, restore, MAX_PARALLELISM, parallelism, i));
    }
    return harnesses;
  }

  /** Events {@code from} to {@code to} (exclusive) of every key, each to its key's subtask. */
  private static void feed(List<ScoringHarness> subtasks, int from, int to) throws Exception {
    for (int t = from; t < to; t++) {
      for (int k = 0; k < KEYS; k++) {
        String key = key(k);
        int subtask =
            KeyGroupRangeAssignment.assignKeyToParallelOperator(
                key, MAX_PARALLELISM, subtasks.size());
        subtasks.get(subtask).event(key, BEGINNING + t * ONE_MINUTE, series(STEPS, k).get(t));
      }
    }
  }

  private static String key(int k) {
    return "key-" + k;
  }

  private static Comparator<ScoreRecord> byTime() {
    return Comparator.comparingLong(s -> s.ts);
  }

  private static void closeAll(List<ScoringHarness> harnesses) throws Exception {
    for (ScoringHarness h : harnesses) {
      h.close();
    }
  }
}
