package io.flinklstm.local;

import io.flinklstm.model.SequenceModel;
import io.flinklstm.sidecar.ContinualLearner;
import io.flinklstm.sidecar.Learner;
import io.flinklstm.sidecar.RoundListener;
import io.flinklstm.sidecar.Sidecar;
import io.flinklstm.sidecar.SidecarConfig;
import io.flinklstm.train.ContinualTrainer;
import io.flinklstm.train.PromotionGate;
import io.flinklstm.train.SequenceStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/**
 * The training sidecar in this JVM: its loop runs on a thread of its own, and every round's outcome
 * is recorded, so a caller can wait for a round and see what became of it.
 */
public final class LocalSidecar implements AutoCloseable {
  private final Sidecar sidecar;
  private final Thread thread;
  private final List<RoundListener.Outcome> rounds = new ArrayList<>();
  private volatile Throwable failure;

  private LocalSidecar(Sidecar sidecar) {
    this.sidecar = sidecar;
    this.thread = new Thread(this::loop, "local-sidecar");
    this.thread.setDaemon(true);
  }

  /**
   * Connects a sidecar and starts its loop.
   *
   * @param roundGate a round trains only once this is true (polled); {@code () -> true} for no gate
   */
  static LocalSidecar start(
      SidecarConfig config, LocalPipelineConfig pipeline, BooleanSupplier roundGate)
      throws Exception {
    ContinualTrainer trainer =
        new ContinualTrainer(
            config.modelName(),
            new SequenceStore(
                pipeline.inputSize(),
                pipeline.stepsPerKey(),
                pipeline.maxStoredValues(),
                pipeline.scaling(),
                pipeline.time()),
            pipeline.trainer(),
            new PromotionGate(pipeline.gateMargin(), pipeline.naiveMargin()));
    return start(config, new ContinualLearner(trainer, Clock.systemUTC()), roundGate);
  }

  /** Connects a sidecar that trains with the given learner (numeric or categorical). */
  static LocalSidecar start(SidecarConfig config, Learner learner, BooleanSupplier roundGate)
      throws Exception {
    Sidecar sidecar = Sidecar.connect(config, learner, null);
    sidecar.holdRoundsUntil(roundGate);
    LocalSidecar local = new LocalSidecar(sidecar);
    sidecar.onRound(local::recordRound);
    local.thread.start();
    return local;
  }

  private void loop() {
    try {
      sidecar.run();
    } catch (Throwable t) {
      failure = t;
    }
  }

  private synchronized void recordRound(RoundListener.Outcome outcome) {
    rounds.add(outcome);
    notifyAll();
  }

  /** The outcomes of the rounds so far, oldest first. */
  public synchronized List<RoundListener.Outcome> rounds() {
    return List.copyOf(rounds);
  }

  /** The newest model published or started from; null before any. */
  public SequenceModel current() {
    return sidecar.current();
  }

  /**
   * Waits until {@code count} rounds have ended and returns the outcome of the last of them.
   *
   * @throws TimeoutException if they do not end in time
   * @throws IllegalStateException if the sidecar's loop ended with an error
   */
  public synchronized RoundListener.Outcome awaitRound(int count, Duration timeout)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (rounds.size() < count) {
      checkAlive();
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException(
            "training round " + count + " did not end within " + timeout + "; " + rounds.size());
      }
      wait(Math.max(1, Math.min(left / 1_000_000, 200)));
    }
    return rounds.get(count - 1);
  }

  /** Throws if the sidecar's loop has ended with an error. */
  public void checkAlive() {
    Throwable t = failure;
    if (t != null) {
      throw new IllegalStateException("the training sidecar failed: " + t, t);
    }
  }

  @Override
  public void close() throws InterruptedException {
    sidecar.stop();
    thread.join(30_000);
    sidecar.close();
  }
}
