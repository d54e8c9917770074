package io.flinklstm.model.bptt;

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
   * The gates of the rows: reads the pre-activations [i | f | g | o] (H each) and replaces them
   * with the activated gates, reads c₋₁, writes c, φ(c), and h at the start of each row of the
   * layer's next input.
   */
  void gatesForward(LayerRows rows);

  /**
   * The gate gradients δA of the rows (see {@link Bptt}), from δh = δh from above + δh from the
   * step after, and the cell gradient δc, which is replaced by δc₋₁ = δc ⊙ f.
   */
  void gatesBackward(LayerRows rows);
}
