package io.flinklstm.job;

import io.flinklstm.detect.DetectorConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the scoring operator treats events and models; validated when built, so a bad value fails at
 * start-up with the option's name.
 *
 * @param defaultModel the model that scores events naming none
 * @param models every model name the job serves, the default among them; events naming another go
 *     to dead letters as {@code unknown_model}
 * @param detector how errors become anomaly flags
 * @param swapPolicy what a new model version does to a key's state
 * @param latePolicy what an out-of-order event does
 * @param coldStartPolicy what events do that arrive before their model
 * @param maxPendingPerKey events held per key while their model is not there
 * @param rewarmWindow recent inputs remembered per key to re-warm its state under a new model
 * @param maxGap a key whose next event comes later than this starts a new sequence; zero disables
 * @param maxFutureSkew an event stamped further ahead of the job's clock (processing time) than
 *     this goes to dead letters as {@code future}, before it reaches its key; zero disables
 * @param maxBackwardJump a key whose next event is stamped earlier than its last one by more than
 *     this (its clock was reset, or an event from far in the future came between) starts a new
 *     sequence from it instead of having it treated as late; zero disables
 * @param stateTtl keys idle for longer than this are forgotten; zero keeps them forever
 * @param trustedKeys X.509-encoded Ed25519 public keys; when not empty, models must be signed by
 *     one
 * @param topG for categorical models, DeepLog's g: a symbol outside the model's g most likely
 *     predictions is flagged
 * @param minProbability for categorical models: a symbol the model gave a probability below this is
 *     flagged too (verdict {@code improbable}), even when it is among the g most likely; 0 leaves
 *     DeepLog's top-g rule alone
 * @param explanations whether scores explain themselves: a numeric one by each value's share of its
 *     error ({@code contributions}, {@code topChannel}), a symbol's by the symbols expected instead
 *     ({@code expected}); off, scores are smaller by about 10 bytes per value
 */
