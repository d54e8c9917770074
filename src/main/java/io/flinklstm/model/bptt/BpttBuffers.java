package io.flinklstm.model.bptt;

import io.flinklstm.model.LstmState;
import java.util.Arrays;

/**
 * What {@link Bptt} keeps between its forward and backward passes, for up to {@code capN} sequences
 * of {@code capT} steps, in the row layout of {@link BpttLayout}: per layer and step the input rows
 * [h₋₁ | x | 1], the activated gates, c and φ(c); per step the head's output gradient; and the
 * running gradients of the backward pass.
 */
final class BpttBuffers {
  private final int capN;
  private final int capT;
  final float[][][] in;
  final float[][][] gates;
  final float[][][] cell;
  final float[][][] cellAct;
  final float[][] outputGrad;
  final float[] y;
  final float[][] dIn;
  final float[][] dcRec;
  final float[][] dA;
  final float[] dhHead;
  final float[][][] inputGrad;
  final LstmState[] initialStateGrads;

  /** A categorical chunk's input symbols, [sequence][step]: where δx goes in the embedding. */
  final int[][] symbols;

  /** Room for n × steps, and at least what {@code old} had, so sizes only grow. */
  BpttBuffers(BpttLayout shape, int n, int steps, BpttBuffers old) {
    capN = Math.max(n, old == null ? 0 : old.capN);
    capT = Math.max(steps, old == null ? 0 : old.capT);
    int layers = shape.layers;
    in = new float[layers][][];
    gates = new float[layers][][];
    cell = new float[layers][][];
    cellAct = new float[layers][][];
    dIn = new float[layers][];
    dcRec = new float[layers][];
    dA = new float[layers][];
    for (int l = 0; l < layers; l++) {
      in[l] = new float[capT + 1][capN * shape.inStride[l]];
      for (float[] rows : in[l]) {
        for (int s = 0; s < capN; s++) {
          rows[s * shape.inStride[l] + shape.oneColumn(l)] = 1f;
        }
      }
      gates[l] = new float[capT][capN * shape.gateStride[l]];
      cell[l] = new float[capT + 1][capN * shape.cellStride[l]];
      cellAct[l] = new float[capT][capN * shape.cellStride[l]];
      dIn[l] = new float[capN * shape.inStride[l]];
      dcRec[l] = new float[capN * shape.cellStride[l]];
      dA[l] = new float[capN * shape.gateStride[l]];
    }
    outputGrad = new float[capT][capN * shape.outStride];
    y = new float[capN * shape.outStride];
    dhHead = new float[capN * shape.cellStride[shape.top()]];
    inputGrad = new float[capN][capT][shape.below[0]];
    symbols = new int[shape.vocabulary > 0 ? capN : 0][capT];
    initialStateGrads = new LstmState[capN];
    for (int s = 0; s < capN; s++) {
      initialStateGrads[s] = new LstmState(shape.stateSize);
    }
  }

  boolean fits(int n, int steps) {
    return n <= capN && steps <= capT;
  }

  void loadInputs(BpttLayout shape, float[][][] x, int n, int steps) {
    int stride = shape.inStride[0];
    int at = shape.hidden[0];
    int size = shape.below[0];
    for (int t = 0; t < steps; t++) {
      float[] rows = in[0][t];
      for (int s = 0; s < n; s++) {
        System.arraycopy(x[s][t], 0, rows, s * stride + at, size);
      }
    }
  }

  /** The embedding rows of the symbols as the first layer's x, and the symbols for backward. */
  void loadSymbols(BpttLayout shape, float[][] embedding, int[][] x, int n, int steps) {
    int stride = shape.inStride[0];
    int at = shape.hidden[0];
    int size = shape.below[0];
    for (int s = 0; s < n; s++) {
      for (int t = 0; t < steps; t++) {
        int symbol = x[s][t];
        if (symbol < 0 || symbol >= shape.vocabulary) {
          throw new IllegalArgumentException(
              "symbol ["
                  + s
                  + "]["
                  + t
                  + "] is "
                  + symbol
                  + ", outside the vocabulary of "
                  + shape.vocabulary);
        }
        symbols[s][t] = symbol;
        System.arraycopy(embedding[symbol], 0, in[0][t], s * stride + at, size);
      }
    }
  }

  /** δx of step t added to the embedding rows of the step's symbols. */
  void scatterInputGrads(BpttLayout shape, int n, int t, float[][] embeddingGrad) {
    int stride = shape.inStride[0];
    int at = shape.hidden[0];
    int size = shape.below[0];
    for (int s = 0; s < n; s++) {
      float[] row = embeddingGrad[symbols[s][t]];
      int from = s * stride + at;
      for (int k = 0; k < size; k++) {
        row[k] += dIn[0][from + k];
      }
    }
  }

  void loadStates(BpttLayout shape, LstmState[] state, int n) {
    for (int l = 0; l < shape.layers; l++) {
      int h = shape.hidden[l];
      for (int s = 0; s < n; s++) {
        System.arraycopy(state[s].h(), shape.stateOffset[l], in[l][0], s * shape.inStride[l], h);
        if (shape.lstm(l)) {
          System.arraycopy(
              state[s].c(), shape.stateOffset[l], cell[l][0], s * shape.cellStride[l], h);
        }
      }
    }
  }

  void storeStates(BpttLayout shape, LstmState[] state, int n, int steps) {
    for (int l = 0; l < shape.layers; l++) {
      int h = shape.hidden[l];
      for (int s = 0; s < n; s++) {
        System.arraycopy(
            in[l][steps], s * shape.inStride[l], state[s].h(), shape.stateOffset[l], h);
        if (shape.lstm(l)) {
          System.arraycopy(
              cell[l][steps], s * shape.cellStride[l], state[s].c(), shape.stateOffset[l], h);
        }
      }
    }
  }

  /**
   * δh (in dIn's h₋₁ columns) and δc of the final state, zero when none arrive; an RNN layer has no
   * cell, so its δc stays zero.
   */
  void loadStateGrads(BpttLayout shape, int n, LstmState[] finalStateGrads) {
    for (int l = 0; l < shape.layers; l++) {
      Arrays.fill(dIn[l], 0, n * shape.inStride[l], 0f);
      Arrays.fill(dcRec[l], 0, n * shape.cellStride[l], 0f);
      if (finalStateGrads != null) {
        int h = shape.hidden[l];
        for (int s = 0; s < n; s++) {
          LstmState g = finalStateGrads[s];
          System.arraycopy(g.h(), shape.stateOffset[l], dIn[l], s * shape.inStride[l], h);
          if (shape.lstm(l)) {
            System.arraycopy(g.c(), shape.stateOffset[l], dcRec[l], s * shape.cellStride[l], h);
          }
        }
      }
    }
  }

  void storeInitialStateGrads(BpttLayout shape, int n) {
    for (int l = 0; l < shape.layers; l++) {
      int h = shape.hidden[l];
      for (int s = 0; s < n; s++) {
        LstmState g = initialStateGrads[s];
        System.arraycopy(dIn[l], s * shape.inStride[l], g.h(), shape.stateOffset[l], h);
        System.arraycopy(dcRec[l], s * shape.cellStride[l], g.c(), shape.stateOffset[l], h);
      }
    }
  }

  /** δx of step t: the x columns of the first layer's [δh₋₁ | δx]. */
  void storeInputGrads(BpttLayout shape, int n, int t) {
    int stride = shape.inStride[0];
    int at = shape.hidden[0];
    for (int s = 0; s < n; s++) {
      System.arraycopy(dIn[0], s * stride + at, inputGrad[s][t], 0, shape.below[0]);
    }
  }
}
