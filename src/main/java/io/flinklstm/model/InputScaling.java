package io.flinklstm.model;

import java.util.Locale;

/**
 * How a numeric model expects each key's values to reach it, before its own normaliser: as they are
 * ({@link Kind#NONE}), or standardised by statistics of the key itself ({@link Kind#PER_KEY}, kept
 * by a {@link KeyScaler} per key).
 *
 * <p>One model serves keys whose scales differ by orders of magnitude (CPU percent beside network
 * bytes); a normaliser fitted to all of them at once leaves most keys almost constant. Per-key
 * scaling gives every key mean 0 and deviation 1 in the units the model sees, learnt online and
 * causally from the key's own first events, so the job (which scales each event before the model)
 * and the training sidecar (which scales the same events before training) derive the same
 * statistics from the same events.
 *
 * @param kind none or per key
 * @param learnEvents a key's first this many values give its mean and deviation exactly (with
 *     values beyond {@value KeyScaler#WINSOR} deviations of the running estimate pulled in, so an
 *     early outlier does not set the key's scale)
 * @param adaptEvents after those, the effective memory, in events, with which the statistics follow
 *     slow changes of the key (again with outliers pulled in, so an anomaly does not rescale its
 *     own key); 0 freezes them
 * @param clip scaled values are clipped to ±clip, so one wild value cannot saturate the model
 */
public record InputScaling(Kind kind, int learnEvents, int adaptEvents, double clip) {

  /** The two kinds, with the names the model file uses. */
  public enum Kind {
    /** Values reach the model's normaliser as they are. */
    NONE("none"),
    /** Values are first standardised by their key's own statistics. */
    PER_KEY("per-key");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    /**
     * @throws IllegalArgumentException naming the known kinds
     */
    public static Kind parse(String text) {
      for (Kind k : values()) {
        if (k.id.equals(text.toLowerCase(Locale.ROOT))) {
          return k;
        }
      }
      throw new IllegalArgumentException(
          "scaling '" + text + "' is unknown; expected 'per-key' or 'none'");
    }
  }

  /** Values as they are: the model's normaliser alone, as models before per-key scaling. */
  public static final InputScaling NONE = new InputScaling(Kind.NONE, 0, 0, 0);

  /**
   * Per key, learnt over a key's first 500 events, then following it with a memory of 5,000, values
   * clipped to ±10 deviations.
   */
  public static final InputScaling DEFAULT = perKey(500, 5000, 10);

  public InputScaling {
    if (kind == null) {
      throw new IllegalArgumentException("scaling kind must be given");
    }
    if (kind == Kind.NONE) {
      if (learnEvents != 0 || adaptEvents != 0 || clip != 0) {
        throw new IllegalArgumentException("scaling 'none' takes no settings");
      }
    } else {
      if (learnEvents < 2) {
        throw new IllegalArgumentException(
            "--scaling-learn-events must be at least 2, was " + learnEvents);
      }
      if (adaptEvents < 0) {
        throw new IllegalArgumentException(
            "--scaling-adapt-events must not be negative, was " + adaptEvents);
      }
      if (!(clip > 0) || !Double.isFinite(clip)) {
        throw new IllegalArgumentException(
            "--scaling-clip must be positive and finite, was " + clip);
      }
    }
  }

  /** Per-key scaling with these settings. */
  public static InputScaling perKey(int learnEvents, int adaptEvents, double clip) {
    return new InputScaling(Kind.PER_KEY, learnEvents, adaptEvents, clip);
  }

  public boolean perKey() {
    return kind == Kind.PER_KEY;
  }

  /** For messages and log lines, e.g. {@code per-key(learn=500, adapt=5000, clip=10.0)}. */
  @Override
  public String toString() {
    return perKey()
        ? "per-key(learn=" + learnEvents + ", adapt=" + adaptEvents + ", clip=" + clip + ")"
        : "none";
  }
}
