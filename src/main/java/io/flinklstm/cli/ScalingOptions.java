package io.flinklstm.cli;

import io.flinklstm.model.InputScaling;
import picocli.CommandLine.Option;

/**
 * How the models a command trains scale each key's values ({@link InputScaling}); shared by {@code
 * sidecar}, {@code train}, {@code evaluate} and {@code demo}, with {@link InputScaling#DEFAULT}'s
 * settings as defaults. The job takes the scaling from each model it serves.
 */
final class ScalingOptions {
  private static final InputScaling DEFAULTS = InputScaling.DEFAULT;

  @Option(
      names = "--scaling",
      paramLabel = "per-key|none",
      description =
          "How each key's values are scaled before the model: per-key standardises them by the"
              + " key's own statistics, learnt online from its first events, so keys of unlike"
              + " scales share a model; none leaves them to the model's own normalisation"
              + " (default: per-key).")
  String kind = InputScaling.Kind.PER_KEY.id();

  @Option(
      names = "--scaling-learn-events",
      description =
          "A key's first this many values give its mean and deviation (default: ${DEFAULT-VALUE}).")
  int learnEvents = DEFAULTS.learnEvents();

  @Option(
      names = "--scaling-adapt-events",
      description =
          "After those, the memory, in events, with which a key's statistics follow slow changes;"
              + " outliers are pulled in to 4 deviations first; 0 freezes them (default:"
              + " ${DEFAULT-VALUE}).")
  int adaptEvents = DEFAULTS.adaptEvents();

  @Option(
      names = "--scaling-clip",
      description = "Scaled values are clipped to +-this (default: ${DEFAULT-VALUE}).")
  double clip = DEFAULTS.clip();

  /** The scaling these options describe; fails naming the option when one is out of range. */
  InputScaling scaling() {
    InputScaling.Kind k = InputScaling.Kind.parse(kind);
    return k == InputScaling.Kind.NONE
        ? InputScaling.NONE
        : InputScaling.perKey(learnEvents, adaptEvents, clip);
  }
}
