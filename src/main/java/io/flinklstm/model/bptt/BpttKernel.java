package io.flinklstm.model.bptt;

import io.flinklstm.model.Activation;

/**
 * The arithmetic of {@link Bptt}, separated so that a SIMD implementation can replace the portable
 * one; both must agree to rounding. Matrices are rows in flat arrays: row r of a matrix with stride
 * s starts at {@code r·s}. Column counts passed as {@code cols} are multiples of {@link
 * LstmLayer#PAD}, and every array is long enough for its padded rows.
 *
 * <p>Two matrix products cover the whole pass: {@link #affine} (C = A·B, with B as rows, for the
 * forward pre-activations, the head, and δ·Wᵀ with a transposed weight copy) and {@link
 * #accumulateOuter} (C += Aᵀ·B, for every weight gradient). Both broadcast one value of A and
 * multiply-add a row of B, so the inner loop runs along contiguous rows.
 */
interface BpttKernel {

  /** A short name for logs and benchmarks. */
  String name();

  /**
   * For r &lt; n: {@code out[r·outStride + c] = bias[c] + Σ_{k<kCount} in[r·inStride + inOff + k] ·
   * w[k][c]}, c &lt; cols; {@code bias} may be null for zero.
   */
  void affine(
      float[] in,
      int inOff,
      int inStride,
      int n,
      float[][] w,
      int kCount,
      float[] bias,
      float[] out,
      int outStride,
      int cols);

  /**
   * For k &lt; kCount: {@code dw[k][c] += Σ_{r<n} in[r·inStride + inOff + k] · d[r·dStride + c]}, c
   * &lt; cols.
   */
  void accumulateOuter(
      float[] in,
      int inOff,
      int inStride,
      int n,
      int kCount,
      float[] d,
      int dStride,
      float[][] dw,
      int cols);

  /**
   * The gates of n rows: reads pre-activations [i | f | g | o] (H each) from {@code gates} and
   * replaces them with the activated gates, reads c₋₁ from {@code cPrev}, writes c, φ(c), and h at
   * the start of each row of {@code hOut}. Rows of cPrev, cNext and tanhC have stride {@code
   * hStride}.
   */
  void gatesForward(
      Activation act,
      Activation rec,
      int hidden,
      int n,
      float[] gates,
      int gStride,
      float[] cPrev,
      float[] cNext,
      float[] cellAct,
      int hStride,
      float[] hOut,
      int hOutStride);

  /**
   * The gate gradients δA of n rows (see {@link Bptt}), from δh = dhAbove + dhRec and the cell
   * gradient dcRec, which is replaced by δc₋₁ = δc ⊙ f. dhRec rows start at offset 0 of stride
   * {@code recStride}; dhAbove rows at {@code aboveOff} of stride {@code aboveStride}.
   */
  void gatesBackward(
      Activation act,
      Activation rec,
      int hidden,
      int n,
      float[] gates,
      int gStride,
      float[] cPrev,
      float[] cellAct,
      float[] dcRec,
      int hStride,
      float[] dhAbove,
      int aboveOff,
      int aboveStride,
      float[] dhRec,
      int recStride,
      float[] dA);
}
