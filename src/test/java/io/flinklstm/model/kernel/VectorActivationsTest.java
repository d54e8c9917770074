package io.flinklstm.model.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.flinklstm.model.Activation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The vector activations, which the step and training share, give every element the bits of {@link
 * Activation}'s scalar form, in whole vectors and in a range's tail alike.
 */
class VectorActivationsTest {
  private static final float[] EDGES = {
    0f,
    Float.MIN_VALUE,
    1e-30f,
    1e-7f,
    0.25f,
    0.5f,
    1f,
    2f,
    5.8f,
    7.9f,
    7.90531110763549805f,
    8f,
    20f,
    1e30f,
    Float.MAX_VALUE
  };

  @Test
  void everyElementHasTheScalarFormsBits() {
    assertThat(Kernels.vectorAvailable()).as("the tests run with the Vector API module").isTrue();
    Random random = new Random(11);
    for (Activation f : Activation.values()) {
      // 3 vectors and a tail of up to one vector less one, from an offset that is not aligned.
      for (int length = 1; length <= 3 * VectorWidth.LANES + VectorWidth.LANES - 1; length++) {
        float[] values = new float[length + 3];
        for (int j = 0; j < values.length; j++) {
          float edge = EDGES[random.nextInt(EDGES.length)];
          float draw = (float) (random.nextGaussian() * 4);
          float x = random.nextBoolean() ? edge : draw;
          values[j] = random.nextBoolean() ? -x : x;
        }
        float[] vector = values.clone();
        VectorActivations.apply(f, vector, 3, 3 + length);
        for (int j = 0; j < values.length; j++) {
          float want = j < 3 ? values[j] : f.apply(values[j]);
          assertThat(vector[j] == want)
              .as("%s(%s) at %d of %d: %s, scalar %s", f, values[j], j, length, vector[j], want)
              .isTrue();
        }
      }
    }
  }

  @Test
  void theTanhIsWithinItsBoundOfMathTanh() {
    int n = 20_001;
    float[] x = new float[n];
    for (int j = 0; j < n; j++) {
      x[j] = -10f + j * 1e-3f;
    }
    float[] y = x.clone();
    VectorActivations.apply(Activation.TANH, y, 0, n);
    for (int j = 0; j < n; j++) {
      assertThat((double) y[j]).as("tanh(%s)", x[j]).isCloseTo(Math.tanh(x[j]), offset(4e-7));
    }
  }
}
