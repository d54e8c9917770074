package io.flinklstm.train;

import io.flinklstm.model.bptt.Parameters;

/**
 * Clipping by the global norm (Pascanu, Mikolov and Bengio, "On the difficulty of training
 * recurrent neural networks", ICML 2013): with g the concatenation of every gradient array,
 *
 * <pre>
 *   ‖g‖ = √(Σ gᵢ²)        if ‖g‖ &gt; c:  g ← g · c / ‖g‖
 * </pre>
 *
 * so the update keeps its direction and only its length is capped, as TensorFlow's {@code
 * clip_by_global_norm} and PyTorch's {@code clip_grad_norm_} do. Exploding gradients are the known
 * failure of BPTT through long windows; one bad batch then moves the weights by at most about the
 * learning rate per value instead of throwing them far away.
 */
public final class GradientClipping {
  private GradientClipping() {}

  /** √(Σ gᵢ²) over every array, summed in double; NaN or infinity if any value is not finite. */
  public static double globalNorm(Parameters grads) {
    double sum = 0;
    for (float[] a : grads.arrays()) {
      double partial = 0;
      for (float v : a) {
        partial += (double) v * v;
      }
      sum += partial;
    }
    return Math.sqrt(sum);
  }

  /**
   * Scales {@code grads} in place so that their global norm is at most {@code maxNorm}.
   *
   * @return the norm before clipping; when it is not finite, nothing is scaled
   * @throws IllegalArgumentException if {@code maxNorm} is not positive and finite
   */
  public static double clipByGlobalNorm(Parameters grads, double maxNorm) {
    TrainerConfig.requirePositive("clip norm", maxNorm);
    double norm = globalNorm(grads);
    if (Double.isFinite(norm) && norm > maxNorm) {
      float scale = (float) (maxNorm / norm);
      for (float[] a : grads.arrays()) {
        for (int j = 0; j < a.length; j++) {
          a[j] *= scale;
        }
      }
    }
    return norm;
  }
}
