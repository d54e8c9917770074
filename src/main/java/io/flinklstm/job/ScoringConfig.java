package io.flinklstm.job;

import io.flinklstm.detect.DetectorConfig;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the scoring operator treats events and models; validated when built, so a bad value fails at
 * start-up with the option's name.
 *
 * @param defaultModel the model that scores events naming none
 * @param detector how errors become anomaly flags
 * @param swapPolicy what a new model version does to a key's state
 * @param latePolicy what an out-of-order event does
 * @param coldStartPolicy what events before any model do
 * @param maxPendingPerKey events held per key while no model is available
 * @param rewarmWindow recent inputs remembered per key to re-warm its state under a new model
 * @param maxGap a key whose next event comes later than this starts a new sequence; zero disables
 * @param stateTtl keys idle for longer than this are forgotten; zero keeps them forever
 * @param trustedKeys X.509-encoded Ed25519 public keys; when not empty, models must be signed by
 *     one
 */
public record ScoringConfig(
    String defaultModel,
    DetectorConfig detector,
    SwapPolicy swapPolicy,
    LatePolicy latePolicy,
    ColdStartPolicy coldStartPolicy,
    int maxPendingPerKey,
    int rewarmWindow,
    Duration maxGap,
    Duration stateTtl,
    List<byte[]> trustedKeys)
    implements Serializable {

  public ScoringConfig {
    Objects.requireNonNull(defaultModel, "defaultModel");
    if (defaultModel.isBlank()) {
      throw new IllegalArgumentException("--default-model must not be blank");
    }
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
    if (stateTtl.isNegative()) {
      throw new IllegalArgumentException("--state-ttl must not be negative, was " + stateTtl);
    }
    trustedKeys = List.copyOf(trustedKeys);
  }

  /** Defaults for the given model name. */
  public static ScoringConfig defaults(String defaultModel) {
    return new ScoringConfig(
        defaultModel,
        DetectorConfig.DEFAULTS,
        SwapPolicy.REWARM,
        LatePolicy.DEAD_LETTER,
        ColdStartPolicy.BUFFER,
        1000,
        16,
        Duration.ZERO,
        Duration.ZERO,
        List.of());
  }

  public ScoringConfig withSwapPolicy(SwapPolicy policy) {
    return new ScoringConfig(
        defaultModel,
        detector,
        policy,
        latePolicy,
        coldStartPolicy,
        maxPendingPerKey,
        rewarmWindow,
        maxGap,
        stateTtl,
        trustedKeys);
  }

  public ScoringConfig withLatePolicy(LatePolicy policy) {
    return new ScoringConfig(
        defaultModel,
        detector,
        swapPolicy,
        policy,
        coldStartPolicy,
        maxPendingPerKey,
        rewarmWindow,
        maxGap,
        stateTtl,
        trustedKeys);
  }

  public ScoringConfig withColdStart(ColdStartPolicy policy, int maxPending) {
    return new ScoringConfig(
        defaultModel,
        detector,
        swapPolicy,
        latePolicy,
        policy,
        maxPending,
        rewarmWindow,
        maxGap,
        stateTtl,
        trustedKeys);
  }

  public ScoringConfig withTime(Duration newMaxGap, Duration newStateTtl) {
    return new ScoringConfig(
        defaultModel,
        detector,
        swapPolicy,
        latePolicy,
        coldStartPolicy,
        maxPendingPerKey,
        rewarmWindow,
        newMaxGap,
        newStateTtl,
        trustedKeys);
  }

  public ScoringConfig withDetector(DetectorConfig newDetector) {
    return new ScoringConfig(
        defaultModel,
        newDetector,
        swapPolicy,
        latePolicy,
        coldStartPolicy,
        maxPendingPerKey,
        rewarmWindow,
        maxGap,
        stateTtl,
        trustedKeys);
  }

  public ScoringConfig withTrustedKeys(List<byte[]> keys) {
    return new ScoringConfig(
        defaultModel,
        detector,
        swapPolicy,
        latePolicy,
        coldStartPolicy,
        maxPendingPerKey,
        rewarmWindow,
        maxGap,
        stateTtl,
        keys);
  }
}
