package io.flinklstm.sidecar;

import io.flinklstm.model.SequenceModel;
import java.util.Map;

/**
 * What the sidecar needs of training: it hands over every valid event, and when a round is due asks
 * for a candidate trained from the current model and the gate's verdict on it. Never called from
 * two threads at once.
 */
public interface Learner {

  /**
   * Takes one event into the training sample.
   *
   * @throws IllegalArgumentException if the values do not fit the sample (for instance another
   *     number of values than the model takes); the sidecar skips and counts such events
   */
  void observe(String key, long ts, float[] values);

  /**
   * Takes one symbol event into the training sample; a learner of a numeric model refuses it.
   *
   * @throws IllegalArgumentException if this learner does not learn from symbols; the sidecar skips
   *     and counts such events
   */
  default void observeSymbol(String key, long ts, String symbol) {
    throw new IllegalArgumentException("this sidecar learns a numeric model, not symbols");
  }

  /**
   * Tells the learner that the job flagged the key's event at {@code ts}, so training leaves
   * windows holding it out; a learner that does not use this ignores it.
   */
  default void observeFlagged(String key, long ts) {}

  /**
   * Tells the learner an analyst's verdict on the key's event at {@code ts}: {@code confirmed}, an
   * anomaly whose windows training must never learn; otherwise a false positive, which training
   * learns as any other event even if the job flagged it. A learner that does not use this ignores
   * it.
   */
  default void observeVerdict(String key, long ts, boolean confirmed) {}

  /**
   * Trains a candidate, warm-started from {@code current} (null: from scratch), and judges it on
   * held-out data against {@code current}.
   */
  Round train(SequenceModel current) throws InterruptedException;

  /**
   * One training round's outcome.
   *
   * @param candidate the trained model (its info is provisional; the sidecar assigns the version)
   * @param publish the gate's verdict
   * @param reason why, in a few words
   * @param metrics what training reported (losses, steps), written into the model's header
   */
  record Round(
      SequenceModel candidate, boolean publish, String reason, Map<String, Double> metrics) {}
}
