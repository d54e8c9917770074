package io.flinklstm.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.format.GoldenModelFiles;
import io.flinklstm.model.format.ModelFile;
import io.flinklstm.model.kernel.SymbolStepper;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The per-event path of a categorical key (look the symbol up, judge it against the prediction,
 * update the statistics, feed it in) allocates nothing once warm, as the numeric path does.
 */
class SymbolScoringAllocationTest {
  private static final List<String> EVENTS =
      List.of("open", "read", "never-seen", "write", "close");

  @Test
  void scoringAnEventAllocatesNothing() throws Exception {
    CategoricalModel model =
        (CategoricalModel)
            ModelFile.readAny(
                GoldenModelFiles.read(GoldenModelFiles.CATEGORICAL),
                ModelFile.ReadOptions.acceptUnsigned());
    SymbolStepper stepper = SymbolStepper.of(model);
    LstmState state = model.newState();
    SymbolJudge judge = new SymbolJudge(2);
    SymbolJudgement judgement = new SymbolJudgement();
    AnomalyDetector detector = new AnomalyDetector(DetectorConfig.DEFAULTS);
    ScoreStats stats = new ScoreStats();
    Score score = new Score();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();

    // The vector kernel allocates until the JIT has compiled it, which takes a varying number of
    // rounds on a busy machine: what counts is that a warm round allocates nothing.
    long least = Long.MAX_VALUE;
    long unknown = 0;
    for (int round = 0; round < 40 && least >= 1024; round++) {
      long before = threads.getThreadAllocatedBytes(tid);
      for (int t = 0; t < 20_000; t++) {
        float[] logp = stepper.logProbabilities(state);
        judge.judge(logp, model.vocabulary(), EVENTS.get(t % EVENTS.size()), judgement);
        detector.scoreSurprise(stats, judgement.surprise, score);
        stepper.advance(state, judgement.symbolId);
        unknown += judgement.verdict == SymbolVerdict.UNKNOWN ? 1 : 0;
      }
      least = Math.min(least, threads.getThreadAllocatedBytes(tid) - before);
    }
    // A few bytes of slack for the measurement itself; one float[] per event would be 500 KB.
    assertThat(least).isLessThan(1024);
    assertThat(unknown % 4_000).isZero();
  }
}
