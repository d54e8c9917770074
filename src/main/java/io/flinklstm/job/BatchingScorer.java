package io.flinklstm.job;

import io.flinklstm.model.LstmState;
import io.flinklstm.wire.Event;
import io.flinklstm.wire.InvalidInputException;
import io.flinklstm.wire.ScoreRecord;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Histogram;

/**
 * The scoring logic of {@link ScoringOperator}, with its LSTM steps going through a {@link
 * StepBatch}. A score needs the key's state before its event, so the step that takes the event into
 * the state can wait: the steps of up to {@link #MAX_BATCH} different keys are taken together by
 * the model's batched step, before the key's next event ({@link #takeStepsOf}), a model update,
 * each checkpoint barrier and the end of input ({@link #flush}). Outputs and per-key order are
 * unchanged by this; the state a checkpoint holds has every step of the events before the barrier.
 *
 * <p>The states in the batch are the keys' own objects, stepped in place. Where the state backend
 * hands out copies (not the heap backend), the stepped states are written back under their keys,
 * which moves the operator's current key for a moment. One instance per operator; not thread-safe.
 */
final class BatchingScorer extends KeyScorer {
  /** The most keys stepped together. */
  static final int MAX_BATCH = 64;

  private final ScoringOperator operator;
  private final ValueState<KeyState> keyState;
  private final boolean writeBack;
  private final Histogram batchedStepNanos;
  private final AllocationSampler batchedStepAllocation;
  private final StepBatch batch = new StepBatch(MAX_BATCH);

  /** The state of the key whose event is being scored, for the steps it defers. */
  private KeyState scoring;

  /** Whether the key in context has a step in the batch (other keys are checked by the batch). */
  private boolean keyInBatch;

  /**
   * @param operator the key context, and the batched step ({@link ScoringOperator#advance})
   * @param writeBack whether stepped states must be written back to {@code keyState}
   */
  BatchingScorer(
      ScoringConfig config,
      ScoringOperator operator,
      ValueState<KeyState> keyState,
      boolean writeBack,
      Histogram batchedStepNanos,
      AllocationSampler batchedStepAllocation) {
    super(config);
    this.operator = operator;
    this.keyState = keyState;
    this.writeBack = writeBack;
    this.batchedStepNanos = batchedStepNanos;
    this.batchedStepAllocation = batchedStepAllocation;
  }

  @Override
  ScoreRecord score(Event event, KeyState state, ServedModel served) throws InvalidInputException {
    scoring = state;
    try {
      return super.score(event, state, served);
    } finally {
      scoring = null;
    }
  }

  /** Before a key's state is read: takes the waiting steps if one of them is that key's. */
  void takeStepsOf(Object key) throws Exception {
    if (batch.holds(key)) {
      flush();
    }
    keyInBatch = false;
  }

  /** Takes every waiting step, and stores the stepped states where the backend holds copies. */
  void flush() throws Exception {
    keyInBatch = false;
    if (batch.isEmpty()) {
      return;
    }
    long allocated = batchedStepAllocation.start();
    long start = System.nanoTime();
    operator.advance(batch.stepper(), batch.states(), batch.inputs(), batch.size());
    batchedStepNanos.update((System.nanoTime() - start) / batch.size());
    batchedStepAllocation.stop(allocated, batch.size());
    if (writeBack) {
      Object current = operator.getCurrentKey();
      for (int i = 0; i < batch.size(); i++) {
        operator.setCurrentKey(batch.key(i));
        keyState.update(batch.owner(i));
      }
      if (current != null) {
        operator.setCurrentKey(current);
      }
    }
    batch.clear();
  }

  @Override
  float[] predict(ServedModel served, LstmState lstm) {
    // A key's state is read again within one event (re-warming, held events): step it first.
    if (keyInBatch) {
      flushOrFail();
    }
    return super.predict(served, lstm);
  }

  @Override
  void advance(ServedModel served, LstmState lstm, float[] normalizedInput) {
    if (keyInBatch || !batch.accepts(served.stepper)) {
      flushOrFail();
    }
    batch.add(operator.getCurrentKey(), scoring, served.stepper, lstm, normalizedInput);
    keyInBatch = true;
  }

  private void flushOrFail() {
    try {
      flush();
    } catch (Exception e) {
      throw new IllegalStateException("could not store the stepped key states", e);
    }
  }
}
