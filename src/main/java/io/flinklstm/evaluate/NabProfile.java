package io.flinklstm.evaluate;

import java.util.List;

/**
 * The weights of one NAB application profile: what an early true positive earns, and what a false
 * positive and a missed window cost.
 *
 * @param name NAB's name for the profile
 * @param tpWeight the reward for a detection at a window's start
 * @param fpWeight the cost of a detection outside every window (at most)
 * @param fnWeight the cost of a window without a detection
 */
public record NabProfile(String name, double tpWeight, double fpWeight, double fnWeight) {
  public static final NabProfile STANDARD = new NabProfile("standard", 1.0, 0.11, 1.0);
  public static final NabProfile REWARD_LOW_FP =
      new NabProfile("reward_low_FP_rate", 1.0, 0.22, 1.0);
  public static final NabProfile REWARD_LOW_FN =
      new NabProfile("reward_low_FN_rate", 1.0, 0.11, 2.0);

  /** The three profiles NAB reports, in its order. */
  public static final List<NabProfile> ALL = List.of(STANDARD, REWARD_LOW_FP, REWARD_LOW_FN);

  public NabProfile {
    if (!(tpWeight > 0) || !(fpWeight >= 0) || !(fnWeight >= 0)) {
      throw new IllegalArgumentException(
          "profile " + name + ": weights must be tp > 0, fp >= 0, fn >= 0");
    }
  }
}
