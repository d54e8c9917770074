package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;

/**
 * The portable {@link BpttKernel}: plain loops, the reference the SIMD kernel is tested against and
 * the fallback where the Vector API is not enabled.
 *
 * <p>The JIT vectorises a loop {@code a[c] += v * b[c]} over whole row arrays but not over rows at
 * an offset inside a flat array, so the products work on one row at a time in a scratch row of
 * their own. That scratch makes an instance single-threaded: each {@link Bptt} has its own.
 */
final class ScalarBpttKernel implements BpttKernel {
  private float[] scratch = new float[0];

  @Override
  public String name() {
    return "scalar";
  }

  @Override
  public void affine(
      float[] in,
      int inOff,
      int inStride,
      int n,
      float[][] w,
      int kCount,
      float[] bias,
      float[] out,
      int outStride,
      int cols) {
    float[] acc = scratch(cols);
    for (int r = 0; r < n; r++) {
      if (bias == null) {
        java.util.Arrays.fill(acc, 0, cols, 0f);
      } else {
        System.arraycopy(bias, 0, acc, 0, cols);
      }
      int base = r * inStride + inOff;
      for (int k = 0; k < kCount; k++) {
        float a = in[base + k];
        float[] row = w[k];
        for (int c = 0; c < cols; c++) {
          acc[c] += a * row[c];
        }
      }
      System.arraycopy(acc, 0, out, r * outStride, cols);
    }
  }

  @Override
  public void accumulateOuter(
      float[] in,
      int inOff,
      int inStride,
      int n,
      int kCount,
      float[] d,
      int dStride,
      float[][] dw,
      int cols) {
    float[] dr = scratch(cols);
    for (int r = 0; r < n; r++) {
      System.arraycopy(d, r * dStride, dr, 0, cols);
      int base = r * inStride + inOff;
      for (int k = 0; k < kCount; k++) {
        float a = in[base + k];
        float[] row = dw[k];
        for (int c = 0; c < cols; c++) {
          row[c] += a * dr[c];
        }
      }
    }
  }

  private float[] scratch(int cols) {
    if (scratch.length < cols) {
      scratch = new float[cols];
    }
    return scratch;
  }

  @Override
  public void gatesForward(LayerRows rows) {
    for (int r = 0; r < rows.n; r++) {
      forwardRow(rows, r);
    }
  }

  /** Row r's gates, c, φ(c) and h. */
  private static void forwardRow(LayerRows rows, int r) {
    Activation act = rows.act;
    Activation rec = rows.rec;
    int hidden = rows.hidden;
    float[] gates = rows.gates;
    int g0 = r * rows.gateStride;
    int h0 = r * rows.cellStride;
    int out = r * rows.inputStride;
    for (int j = 0; j < hidden; j++) {
      float inGate = rec.apply(gates[g0 + j]);
      float forgetGate = rec.apply(gates[g0 + hidden + j]);
      float candidate = act.apply(gates[g0 + 2 * hidden + j]);
      float outGate = rec.apply(gates[g0 + 3 * hidden + j]);
      float cell = forgetGate * rows.cPrev[h0 + j] + inGate * candidate;
      float ac = act.apply(cell);
      gates[g0 + j] = inGate;
      gates[g0 + hidden + j] = forgetGate;
      gates[g0 + 2 * hidden + j] = candidate;
      gates[g0 + 3 * hidden + j] = outGate;
      rows.cNext[h0 + j] = cell;
      rows.cellAct[h0 + j] = ac;
      rows.hOut[out + j] = outGate * ac;
    }
  }

  @Override
  public void gatesBackward(LayerRows rows) {
    backwardRows(rows);
  }

  /** Every row's gate gradients: {@link #gatesBackward} for kernels without scratch. */
  static void backwardRows(LayerRows rows) {
    for (int r = 0; r < rows.n; r++) {
      backwardRow(rows, r, 0);
    }
  }

  /**
   * Row r's gate gradients from hidden unit {@code from} on (the vector kernel's tail), with the
   * derivatives written as functions of the activations' outputs, which the forward pass kept.
   */
  static void backwardRow(LayerRows rows, int r, int from) {
    Activation act = rows.act;
    Activation rec = rows.rec;
    int hidden = rows.hidden;
    float[] gates = rows.gates;
    float[] dA = rows.dA;
    float[] dcRec = rows.dcRec;
    int g0 = r * rows.gateStride;
    int h0 = r * rows.cellStride;
    int above = r * rows.aboveStride + rows.aboveOffset;
    int recurrent = r * rows.inputStride;
    for (int j = from; j < hidden; j++) {
      float inGate = gates[g0 + j];
      float forgetGate = gates[g0 + hidden + j];
      float candidate = gates[g0 + 2 * hidden + j];
      float outGate = gates[g0 + 3 * hidden + j];
      float ac = rows.cellAct[h0 + j];
      float dh = rows.dhAbove[above + j] + rows.dhRec[recurrent + j];
      float dc = dcRec[h0 + j] + dh * outGate * act.derivativeFromOutput(ac);
      dA[g0 + j] = dc * candidate * rec.derivativeFromOutput(inGate);
      dA[g0 + hidden + j] = dc * rows.cPrev[h0 + j] * rec.derivativeFromOutput(forgetGate);
      dA[g0 + 2 * hidden + j] = dc * inGate * act.derivativeFromOutput(candidate);
      dA[g0 + 3 * hidden + j] = dh * ac * rec.derivativeFromOutput(outGate);
      dcRec[h0 + j] = dc * forgetGate;
    }
  }
}
