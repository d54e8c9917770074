package io.flinklstm.train;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import io.flinklstm.model.bptt.Parameters;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a model on a {@link TrainingData} by truncated BPTT over sampled windows with Adam, and
 * returns it as a {@link Candidate} for the {@link PromotionGate}.
 *
 * <p>Each of {@link TrainerConfig#steps()} updates draws N windows ({@link WindowSampler}) and runs
 * one {@link TrainingStep}: burn-in forward, window forward and back, global-norm clipping, Adam.
 * Updates whose loss, gradient or result is not finite are skipped, so the weights stay finite.
 *
 * <ul>
 *   <li>{@link #trainFresh}: weights from {@link Initializer}, a normaliser fitted on the training
 *       part ({@link NormalizerFit}), version 1 of a new name.
 *   <li>{@link #trainFrom}: the parent's weights, architecture and normaliser; version parent + 1
 *       with the parent's version recorded. The normaliser is kept because the parent's weights are
 *       only meaningful in its units; a drift in the data's scale is something the weights learn,
 *       or a reason to train from scratch. When the data is scaled otherwise than the parent
 *       expects (a parent from before per-key scaling), the normaliser is fitted afresh instead.
 * </ul>
 *
 * <p>The candidate expects its values scaled as the data was ({@link SequenceSet#scaling()}).
 *
 * <p>The candidate's metrics are {@code train_loss}, {@code val_loss} and {@code baseline_val_loss}
 * (predicting the last value), when finite. Everything is deterministic for a given seed and data.
 * The run stops with {@link InterruptedException} when its thread is interrupted, between updates.
 */
public final class Trainer {
  /** Weight of the newest loss in {@link TrainingProgress#smoothedLoss()}. */
  private static final double SMOOTHING = 0.02;

  private final TrainerConfig config;

  public Trainer(TrainerConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Trains a new model, version 1 of {@code name}.
   *
   * @throws IllegalArgumentException if the data has no training window
   */
  public Candidate trainFresh(
      TrainingData data, String name, Instant created, TrainingListener listener)
      throws InterruptedException {
    return trainFresh(data, ModelInfo.first(name, created), listener);
  }

  /**
   * Trains a new model from fresh weights under {@code info} (a model that replaces one for other
   * inputs keeps its name and takes the next version).
   *
   * @throws IllegalArgumentException if the data has no training window
   */
  public Candidate trainFresh(TrainingData data, ModelInfo info, TrainingListener listener)
      throws InterruptedException {
    requireWindows(data);
    Normalizer normalizer = NormalizerFit.fit(data, config.minStd());
    LstmModel initial =
        Initializer.fresh(
            info,
            normalizer,
            data.data().time(),
            config.hiddenSize(),
            config.layers(),
            config.seed());
    return train(Parameters.of(initial), info, normalizer, data, listener, false);
  }

  /**
   * Trains on from {@code parent}: the next version of its name.
   *
   * @throws IllegalArgumentException if the data has no training window, another input size or
   *     other time inputs ({@link #canTrainFrom})
   */
  public Candidate trainFrom(
      LstmModel parent, TrainingData data, Instant created, TrainingListener listener)
      throws InterruptedException {
    requireWindows(data);
    if (parent.inputSize() != data.valueSize()) {
      throw new IllegalArgumentException(
          "the parent model takes "
              + parent.inputSize()
              + " values per step but the data has "
              + data.valueSize());
    }
    if (!parent.time().equals(data.data().time())) {
      throw new IllegalArgumentException(
          "the parent model takes time inputs "
              + parent.time()
              + " but the data has "
              + data.data().time());
    }
    ModelInfo info = parent.info().next(created, Map.of());
    Normalizer normalizer =
        parent.scaling().equals(data.data().scaling())
            ? parent.normalizer()
            : NormalizerFit.fit(data, config.minStd());
    return train(Parameters.of(parent), info, normalizer, data, listener, true);
  }

  /**
   * Whether {@link #trainFrom} can continue {@code parent} on {@code data}: the same values per
   * step and the same time inputs. A model trained for other inputs is replaced by a fresh one.
   */
  public static boolean canTrainFrom(LstmModel parent, SequenceSet data) {
    return parent.inputSize() == data.valueSize() && parent.time().equals(data.time());
  }

  private Candidate train(
      Parameters params,
      ModelInfo info,
      Normalizer normalizer,
      TrainingData data,
      TrainingListener listener,
      boolean warmStart)
      throws InterruptedException {
    long started = System.nanoTime();
    // A seed of its own for sampling, so that changing the architecture does not change the data.
    WindowSampler sampler = new WindowSampler(data, normalizer, config.seed() ^ 0x5DEECE66DL);
    WindowBatch batch =
        new WindowBatch(config.batchSize(), data.burnIn(), data.window(), data.inputSize());
    TrainingStep step = new TrainingStep(params, config);
    long total = config.steps();
    long tail = Math.max(1, total / 10);
    long skipped = 0;
    double tailSum = 0;
    long tailCount = 0;
    double smoothed = Double.NaN;
    long perStep = (long) config.batchSize() * data.window();
    for (long s = 1; s <= total; s++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("training stopped after " + (s - 1) + " of " + total);
      }
      sampler.next(batch);
      TrainingStep.Result r = step.run(batch);
      if (!r.applied()) {
        skipped++;
      }
      if (Double.isFinite(r.loss())) {
        smoothed = Double.isNaN(smoothed) ? r.loss() : smoothed + SMOOTHING * (r.loss() - smoothed);
        if (s > total - tail) {
          tailSum += r.loss();
          tailCount++;
        }
      }
      listener.onStep(
          new TrainingProgress(
              s,
              total,
              r.loss(),
              smoothed,
              r.gradientNorm(),
              r.applied(),
              skipped,
              System.nanoTime() - started,
              s * perStep));
    }
    double trainLoss = tailCount == 0 ? Double.NaN : tailSum / tailCount;
    LstmModel model = params.toModel(info, normalizer, data.data().scaling(), data.data().time());
    double valLoss = Evaluator.validationLoss(model, data);
    double baseline = Evaluator.lastValueLoss(data, normalizer);
    Map<String, Double> metrics = new LinkedHashMap<>();
    putIfFinite(metrics, "train_loss", trainLoss);
    putIfFinite(metrics, "val_loss", valLoss);
    putIfFinite(metrics, "baseline_val_loss", baseline);
    ModelInfo withMetrics =
        new ModelInfo(info.name(), info.version(), info.created(), info.parentVersion(), metrics);
    TrainingReport report =
        new TrainingReport(
            total,
            skipped,
            trainLoss,
            valLoss,
            baseline,
            total * perStep,
            Duration.ofNanos(System.nanoTime() - started),
            warmStart);
    return new Candidate(
        withMetrics, normalizer, data.data().scaling(), data.data().time(), params, report);
  }

  private static void requireWindows(TrainingData data) {
    if (data.trainingWindows() == 0) {
      throw new IllegalArgumentException(
          "no training windows in "
              + data.data().series().size()
              + " series: a window needs burn-in + window + 1 = "
              + (data.burnIn() + data.window() + 1)
              + " values before the validation part of its key");
    }
  }

  private static void putIfFinite(Map<String, Double> metrics, String name, double value) {
    if (Double.isFinite(value)) {
      metrics.put(name, value);
    }
  }
}
