package io.flinklstm.train;

import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.bptt.Bptt;
import io.flinklstm.model.bptt.Parameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Trains a {@link CategoricalModel} on sequences of symbol ids by truncated BPTT with Adam, on the
 * cross-entropy of the next symbol.
 *
 * <p>Each of {@link TrainerConfig#steps()} updates draws N windows of {@code burnIn + window + 1}
 * consecutive ids (a sequence chosen with probability proportional to its number of windows, then a
 * uniform start): the burn-in runs forward from a zero state without gradient, the window runs
 * forward and back with target t + 1 at step t, the gradients (the embedding's included) are
 * clipped by their global norm and Adam updates every parameter. Non-finite updates are skipped.
 * Uses {@link TrainerConfig}'s window geometry, batch size, steps, optimiser settings and seed; the
 * architecture comes from the initial model. Deterministic for a given seed and data.
 */
public final class CategoricalTrainer {
  private static final double SMOOTHING = 0.02;

  private final TrainerConfig config;

  /**
   * @throws IllegalArgumentException if the configuration asks for the ND4J backend, which trains
   *     numeric models only
   */
  public CategoricalTrainer(TrainerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    if (config.backend() != TrainerConfig.Backend.KERNELS) {
      throw new IllegalArgumentException(
          "--backend " + config.backend() + " trains numeric models only; use kernels");
    }
  }

  /**
   * The outcome of a run.
   *
   * @param trainLoss the mean cross-entropy of the last tenth of the updates, in nats
   */
  public record Result(CategoricalModel model, double trainLoss, long skippedSteps) {}

  /**
   * Trains on from {@code initial} (fresh from {@link CategoricalInitializer} or a parent); the
   * result keeps the initial model's info and vocabulary.
   *
   * @param sequences symbol ids in [0, V), each a key's events in order
   * @throws IllegalArgumentException if no sequence is long enough for one window
   */
  public Result train(CategoricalModel initial, List<int[]> sequences, TrainingListener listener)
      throws InterruptedException {
    int span = config.burnIn() + config.window() + 1;
    List<int[]> usable = new ArrayList<>();
    long[] cumulative = new long[sequences.size()];
    long windows = 0;
    for (int[] sequence : sequences) {
      if (sequence.length >= span) {
        windows += sequence.length - span + 1;
        cumulative[usable.size()] = windows;
        usable.add(sequence);
      }
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException(
          "no sequence holds a window: one needs burn-in + window + 1 = " + span + " symbols");
    }
    Parameters params = Parameters.of(initial);
    Parameters grads = params.zerosLike();
    Bptt bptt = new Bptt(params);
    Adam adam =
        new Adam(params, config.learningRate(), config.beta1(), config.beta2(), config.epsilon());
    int n = config.batchSize();
    int[][] burnIn = new int[n][config.burnIn()];
    int[][] inputs = new int[n][config.window()];
    int[][] targets = new int[n][config.window()];
    LstmState[] states = new LstmState[n];
    for (int s = 0; s < n; s++) {
      states[s] = initial.newState();
    }
    SplittableRandom random = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
    long total = config.steps();
    long tail = Math.max(1, total / 10);
    double tailSum = 0;
    long tailCount = 0;
    long skipped = 0;
    double smoothed = Double.NaN;
    long started = System.nanoTime();
    for (long step = 1; step <= total; step++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("training stopped after " + (step - 1) + " of " + total);
      }
      for (int s = 0; s < n; s++) {
        long pick = random.nextLong(windows);
        int which = 0;
        while (cumulative[which] <= pick) {
          which++;
        }
        int[] sequence = usable.get(which);
        int start = (int) (pick - (which == 0 ? 0 : cumulative[which - 1]));
        System.arraycopy(sequence, start, burnIn[s], 0, config.burnIn());
        System.arraycopy(sequence, start + config.burnIn(), inputs[s], 0, config.window());
        System.arraycopy(sequence, start + config.burnIn() + 1, targets[s], 0, config.window());
        states[s].reset();
      }
      if (config.burnIn() > 0) {
        bptt.advance(burnIn, states);
      }
      double loss = bptt.forward(inputs, targets, states);
      grads.clear();
      bptt.backward(grads);
      double norm = GradientClipping.clipByGlobalNorm(grads, config.clipNorm());
      boolean applied = Double.isFinite(loss) && Double.isFinite(norm) && adam.step(params, grads);
      if (!applied) {
        skipped++;
      }
      if (Double.isFinite(loss)) {
        smoothed = Double.isNaN(smoothed) ? loss : smoothed + SMOOTHING * (loss - smoothed);
        if (step > total - tail) {
          tailSum += loss;
          tailCount++;
        }
      }
      listener.onStep(
          new TrainingProgress(
              step,
              total,
              loss,
              smoothed,
              norm,
              applied,
              skipped,
              System.nanoTime() - started,
              step * n * config.window()));
    }
    CategoricalModel trained = params.toCategoricalModel(initial.info(), initial.vocabulary());
    return new Result(trained, tailCount == 0 ? Double.NaN : tailSum / tailCount, skipped);
  }
}
