package io.flinklstm.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.detect.DetectorConfig;
import io.flinklstm.detect.Score;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.testutil.TestModels;
import io.flinklstm.wire.DeadLetter;
import io.flinklstm.wire.RejectReason;
import io.flinklstm.wire.ScoreRecord;
import io.flinklstm.wire.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.junit.jupiter.api.Test;

/** Analysts' verdicts on the scoring operator's broadcast input, in Flink's keyed harness. */
class FeedbackOperatorTest {
  private static final String MODEL = "default";
  private static final LstmModel V1 = TestModels.model(MODEL, 1, 2, 8, 1);
  private static final long BEGINNING = 1_700_000_000_000L;
  private static final long ONE_MINUTE = 60_000L;
  private static final ScoringConfig CONFIG =
      ScoringConfig.builder(MODEL)
          .coldStart(ColdStartPolicy.BUFFER, 1000)
          .detector(
              DetectorConfig.builder()
                  .warmupEvents(20)
                  .errorWindow(100)
                  .longWindow(200)
                  .feedbackMemory(500)
                  .build())
          .build();

  @Test
  void aFalsePositiveMutesTheRuleThatRaisedItForItsKeyOnly() throws Exception {
    try (ScoringHarness h = new ScoringHarness(CONFIG)) {
      h.model(ModelFile.write(V1));
      int t = 0;
      for (; t < 100; t++) {
        ordinary(h, t);
      }
      spike(h, t++, 5);
      ScoreRecord first = last(h.scores(), "a");
      assertThat(first.flaggedBy).contains(Score.BY_RANGE);
      assertThat(last(h.scores(), "b").flaggedBy).contains(Score.BY_RANGE);

      h.verdict(verdict("a", first.ts, Verdict.Kind.FALSE_POSITIVE), "a");
      KeyState a = h.state("a");
      assertThat(a.stats.raises).isEqualTo(1);
      assertThat(a.stats.mutedRules & Score.RULE_RANGE).isNotZero();
      assertThat(h.state("b").stats.raises).isZero();

      for (int end = t + 20; t < end; t++) {
        ordinary(h, t);
      }
      spike(h, t, 50);
      assertThat(last(h.scores(), "b").flaggedBy).contains(Score.BY_RANGE);
      ScoreRecord again = last(h.scores(), "a");
      assertThat(again.flaggedBy == null ? List.of() : List.of(again.flaggedBy))
          .doesNotContain(Score.BY_RANGE);
      assertThat(h.deadLetters()).isEmpty();
    }
  }

  @Test
  void aVerdictIsAppliedByTheSubtaskThatOwnsItsKeyAndABadOneIsReportedOnce() throws Exception {
    int maxParallelism = 128;
    String[] keys = IntStream.range(0, 40).mapToObj(i -> "key-" + i).toArray(String[]::new);
    String ofSubtask0 = ownedBy(keys, 0, maxParallelism);
    String ofSubtask1 = ownedBy(keys, 1, maxParallelism);
    for (int subtask = 0; subtask < 2; subtask++) {
      try (ScoringHarness h = ScoringHarness.subtask(CONFIG, null, maxParallelism, 2, subtask)) {
        h.model(ModelFile.write(V1));
        String own = subtask == 0 ? ofSubtask0 : ofSubtask1;
        int t = 0;
        for (; t < 100; t++) {
          h.event(own, BEGINNING + t * ONE_MINUTE, (float) Math.sin(t * 0.3), 0.5f);
        }
        h.event(own, BEGINNING + t * ONE_MINUTE, 5, 0.5f);
        ScoreRecord flagged = last(h.scores(), own);
        assertThat(flagged.anomaly).isTrue();
        String other = subtask == 0 ? ofSubtask1 : ofSubtask0;

        h.verdict(verdict(other, flagged.ts, Verdict.Kind.FALSE_POSITIVE), other);
        assertThat(h.state(own).stats.raises).isZero();
        h.verdict(verdict(own, flagged.ts, Verdict.Kind.FALSE_POSITIVE), own);
        assertThat(h.state(own).stats.raises).isEqualTo(1);

        h.verdict(utf8("{\"key\":\"x\",\"ts\":1,\"verdict\":\"maybe\"}"), null);
        List<DeadLetter> dead = h.deadLetters();
        if (subtask == 0) {
          assertThat(dead)
              .singleElement()
              .satisfies(
                  d -> {
                    assertThat(d.reason).isEqualTo(RejectReason.BAD_FIELD.code());
                    assertThat(d.message).contains("'verdict'");
                    assertThat(d.sourceTopic).isEqualTo("feedback");
                  });
        } else {
          assertThat(dead).isEmpty();
        }
      }
    }
  }

  private static String ownedBy(String[] keys, int subtask, int maxParallelism) {
    for (String key : keys) {
      if (KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, 2) == subtask) {
        return key;
      }
    }
    throw new AssertionError("no key of subtask " + subtask);
  }

  /** One ordinary event for each of the keys a and b, the same values. */
  private static void ordinary(ScoringHarness h, int t) throws Exception {
    for (String key : new String[] {"a", "b"}) {
      h.event(key, BEGINNING + t * ONE_MINUTE, (float) Math.sin(t * 0.3), 0.5f);
    }
  }

  private static void spike(ScoringHarness h, int t, float value) throws Exception {
    for (String key : new String[] {"a", "b"}) {
      h.event(key, BEGINNING + t * ONE_MINUTE, value, 0.5f);
    }
  }

  private static ScoreRecord last(List<ScoreRecord> scores, String key) {
    ScoreRecord found = null;
    for (ScoreRecord s : scores) {
      if (s.key.equals(key)) {
        found = s;
      }
    }
    return found;
  }

  private static byte[] verdict(String key, long ts, Verdict.Kind kind) {
    return new Verdict(key, ts, kind, null, "test").encode();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
