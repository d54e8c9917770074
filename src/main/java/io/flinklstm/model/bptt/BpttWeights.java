package io.flinklstm.model.bptt;

import java.util.Arrays;

/**
 * Weights, or their gradients, in {@link Bptt}'s padded row layout: per layer the stacked rows [Wh;
 * Wx; b] (and, for weights, the transpose of [Wh; Wx] as B·H rows, so that δA·Wᵀ is a product over
 * rows too), and the head's W with its transpose.
 */
final class BpttWeights {
  final float[][][] stacked;
  final float[][][] transposed;
  final float[][] head;
  final float[] headBias;
  final float[][] headT;

  /**
   * @param withTransposes true for weights, false for gradients
   */
  BpttWeights(BpttLayout shape, boolean withTransposes) {
    int layers = shape.layers;
    stacked = new float[layers][][];
    transposed = new float[layers][][];
    for (int l = 0; l < layers; l++) {
      stacked[l] = new float[shape.rows[l]][shape.gateStride[l]];
      transposed[l] =
          withTransposes ? new float[shape.gates[l]][shape.inStride[l]] : new float[0][];
    }
    int top = shape.top();
    head = new float[shape.hidden[top]][shape.outStride];
    headBias = new float[shape.outStride];
    headT = withTransposes ? new float[shape.outputs][shape.cellStride[top]] : new float[0][];
  }

  void copyFrom(BpttLayout shape, Parameters params) {
    for (int l = 0; l < shape.layers; l++) {
      Parameters.Layer p = params.layers[l];
      int h = shape.hidden[l];
      int d = shape.below[l];
      int gates = shape.gates[l];
      float[][] rows = stacked[l];
      for (int k = 0; k < h; k++) {
        System.arraycopy(p.recurrentWeights[k], 0, rows[k], 0, gates);
      }
      for (int k = 0; k < d; k++) {
        System.arraycopy(p.inputWeights[k], 0, rows[h + k], 0, gates);
      }
      System.arraycopy(p.bias, 0, rows[h + d], 0, gates);
      // The bias row is left out of the transpose: δ of the constant 1 is not needed.
      float[][] t = transposed[l];
      for (int k = 0; k < h + d; k++) {
        float[] row = rows[k];
        for (int j = 0; j < gates; j++) {
          t[j][k] = row[j];
        }
      }
    }
    int outputs = shape.outputs;
    for (int k = 0; k < head.length; k++) {
      System.arraycopy(params.headWeights[k], 0, head[k], 0, outputs);
      for (int o = 0; o < outputs; o++) {
        headT[o][k] = params.headWeights[k][o];
      }
    }
    System.arraycopy(params.headBias, 0, headBias, 0, outputs);
  }

  void clear() {
    for (float[][] rows : stacked) {
      for (float[] row : rows) {
        Arrays.fill(row, 0f);
      }
    }
    for (float[] row : head) {
      Arrays.fill(row, 0f);
    }
    Arrays.fill(headBias, 0f);
  }

  /** Adds these gradients into {@code grads}. */
  void addTo(BpttLayout shape, Parameters grads) {
    for (int l = 0; l < shape.layers; l++) {
      Parameters.Layer g = grads.layers[l];
      int h = shape.hidden[l];
      int d = shape.below[l];
      float[][] rows = stacked[l];
      for (int k = 0; k < h; k++) {
        add(rows[k], g.recurrentWeights[k]);
      }
      for (int k = 0; k < d; k++) {
        add(rows[h + k], g.inputWeights[k]);
      }
      add(rows[h + d], g.bias);
    }
    for (int k = 0; k < head.length; k++) {
      add(head[k], grads.headWeights[k]);
    }
    add(headBias, grads.headBias);
  }

  /** into[j] += from[j] over into's length. */
  private static void add(float[] from, float[] into) {
    for (int j = 0; j < into.length; j++) {
      into[j] += from[j];
    }
  }
}
