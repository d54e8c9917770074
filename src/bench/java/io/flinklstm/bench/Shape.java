package io.flinklstm.bench;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * One benchmarked model shape, H hidden units and D inputs, parsed from a JMH parameter such as
 * {@code H64/D8}, with the physical bounds of docs/benchmarks.md, section 1, for one step of one
 * key.
 *
 * <p>At batch 1 a step reads every weight once, so its bound is the weight bytes over the cache
 * bandwidth: L1's where the weights fit in L1 (up to {@link #L1_BYTES}), else L2's. Batched, each
 * weight is reused from registers and the bound is the FLOPs over the FMA peak of one core. Both
 * count the LSTM layer and the dense head, and take the peaks of a {@link Peaks}: the reference Zen
 * 4's or those measured on the machine at hand.
 */
record Shape(int hidden, int inputs) {
  /** What data the reference Zen 4 holds in L1 (its L1d is 32 KB; the rest is prefetched). */
  static final long L1_BYTES = 48 * 1024;

  static Shape parse(String param) {
    String[] parts = param.split("/");
    if (parts.length != 2 || !parts[0].startsWith("H") || !parts[1].startsWith("D")) {
      throw new IllegalArgumentException("shape '" + param + "' is not like H64/D8");
    }
    return new Shape(
        Integer.parseInt(parts[0].substring(1)), Integer.parseInt(parts[1].substring(1)));
  }

  /** LSTM weights and bias, then the head's weights and bias, in float32. */
  long weightBytes() {
    long h = hidden;
    long d = inputs;
    return 4 * ((d + h) * 4 * h + 4 * h + h * d + d);
  }

  /** The fused gate product's weights and bias alone, in float32. */
  long affineWeightBytes() {
    long h = hidden;
    long d = inputs;
    return 4 * ((d + h) * 4 * h + 4 * h);
  }

  /** Multiply-adds counted twice: the fused gate product and the head. */
  long flops() {
    return affineFlops() + 2L * hidden * inputs;
  }

  /** Multiply-adds of the fused gate product alone, counted twice. */
  long affineFlops() {
    long h = hidden;
    return 2 * 4 * h * (inputs + h);
  }

  /**
   * The least time one key's step can take at this batch size on a core with these peaks, in ns.
   */
  double boundNanos(int batch, Peaks peaks) {
    if (batch > 1) {
      return flops() / peaks.flopsPerNs();
    }
    return readNanos(weightBytes(), peaks);
  }

  /** The least time reading these bytes once can take: from L1 where they fit, else from L2. */
  static double readNanos(long bytes, Peaks peaks) {
    return bytes / (bytes <= L1_BYTES ? peaks.l1BytesPerNs() : peaks.l2BytesPerNs());
  }

  /** A model of this shape with Keras' default activations and reproducible random weights. */
  LstmModel randomModel(long seed) {
    Random random = new Random(seed);
    float scale = (float) (1 / Math.sqrt(hidden));
    LstmLayer layer =
        new LstmLayer(
            matrix(random, inputs, 4 * hidden, scale),
            matrix(random, hidden, 4 * hidden, scale),
            matrix(random, 1, 4 * hidden, scale)[0],
            Activation.TANH,
            Activation.SIGMOID);
    DenseLayer head =
        new DenseLayer(matrix(random, hidden, inputs, scale), matrix(random, 1, inputs, scale)[0]);
    return new LstmModel(
        ModelInfo.first("bench", Instant.EPOCH), Normalizer.identity(inputs), List.of(layer), head);
  }

  /** Inputs for {@code keys} keys, one row each, standard normal. */
  float[][] randomInputs(long seed, int keys) {
    Random random = new Random(seed);
    float[][] x = new float[keys][inputs];
    for (float[] row : x) {
      for (int i = 0; i < inputs; i++) {
        row[i] = (float) random.nextGaussian();
      }
    }
    return x;
  }

  static float[][] matrix(Random random, int rows, int cols, float scale) {
    float[][] m = new float[rows][cols];
    for (float[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = (float) (random.nextGaussian() * scale);
      }
    }
    return m;
  }

  @Override
  public String toString() {
    return "H" + hidden + "/D" + inputs;
  }
}
