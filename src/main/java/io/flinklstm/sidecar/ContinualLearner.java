package io.flinklstm.sidecar;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.train.ContinualTrainer;
import io.flinklstm.train.TrainingRound;
import java.time.Clock;

/**
 * The sidecar's training of a numeric model: a {@link ContinualTrainer} over a bounded sample of
 * the stream.
 */
public final class ContinualLearner implements Learner {
  private final ContinualTrainer trainer;
  private final Clock clock;

  public ContinualLearner(ContinualTrainer trainer, Clock clock) {
    this.trainer = trainer;
    this.clock = clock;
  }

  @Override
  public void observe(String key, long ts, float[] values) {
    trainer.observe(key, ts, values);
  }

  @Override
  public void observeFlagged(String key, long ts) {
    trainer.store().markFlagged(key, ts);
  }

  @Override
  public void observeVerdict(String key, long ts, boolean confirmed) {
    trainer.store().markVerdict(key, ts, confirmed);
  }

  @Override
  public Round train(SequenceModel current) throws InterruptedException {
    if (current != null && !(current instanceof LstmModel)) {
      throw new IllegalArgumentException(
          "the published model '"
              + current.info().name()
              + "' is categorical but this sidecar learns a numeric model (--input-kind values)");
    }
    TrainingRound round = trainer.round((LstmModel) current, clock.instant());
    return new Round(
        round.model(),
        round.publish(),
        round.decision().reason().name().toLowerCase(java.util.Locale.ROOT),
        round.metrics());
  }
}
