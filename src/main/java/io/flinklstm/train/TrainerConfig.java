package io.flinklstm.train;

/**
 * Every setting of a training run, validated once when built. Defaults are in {@link Builder}.
 *
 * <p>The architecture settings ({@code hiddenSize}, {@code layers}) apply to models trained from
 * scratch only; a warm start keeps its parent's architecture. The window geometry: every training
 * example is {@code burnIn + window + 1} consecutive values of one key; the model runs over the
 * first {@code burnIn} inputs from a zero state without loss or gradient, to reach a state like the
 * one a streaming key has, then over {@code window} inputs whose next values are the targets.
 *
 * @param hiddenSize H of every LSTM layer of a fresh model
 * @param layers stacked LSTM layers of a fresh model
 * @param window W, the steps of a window that carry loss and gradient (truncated BPTT length)
 * @param burnIn steps run before the window to warm the state up; no loss, no gradient
 * @param batchSize N, windows per update
 * @param steps optimiser updates to attempt
 * @param learningRate Adam's α
 * @param beta1 Adam's β₁
 * @param beta2 Adam's β₂
 * @param epsilon Adam's ε
 * @param clipNorm the largest global gradient norm; larger gradients are scaled down to it
 * @param validationFraction the share of each key's most recent values held out for validation
 * @param maxValidationWindows a cap on validation windows, to bound the cost of a validation
 * @param minStd the smallest standard deviation a fresh normaliser uses
 * @param seed for initialisation and sampling: equal seeds and data give equal models
 * @param backend where the BPTT arithmetic runs
 */
public record TrainerConfig(
    int hiddenSize,
    int layers,
    int window,
    int burnIn,
    int batchSize,
    long steps,
    double learningRate,
    double beta1,
    double beta2,
    double epsilon,
    double clipNorm,
    double validationFraction,
    int maxValidationWindows,
    double minStd,
    long seed,
    Backend backend) {

  /**
   * Where the BPTT arithmetic runs. {@code KERNELS}, the model core's own (Vector API where
   * enabled), is the default because it measures faster at the sizes this product trains (see
   * docs/benchmarks.md, section 3); {@code ND4J} batches each step's products through ND4J's BLAS
   * and supports tanh/sigmoid layers only.
   */
  public enum Backend {
    KERNELS,
    ND4J
  }

  public TrainerConfig {
    requireAtLeast("hidden size", hiddenSize, 1);
    requireAtLeast("layers", layers, 1);
    requireAtLeast("window", window, 1);
    requireAtLeast("burn-in", burnIn, 0);
    requireAtLeast("batch size", batchSize, 1);
    if (steps < 0) {
      throw new IllegalArgumentException("steps must be at least 0, was " + steps);
    }
    requirePositive("learning rate", learningRate);
    requireFraction("beta1", beta1);
    requireFraction("beta2", beta2);
    requirePositive("epsilon", epsilon);
    requirePositive("clip norm", clipNorm);
    requireFraction("validation fraction", validationFraction);
    requireAtLeast("max validation windows", maxValidationWindows, 1);
    requirePositive("min std", minStd);
    java.util.Objects.requireNonNull(backend, "backend");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder()
        .hiddenSize(hiddenSize)
        .layers(layers)
        .window(window)
        .burnIn(burnIn)
        .batchSize(batchSize)
        .steps(steps)
        .learningRate(learningRate)
        .beta1(beta1)
        .beta2(beta2)
        .epsilon(epsilon)
        .clipNorm(clipNorm)
        .validationFraction(validationFraction)
        .maxValidationWindows(maxValidationWindows)
        .minStd(minStd)
        .seed(seed)
        .backend(backend);
  }

  /**
   * Settings with defaults: Keras' and PyTorch's for Adam, a window as docs/benchmarks.md measures.
   */
  public static final class Builder {
    private int hiddenSize = 64;
    private int layers = 1;
    private int window = 64;
    private int burnIn = 16;
    private int batchSize = 64;
    private long steps = 1000;
    private double learningRate = 1e-3;
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double epsilon = 1e-8;
    private double clipNorm = 1.0;
    private double validationFraction = 0.2;
    private int maxValidationWindows = 512;
    private double minStd = 1e-6;
    private long seed = 1;
    private Backend backend = Backend.KERNELS;

    public Builder hiddenSize(int v) {
      hiddenSize = v;
      return this;
    }

    public Builder layers(int v) {
      layers = v;
      return this;
    }

    public Builder window(int v) {
      window = v;
      return this;
    }

    public Builder burnIn(int v) {
      burnIn = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder steps(long v) {
      steps = v;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder beta1(double v) {
      beta1 = v;
      return this;
    }

    public Builder beta2(double v) {
      beta2 = v;
      return this;
    }

    public Builder epsilon(double v) {
      epsilon = v;
      return this;
    }

    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    public Builder validationFraction(double v) {
      validationFraction = v;
      return this;
    }

    public Builder maxValidationWindows(int v) {
      maxValidationWindows = v;
      return this;
    }

    public Builder minStd(double v) {
      minStd = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder backend(Backend v) {
      backend = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first setting out of range and its value
     */
    public TrainerConfig build() {
      return new TrainerConfig(
          hiddenSize,
          layers,
          window,
          burnIn,
          batchSize,
          steps,
          learningRate,
          beta1,
          beta2,
          epsilon,
          clipNorm,
          validationFraction,
          maxValidationWindows,
          minStd,
          seed,
          backend);
    }
  }

  static void requireAtLeast(String name, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min + ", was " + value);
    }
  }

  static void requirePositive(String name, double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be positive and finite, was " + value);
    }
  }

  /** In [0, 1). */
  static void requireFraction(String name, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), was " + value);
    }
  }
}
