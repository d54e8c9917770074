package io.flinklstm.train;

import io.flinklstm.detect.SymbolJudge;
import io.flinklstm.detect.SymbolJudgement;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.kernel.SymbolStepper;
import java.util.List;

/**
 * How well a categorical model predicts held-out sequences, streamed through the per-event stepper
 * exactly as the job scores them: from a zero state, each symbol judged against the prediction the
 * symbols before it left, the first {@code burnIn} of each sequence fed but not counted.
 */
public final class CategoricalEvaluator {
  private CategoricalEvaluator() {}

  /**
   * The result over every counted symbol.
   *
   * @param crossEntropy the mean −log p(symbol), in nats; NaN if nothing was counted
   * @param topGRate the share of symbols among the g most likely predictions
   * @param counted symbols judged
   */
  public record Evaluation(double crossEntropy, double topGRate, long counted) {}

  /**
   * @param sequences symbol ids in [0, V)
   * @param topG g of the top-g rule
   */
  public static Evaluation evaluate(
      CategoricalModel model, List<int[]> sequences, int burnIn, int topG) {
    TrainerConfig.requireAtLeast("burn-in", burnIn, 0);
    SymbolStepper stepper = SymbolStepper.of(model);
    SymbolJudge judge = new SymbolJudge(topG);
    SymbolJudgement judgement = new SymbolJudgement();
    LstmState state = model.newState();
    double sum = 0;
    long inTop = 0;
    long counted = 0;
    for (int[] sequence : sequences) {
      state.reset();
      for (int t = 0; t < sequence.length; t++) {
        if (t >= burnIn) {
          judge.judge(stepper.logProbabilities(state), model.vocabulary(), sequence[t], judgement);
          sum += judgement.surprise;
          inTop += judgement.anomalous() ? 0 : 1;
          counted++;
        }
        stepper.advance(state, sequence[t]);
      }
    }
    return counted == 0
        ? new Evaluation(Double.NaN, Double.NaN, 0)
        : new Evaluation(sum / counted, (double) inTop / counted, counted);
  }
}
