package io.flinklstm.job;

import io.flinklstm.model.LstmState;
import io.flinklstm.model.kernel.Stepper;
import java.util.function.Supplier;
import org.apache.flink.metrics.Histogram;

/**
 * Steps deferred into a {@link StepBatch}. A score needs the key's state before its event, so the
 * step that takes the event into the state can wait: the steps of up to {@link #MAX_BATCH}
 * different keys are taken together by the kernel, before the key's next event ({@link
 * #takeStepsOf}), a model update, each checkpoint barrier and the end of input ({@link #flush}).
 * Outputs and per-key order are unchanged by this; the state a checkpoint holds has every step of
 * the events before the barrier.
 *
 * <p>The states in the batch are the objects the state backend handed out for the keys' events,
 * stepped in place and handed to the {@link WriteBack} after each batch: that is where a key whose
 * step waited is stored, once per event, whether the backend keeps objects (the heap) or serialised
 * copies (RocksDB, ForSt). One instance per operator; not thread-safe.
 */
final class BatchedSteps implements KeySteps {
  /** The most keys stepped together. */
  static final int MAX_BATCH = 64;

  /** Stores the stepped states of a batch under their keys. */
  @FunctionalInterface
  interface WriteBack {
    void store(StepBatch stepped) throws Exception;
  }

  private final Supplier<Object> currentKey;
  private final StepKernel kernel;
  private final WriteBack writeBack;
  private final Histogram batchedStepNanos;
  private final AllocationSampler batchedStepAllocation;
  private final StepBatch batch = new StepBatch(MAX_BATCH);

  /** Whether the key in context has a step in the batch (other keys are checked by the batch). */
  private boolean keyInBatch;

  /**
   * @param currentKey the key in context, the one being scored
   * @param kernel takes the batch's steps
   * @param writeBack stores the stepped states
   */
  BatchedSteps(
      Supplier<Object> currentKey,
      StepKernel kernel,
      WriteBack writeBack,
      Histogram batchedStepNanos,
      AllocationSampler batchedStepAllocation) {
    this.currentKey = currentKey;
    this.kernel = kernel;
    this.writeBack = writeBack;
    this.batchedStepNanos = batchedStepNanos;
    this.batchedStepAllocation = batchedStepAllocation;
  }

  /** Before a key's state is read: takes the waiting steps if one of them is that key's. */
  void takeStepsOf(Object key) throws Exception {
    if (batch.holds(key)) {
      flush();
    }
    keyInBatch = false;
  }

  /**
   * Whether the key in context has a step waiting: its state is stored when the batch is taken, so
   * whoever would store it now need not.
   */
  boolean waits() {
    return keyInBatch;
  }

  /** Takes every waiting step and stores the stepped states. */
  void flush() throws Exception {
    keyInBatch = false;
    if (batch.isEmpty()) {
      return;
    }
    long allocated = batchedStepAllocation.start();
    long start = System.nanoTime();
    kernel.advance(batch.stepper(), batch.states(), batch.inputs(), batch.size());
    batchedStepNanos.update((System.nanoTime() - start) / batch.size());
    batchedStepAllocation.stop(allocated, batch.size());
    writeBack.store(batch);
    batch.clear();
  }

  @Override
  public void settle() {
    // A key's state is read again within one event (re-warming, held events): step it first.
    if (keyInBatch) {
      flushOrFail();
    }
  }

  @Override
  public void step(KeyState owner, Stepper stepper, LstmState lstm, float[] normalizedInput) {
    if (keyInBatch || !batch.accepts(stepper)) {
      flushOrFail();
    }
    batch.add(currentKey.get(), owner, stepper, lstm, normalizedInput);
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