public record ScoringConfig(
    String defaultModel,
    Set<String> models,
    DetectorConfig detector,
    SwapPolicy swapPolicy,
    LatePolicy latePolicy,
    ColdStartPolicy coldStartPolicy,
    int maxPendingPerKey,
    int rewarmWindow,
    Duration maxGap,
    Duration maxFutureSkew,
    Duration maxBackwardJump,
    Duration stateTtl,
    List<byte[]> trustedKeys,
    int topG,
    double minProbability,
    boolean explanations)
    implements Serializable {

  /** DeepLog's choice of g (Du et al., 2017), for vocabularies of a few dozen log keys. */
  public static final int DEFAULT_TOP_G = 9;

  public ScoringConfig {
    Objects.requireNonNull(defaultModel, "defaultModel");
    if (defaultModel.isBlank()) {
      throw new IllegalArgumentException("--default-model must not be blank");
    }
    Set<String> served = new LinkedHashSet<>();
    served.add(defaultModel);
    for (String name : models) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("--models must not name a blank model");
      }
      served.add(name);
    }
    models = Set.copyOf(served);
    Objects.requireNonNull(detector, "detector");
    Objects.requireNonNull(swapPolicy, "swapPolicy");
    Objects.requireNonNull(latePolicy, "latePolicy");
    Objects.requireNonNull(coldStartPolicy, "coldStartPolicy");
    if (maxPendingPerKey < 0) {
      throw new IllegalArgumentException(
          "--max-pending-per-key must not be negative, was " + maxPendingPerKey);
    }
    if (rewarmWindow < 0 || rewarmWindow > 10_000) {
      throw new IllegalArgumentException(
          "--rewarm-window must lie in [0, 10000], was " + rewarmWindow);
    }
    if (maxGap.isNegative()) {
      throw new IllegalArgumentException("--max-gap must not be negative, was " + maxGap);
    }
    if (maxFutureSkew.isNegative()) {
      throw new IllegalArgumentException(
          "--max-future-skew must not be negative, was " + maxFutureSkew);
    }
    if (maxBackwardJump.isNegative()) {
      throw new IllegalArgumentException(
          "--max-backward-jump must not be negative, was " + maxBackwardJump);
    }
    if (stateTtl.isNegative()) {
      throw new IllegalArgumentException("--state-ttl must not be negative, was " + stateTtl);
    }
    trustedKeys = List.copyOf(trustedKeys);
    if (topG < 1) {
      throw new IllegalArgumentException("--top-g must be at least 1, was " + topG);
    }
    if (!(minProbability >= 0 && minProbability < 1)) {
      throw new IllegalArgumentException(
          "--min-probability must lie in [0, 1), was " + minProbability);
    }
  }

  /** The defaults, serving one model of the given name. */
  public static Builder builder(String defaultModel) {
    return new Builder(defaultModel);
  }

  public static ScoringConfig defaults(String defaultModel) {
    return builder(defaultModel).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder(defaultModel);
    b.models = new ArrayList<>(models);
    b.detector = detector;
    b.swapPolicy = swapPolicy;
    b.latePolicy = latePolicy;
    b.coldStartPolicy = coldStartPolicy;
    b.maxPendingPerKey = maxPendingPerKey;
    b.rewarmWindow = rewarmWindow;
    b.maxGap = maxGap;
    b.maxFutureSkew = maxFutureSkew;
    b.maxBackwardJump = maxBackwardJump;
    b.stateTtl = stateTtl;
    b.trustedKeys = trustedKeys;
    b.topG = topG;
    b.minProbability = minProbability;
    b.explanations = explanations;
    return b;
  }

  /** Builds a {@link ScoringConfig}; unset fields keep their defaults. */
  public static final class Builder {
    private final String defaultModel;
    private List<String> models = List.of();
    private DetectorConfig detector = DetectorConfig.DEFAULTS;
    private SwapPolicy swapPolicy = SwapPolicy.REWARM;
    private LatePolicy latePolicy = LatePolicy.DEAD_LETTER;
    private ColdStartPolicy coldStartPolicy = ColdStartPolicy.NAIVE;
    private int maxPendingPerKey = 1000;
    private int rewarmWindow = 16;
    private Duration maxGap = Duration.ZERO;
    private Duration maxFutureSkew = Duration.ofDays(1);
    private Duration maxBackwardJump = Duration.ofHours(1);
    private Duration stateTtl = Duration.ZERO;
    private List<byte[]> trustedKeys = List.of();
    private int topG = DEFAULT_TOP_G;
    private double minProbability;
    private boolean explanations = true;

    private Builder(String defaultModel) {
      this.defaultModel = defaultModel;
    }

    public Builder models(List<String> names) {
      this.models = names;
      return this;
    }

    public Builder detector(DetectorConfig config) {
      this.detector = config;
      return this;
    }

    public Builder swapPolicy(SwapPolicy policy) {
      this.swapPolicy = policy;
      return this;
    }

    public Builder latePolicy(LatePolicy policy) {
      this.latePolicy = policy;
      return this;
    }

    public Builder coldStart(ColdStartPolicy policy, int maxPending) {
      this.coldStartPolicy = policy;
      this.maxPendingPerKey = maxPending;
      return this;
    }

    public Builder rewarmWindow(int events) {
      this.rewarmWindow = events;
      return this;
    }

    public Builder time(Duration newMaxGap, Duration newStateTtl) {
      this.maxGap = newMaxGap;
      this.stateTtl = newStateTtl;
      return this;
    }

    /** Events stamped further ahead of the job's clock go to dead letters; zero disables. */
    public Builder maxFutureSkew(Duration skew) {
      this.maxFutureSkew = skew;
      return this;
    }

    /** A backward jump in a key's times beyond this restarts its sequence; zero disables. */
    public Builder maxBackwardJump(Duration jump) {
      this.maxBackwardJump = jump;
      return this;
    }

    public Builder trustedKeys(List<byte[]> keys) {
      this.trustedKeys = keys;
      return this;
    }

    /** DeepLog's g for categorical models. */
    public Builder topG(int g) {
      this.topG = g;
      return this;
    }

    /** The probability below which a symbol is flagged even among the top g; 0 for none. */
    public Builder explanations(boolean on) {
      this.explanations = on;
      return this;
    }

    public Builder minProbability(double p) {
      this.minProbability = p;
      return this;
    }

    public ScoringConfig build() {
      return new ScoringConfig(
          defaultModel,
          Set.copyOf(models),
          detector,
          swapPolicy,
          latePolicy,
          coldStartPolicy,
          maxPendingPerKey,
          rewarmWindow,
          maxGap,
          maxFutureSkew,
          maxBackwardJump,
          stateTtl,
          trustedKeys,
          topG,
          minProbability,
          explanations);
    }
  }
}
