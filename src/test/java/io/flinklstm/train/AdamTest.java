package io.flinklstm.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.bptt.Parameters;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamTest {
  private static final double LR = 0.1;

  /**
   * Two steps of Algorithm 1 (α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8) on two values, by hand:
   *
   * <pre>
   * value a: θ = 1, g = 0.5 then −0.25
   *   t=1: m = 0.05, v = 0.00025, m̂ = 0.5, v̂ = 0.25,  θ = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002
   *   t=2: m = 0.02, v = 0.00031225, m̂ = 0.02/0.19 = 0.1052632, v̂ = 0.00031225/0.001999 = 0.1562031,
   *        θ = 0.9 − 0.1·0.1052632/0.3952254 = 0.8733663
   * value b: θ = −2, g = 0 then 3
   *   t=1: m = v = 0, θ unchanged
   *   t=2: m = 0.3, v = 0.009, m̂ = 1.578947, v̂ = 4.502251, θ = −2 − 0.1·1.578947/2.121851
   *        = −2.0744137
   * </pre>
   *
   * torch.optim.Adam gives 0.8733662987 and −2.0744136820 for the same steps.
   */
  @Test
  void matchesTwoStepsByHand() {
    Parameters params = TrainFixtures.scalarModel(1f, -2f, 0f, 0f, 0f);
    Parameters grads = params.zerosLike();
    Adam adam = new Adam(params, LR, 0.9, 0.999, 1e-8);

    grads.layers[0].inputWeights[0][0] = 0.5f;
    assertThat(adam.step(params, grads)).isTrue();
    assertThat(params.layers[0].inputWeights[0][0]).isCloseTo(0.900000002f, offset(1e-7f));
    assertThat(params.layers[0].recurrentWeights[0][0]).isEqualTo(-2f);

    grads.layers[0].inputWeights[0][0] = -0.25f;
    grads.layers[0].recurrentWeights[0][0] = 3f;
    assertThat(adam.step(params, grads)).isTrue();
    assertThat(params.layers[0].inputWeights[0][0]).isCloseTo(0.8733663f, offset(2e-7f));
    assertThat(params.layers[0].recurrentWeights[0][0]).isCloseTo(-2.0744137f, offset(2e-7f));
    assertThat(adam.steps()).isEqualTo(2);
  }

  @Test
  void refusesANonFiniteGradientAndChangesNothing() {
    Parameters params = TrainFixtures.scalarModel(1f, -2f, 0.5f, 0.3f, 0.1f);
    Parameters before = params.copy();
    Parameters grads = params.zerosLike();
    grads.layers[0].bias[2] = Float.NaN;
    grads.headBias[0] = 1f;
    Adam adam = new Adam(params, LR, 0.9, 0.999, 1e-8);

    assertThat(adam.step(params, grads)).isFalse();
    assertSame(params, before);
    assertThat(adam.steps()).isZero();

    // The moments were not touched either: the next finite step is a first step.
    grads.layers[0].bias[2] = 0f;
    assertThat(adam.step(params, grads)).isTrue();
    assertThat(params.headBias[0]).isCloseTo(0.1f - (float) LR, offset(1e-6f));
  }

  @Test
  void refusesAnUpdateThatWouldOverflow() {
    Parameters params = TrainFixtures.scalarModel(3e38f, 0f, 0f, 0f, 0f);
    Parameters before = params.copy();
    Parameters grads = params.zerosLike();
    grads.layers[0].inputWeights[0][0] = -1f;
    Adam adam = new Adam(params, 1e38, 0.9, 0.999, 1e-8);
    assertThat(adam.step(params, grads)).isFalse();
    assertSame(params, before);
  }

  @Test
  void validatesHyperParameters() {
    Parameters params = TrainFixtures.scalarModel(0f, 0f, 0f, 0f, 0f);
    assertThatThrownBy(() -> new Adam(params, 0, 0.9, 0.999, 1e-8))
        .hasMessage("learning rate must be positive and finite, was 0.0");
    assertThatThrownBy(() -> new Adam(params, 1e-3, 1.0, 0.999, 1e-8))
        .hasMessage("beta1 must be in [0, 1), was 1.0");
  }

  private static void assertSame(Parameters actual, Parameters expected) {
    List<float[]> a = actual.arrays();
    List<float[]> e = expected.arrays();
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i)).containsExactly(e.get(i));
    }
  }
}
