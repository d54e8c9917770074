package io.flinklstm.train;

import io.flinklstm.model.bptt.Parameters;
import java.util.List;

/**
 * The Adam optimiser (Kingma and Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015,
 * Algorithm 1), element-wise over every trainable value, with the bias correction of the paper:
 *
 * <pre>
 *   t ← t + 1
 *   m ← β₁·m + (1 − β₁)·g          first moment (mean of the gradient)
 *   v ← β₂·v + (1 − β₂)·g²         second moment (uncentred variance)
 *   m̂ = m / (1 − β₁ᵗ)    v̂ = v / (1 − β₂ᵗ)      correct the bias of starting m and v at zero
 *   θ ← θ − α·m̂ / (√v̂ + ε)
 * </pre>
 *
 * ε is added outside the square root, as in the paper, Keras and PyTorch's {@code torch.optim.Adam}
 * (without weight decay or AMSGrad), so that the same hyper-parameters mean the same thing.
 *
 * <p>An update that would make any parameter or moment non-finite is refused as a whole: {@link
 * #step} checks every new value before writing any, and on refusal leaves the parameters, the
 * moments and t as they were. A model trained here therefore never holds a NaN or an infinity.
 *
 * <p>Arithmetic is in float with the bias-correction factors in double; not thread-safe.
 */
public final class Adam {
  private final double learningRate;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final List<float[]> firstMoment;
  private final List<float[]> secondMoment;
  private long steps;

  /**
   * @param shape parameters of the shape to optimise (only their sizes are used)
   * @throws IllegalArgumentException naming the hyper-parameter out of range
   */
  public Adam(Parameters shape, double learningRate, double beta1, double beta2, double epsilon) {
    TrainerConfig.requirePositive("learning rate", learningRate);
    TrainerConfig.requireFraction("beta1", beta1);
    TrainerConfig.requireFraction("beta2", beta2);
    TrainerConfig.requirePositive("epsilon", epsilon);
    this.learningRate = learningRate;
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
    this.firstMoment = shape.zerosLike().arrays();
    this.secondMoment = shape.zerosLike().arrays();
  }

  /** Updates taken so far (refused ones not counted): t in the equations. */
  public long steps() {
    return steps;
  }

  /**
   * One update of {@code params} from {@code grads}.
   *
   * @return false, with nothing changed, if a gradient or any resulting value is not finite
   */
  public boolean step(Parameters params, Parameters grads) {
    long t = steps + 1;
    // α·m̂/(√v̂ + ε) = (α / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε): fold the corrections into
    // scalars.
    float stepSize = (float) (learningRate / (1 - Math.pow(beta1, t)));
    float invSqrtCorrection = (float) (1 / Math.sqrt(1 - Math.pow(beta2, t)));
    List<float[]> p = params.arrays();
    List<float[]> g = grads.arrays();
    for (int a = 0; a < p.size(); a++) {
      if (!update(p.get(a), g.get(a), a, stepSize, invSqrtCorrection, false)) {
        return false;
      }
    }
    for (int a = 0; a < p.size(); a++) {
      update(p.get(a), g.get(a), a, stepSize, invSqrtCorrection, true);
    }
    steps = t;
    return true;
  }

  /**
   * Computes one array's new values; writes them only when {@code write}. The check pass and the
   * write pass run the same float arithmetic, so what was checked is exactly what is written.
   */
  private boolean update(
      float[] theta, float[] grad, int index, float stepSize, float invSqrtCorr, boolean write) {
    float[] m = firstMoment.get(index);
    float[] v = secondMoment.get(index);
    float oneMinusBeta1 = 1f - beta1;
    float oneMinusBeta2 = 1f - beta2;
    boolean finite = true;
    for (int j = 0; j < theta.length; j++) {
      float gj = grad[j];
      float mj = beta1 * m[j] + oneMinusBeta1 * gj;
      float vj = beta2 * v[j] + oneMinusBeta2 * gj * gj;
      float updated = theta[j] - stepSize * mj / ((float) Math.sqrt(vj) * invSqrtCorr + epsilon);
      if (write) {
        m[j] = mj;
        v[j] = vj;
        theta[j] = updated;
      } else {
        // One flag over the array instead of a branch per element keeps the loop vectorisable.
        finite &= Float.isFinite(updated) & Float.isFinite(vj);
      }
    }
    return finite;
  }
}
