package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;

/**
 * The element-wise part of a vanilla RNN layer in {@link Bptt}, for n rows at once: the forward h =
 * φ(A) and the backward δA = δh ⊙ φ'(A). The products around them are the {@link BpttKernel}'s, as
 * for an LSTM layer; only this part differs, and it is small beside them.
 */
final class RnnRows {
  private RnnRows() {}

  /**
   * h = φ(A) for the rows; A is replaced by h, at which backward takes φ', and h is written at the
   * start of each row of the layer's next input.
   */
  static void forward(LayerRows rows) {
    Activation act = rows.act;
    float[] a = rows.gates;
    for (int s = 0; s < rows.n; s++) {
      int g0 = s * rows.gateStride;
      int out = s * rows.inputStride;
      for (int j = 0; j < rows.hidden; j++) {
        float y = act.apply(a[g0 + j]);
        a[g0 + j] = y;
        rows.hOut[out + j] = y;
      }
    }
  }

  /**
   * δA = (δh from above + δh from step t+1) ⊙ φ'(A), from the h = φ(A) that forward left where A
   * was.
   */
  static void backward(LayerRows rows) {
    Activation act = rows.act;
    float[] y = rows.gates;
    for (int s = 0; s < rows.n; s++) {
      int g0 = s * rows.gateStride;
      int above = s * rows.aboveStride + rows.aboveOffset;
      int recurrent = s * rows.inputStride;
      for (int j = 0; j < rows.hidden; j++) {
        float dh = rows.dhAbove[above + j] + rows.dhRec[recurrent + j];
        rows.dA[g0 + j] = dh * act.derivativeFromOutput(y[g0 + j]);
      }
    }
  }
}
