package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolJudgeTest {
  private static final Vocabulary KEYS =
      new Vocabulary(List.of("<unk>", "open", "read", "write", "close"), "<unk>");

  /** p = 0.05 <unk>, 0.5 open, 0.25 read, 0.15 write, 0.05 close. */
  private static final float[] PREDICTION = {
    (float) Math.log(0.05),
    (float) Math.log(0.5),
    (float) Math.log(0.25),
    (float) Math.log(0.15),
    (float) Math.log(0.05)
  };

  private final SymbolJudgement out = new SymbolJudgement();

  @Test
  void theTopGSymbolsAreExpectedAndTheRestAreNot() {
    SymbolJudge topTwo = new SymbolJudge(2);

    topTwo.judge(PREDICTION, KEYS, "open", out);
    assertThat(out.verdict).isEqualTo(SymbolVerdict.EXPECTED);
    assertThat(out.rank).isZero();
    assertThat(out.surprise).isCloseTo(Math.log(2), offset(1e-6));

    topTwo.judge(PREDICTION, KEYS, "read", out);
    assertThat(out.verdict).isEqualTo(SymbolVerdict.EXPECTED);
    assertThat(out.rank).isEqualTo(1);

    topTwo.judge(PREDICTION, KEYS, "write", out);
    assertThat(out.verdict).isEqualTo(SymbolVerdict.NOT_IN_TOP_G);
    assertThat(out.anomalous()).isTrue();
    assertThat(out.rank).isEqualTo(2);
    assertThat(out.surprise).isCloseTo(-Math.log(0.15), offset(1e-6));

    new SymbolJudge(3).judge(PREDICTION, KEYS, "write", out);
    assertThat(out.verdict).isEqualTo(SymbolVerdict.EXPECTED);
  }

  @Test
  void tiesCountInTheSymbolsFavour() {
    SymbolJudge topFour = new SymbolJudge(4);

    topFour.judge(PREDICTION, KEYS, "close", out);

    // <unk> is as likely as close, so close ranks behind open, read and write only.
    assertThat(out.rank).isEqualTo(3);
    assertThat(out.verdict).isEqualTo(SymbolVerdict.EXPECTED);
  }

  @Test
  void anUnknownSymbolIsItsOwnKindAndScoredAsTheOutOfVocabularyId() {
    SymbolJudge judge = new SymbolJudge(5);

    judge.judge(PREDICTION, KEYS, "format-disk", out);

    assertThat(out.verdict).isEqualTo(SymbolVerdict.UNKNOWN);
    assertThat(out.anomalous()).isTrue();
    assertThat(out.symbolId).isEqualTo(KEYS.unknownId());
    assertThat(out.surprise).isCloseTo(-Math.log(0.05), offset(1e-6));
  }

  @Test
  void theOutOfVocabularySymbolItselfIsJudgedAsAnyKnownOne() {
    new SymbolJudge(1).judge(PREDICTION, KEYS, "<unk>", out);

    assertThat(out.verdict).isEqualTo(SymbolVerdict.NOT_IN_TOP_G);
  }

  @Test
  void surpriseFeedsTheSamePerKeyStatistics() {
    AnomalyDetector detector =
        new AnomalyDetector(
            DetectorConfig.builder()
                .warmupEvents(5)
                .errorWindow(50)
                .shortWindow(2)
                .longWindow(100)
                .threshold(0.95)
                .build());
    ScoreStats stats = new ScoreStats();
    Score score = new Score();
    SymbolJudge judge = new SymbolJudge(2);
    for (int t = 0; t < 60; t++) {
      judge.judge(PREDICTION, KEYS, t % 2 == 0 ? "open" : "read", out);
      detector.scoreSurprise(stats, out.surprise, score);
    }
    assertThat(score.anomaly).isFalse();

    boolean flagged = false;
    for (int i = 0; i < 2; i++) {
      judge.judge(PREDICTION, KEYS, "close", out);
      detector.scoreSurprise(stats, out.surprise, score);
      assertThat(score.rawScore).isGreaterThan(0.99);
      flagged |= score.anomaly;
    }
    assertThat(flagged).isTrue();
  }

  @Test
  void gBelowOneIsRefusedNamingTheOption() {
    assertThatThrownBy(() -> new SymbolJudge(0)).hasMessage("--top-g must be at least 1, was 0");
  }
}
