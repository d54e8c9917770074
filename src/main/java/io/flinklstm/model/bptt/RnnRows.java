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
   * h = φ(A) for n rows of {@code a} (stride g); A is replaced by h, at which backward takes φ',
   * and h is written at the start of each row of {@code hOut} (stride kp).
   */
  static void forward(Activation act, int h, int n, float[] a, int g, float[] hOut, int kp) {
    for (int s = 0; s < n; s++) {
      for (int j = 0; j < h; j++) {
        float y = act.apply(a[s * g + j]);
        a[s * g + j] = y;
        hOut[s * kp + j] = y;
      }
    }
  }

  /**
   * δA = (δh from above + δh from step t+1) ⊙ φ'(A), from the h = φ(A) that forward left in {@code
   * y}. dhAbove rows start at {@code aboveOff} with stride {@code aboveStride}; dhRec rows at 0
   * with stride kp.
   */
  static void backward(
      Activation act,
      int h,
      int n,
      float[] y,
      int g,
      float[] dhAbove,
      int aboveOff,
      int aboveStride,
      float[] dhRec,
      int kp,
      float[] dA) {
    for (int s = 0; s < n; s++) {
      for (int j = 0; j < h; j++) {
        float dh = dhAbove[s * aboveStride + aboveOff + j] + dhRec[s * kp + j];
        dA[s * g + j] = dh * act.derivativeFromOutput(y[s * g + j]);
      }
    }
  }
}
