package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.bptt.Parameters;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

  /** Gradients 3 and 4 in two different arrays: global norm 5, not per-array norms 3 and 4. */
  @Test
  void scalesEveryArrayByTheGlobalNorm() {
    Parameters grads = TrainFixtures.scalarModel(0f, 0f, 0f, 0f, 0f).zerosLike();
    grads.layers[0].inputWeights[0][1] = 3f;
    grads.headWeights[0][0] = 4f;

    double norm = GradientClipping.clipByGlobalNorm(grads, 1.0);

    assertThat(norm).isEqualTo(5.0);
    assertThat(grads.layers[0].inputWeights[0][1]).isCloseTo(0.6f, offset(1e-7f));
    assertThat(grads.headWeights[0][0]).isCloseTo(0.8f, offset(1e-7f));
    assertThat(GradientClipping.globalNorm(grads)).isCloseTo(1.0, offset(1e-6));
  }

  @Test
  void leavesSmallGradientsAlone() {
    Parameters grads = TrainFixtures.scalarModel(0f, 0f, 0f, 0f, 0f).zerosLike();
    grads.layers[0].bias[3] = 0.3f;
    grads.headBias[0] = -0.4f;
    assertThat(GradientClipping.clipByGlobalNorm(grads, 1.0)).isCloseTo(0.5, offset(1e-7));
    assertThat(grads.layers[0].bias[3]).isEqualTo(0.3f);
    assertThat(grads.headBias[0]).isEqualTo(-0.4f);
  }

  @Test
  void reportsANonFiniteNormWithoutScaling() {
    Parameters grads = TrainFixtures.scalarModel(0f, 0f, 0f, 0f, 0f).zerosLike();
    grads.layers[0].bias[0] = Float.POSITIVE_INFINITY;
    grads.headBias[0] = 2f;
    assertThat(GradientClipping.clipByGlobalNorm(grads, 1.0)).isInfinite();
    assertThat(grads.headBias[0]).isEqualTo(2f);
  }
}
