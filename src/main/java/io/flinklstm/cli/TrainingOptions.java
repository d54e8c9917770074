package io.flinklstm.cli;

import io.flinklstm.train.TrainerConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The training settings shared by {@code flink-lstm train} and {@code flink-lstm sidecar}: the
 * shape of a fresh model, the windows, the optimiser and the hold-out.
 */
final class TrainingOptions {

  @Spec(Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec mixee;

  @Option(
      names = "--hidden",
      paramLabel = "H",
      defaultValue = "64",
      description = "Hidden size of each layer of a fresh model (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(
      names = "--layers",
      paramLabel = "L",
      defaultValue = "1",
      description = "Stacked LSTM layers of a fresh model (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(
      names = "--window",
      paramLabel = "W",
      defaultValue = "64",
      description = "Steps per training window: the truncated-BPTT length (default: 64).")
  int window;

  @Option(
      names = "--burn-in",
      paramLabel = "B",
      defaultValue = "16",
      description =
          "Steps run before each window to warm the state up, without loss (default: 16).")
  int burnIn;

  @Option(
      names = "--batch",
      paramLabel = "N",
      defaultValue = "64",
      description = "Windows per update (default: 64).")
  int batch;

  @Option(
      names = "--learning-rate",
      paramLabel = "LR",
      defaultValue = "1e-3",
      description = "Adam's step size (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--clip-norm",
      paramLabel = "C",
      defaultValue = "1.0",
      description = "Largest global gradient norm (default: ${DEFAULT-VALUE}).")
  double clipNorm;

  @Option(
      names = "--validation-fraction",
      paramLabel = "F",
      defaultValue = "0.2",
      description =
          "Share of each key's most recent values held out, in whole windows, at least one"
              + " (default: ${DEFAULT-VALUE}; 0 for none).")
  double validationFraction;

  @Option(
      names = "--max-validation-windows",
      paramLabel = "M",
      defaultValue = "512",
      description = "Cap on validation windows, evenly spaced (default: ${DEFAULT-VALUE}).")
  int maxValidationWindows;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "1",
      description =
          "Seed for initialisation and sampling; same seed and data, same model (default:"
              + " ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--backend",
      paramLabel = "B",
      defaultValue = "kernels",
      description =
          "Where the BPTT arithmetic runs: kernels (the model core's own, the faster; default)"
              + " or nd4j (tanh/sigmoid layers only).")
  TrainerConfig.Backend backend;

  /** A builder with these settings; the caller adds the length of training. */
  TrainerConfig.Builder builder() {
    return TrainerConfig.builder()
        .hiddenSize(hidden)
        .layers(layers)
        .window(window)
        .burnIn(burnIn)
        .batchSize(batch)
        .learningRate(learningRate)
        .clipNorm(clipNorm)
        .validationFraction(validationFraction)
        .maxValidationWindows(maxValidationWindows)
        .seed(seed)
        .backend(backend);
  }

  /** Refuses out-of-range values with a usage error naming the option. */
  void validate() {
    atLeast("--hidden", hidden, 1);
    atLeast("--layers", layers, 1);
    atLeast("--window", window, 1);
    atLeast("--burn-in", burnIn, 0);
    atLeast("--batch", batch, 1);
    atLeast("--max-validation-windows", maxValidationWindows, 1);
    positive("--learning-rate", learningRate);
    positive("--clip-norm", clipNorm);
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw usage("--validation-fraction must be in [0, 1), was " + validationFraction);
    }
  }

  private void atLeast(String option, long value, long min) {
    if (value < min) {
      throw usage(option + " must be at least " + min + ", was " + value);
    }
  }

  private void positive(String option, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw usage(option + " must be positive, was " + value);
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(mixee.commandLine(), message);
  }
}
