package io.flinklstm.train;

import io.flinklstm.model.LstmModel;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the training sidecar needs, behind two calls: {@link #observe} every event's values
 * into a bounded {@link SequenceStore}, and on schedule run a {@link #round}: snapshot the store,
 * split it ({@link TrainingData}), train from the current model ({@link Trainer#trainFrom}, or from
 * scratch when there is none), and let the {@link PromotionGate} judge the candidate against the
 * current model on the held-out recent data.
 *
 * <p>Each round samples with its own seed (the configured seed plus the round number), so rounds
 * over unchanged data still see different windows, and a restarted sidecar replays the same
 * sequence. {@link #observe} may run on a consumer thread while a round runs on another: the store
 * is thread-safe and a round trains on a snapshot. Rounds themselves are not concurrent.
 */
public final class ContinualTrainer {
  private final String name;
  private final TrainerConfig config;
  private final SequenceStore store;
  private final PromotionGate gate;
  private long rounds;

  /**
   * @param name the model name, for a model trained from scratch
   * @param store the sample of the stream, filled by {@link #observe}
   * @param config training settings; its seed is the first round's
   * @param gate the promotion rule
   */
  public ContinualTrainer(
      String name, SequenceStore store, TrainerConfig config, PromotionGate gate) {
    this.name = Objects.requireNonNull(name, "name");
    this.store = Objects.requireNonNull(store, "store");
    this.config = Objects.requireNonNull(config, "config");
    this.gate = Objects.requireNonNull(gate, "gate");
  }

  /**
   * Adds one event's raw values for a key; false when it was skipped as older than the key's last.
   *
   * @throws IllegalArgumentException if the values do not fit the store (wrong length, not finite)
   */
  public boolean observe(String key, long ts, float[] values) {
    return store.append(key, ts, values);
  }

  public SequenceStore store() {
    return store;
  }

  /**
   * One training round.
   *
   * @param current the model in service, or null to train the first one
   * @param created the new model's creation time
   * @throws InterruptedException if the thread is interrupted while training
   * @throws IllegalArgumentException if the current model takes another number of values per step
   *     than the store holds
   */
  public TrainingRound round(LstmModel current, Instant created) throws InterruptedException {
    long seed = config.seed() + rounds++;
    TrainerConfig roundConfig = config.toBuilder().seed(seed).build();
    TrainingData data = TrainingData.split(store.snapshot(), roundConfig);
    if (data.trainingWindows() == 0) {
      return new TrainingRound(noData(current, data), null);
    }
    Trainer trainer = new Trainer(roundConfig);
    // A model for other inputs (other time inputs after a restart with other settings, say) is
    // replaced by a fresh one, one version up.
    Candidate candidate =
        current == null
            ? trainer.trainFresh(data, name, created, TrainingListener.NONE)
            : Trainer.canTrainFrom(current, data.data())
                ? trainer.trainFrom(current, data, created, TrainingListener.NONE)
                : trainer.trainFresh(
                    data, current.info().next(created, Map.of()), TrainingListener.NONE);
    return new TrainingRound(gate.decide(candidate, current, data), candidate);
  }

  private PromotionDecision noData(LstmModel current, TrainingData data) {
    long currentVersion = current == null ? 0 : current.info().version();
    return new PromotionDecision(
        false,
        PromotionDecision.Reason.NO_TRAINING_DATA,
        current == null ? name : current.info().name(),
        currentVersion + 1,
        currentVersion,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        0,
        0,
        gate.margin(),
        gate.naiveMargin(),
        data.validationWindows(),
        null);
  }
}
