package io.flinklstm.model;

/**
 * One layer of a recurrent stack: an {@link LstmLayer} or an {@link RnnLayer}. Both read an input
 * of {@link #inputSize()} and keep a hidden state of {@link #hiddenSize()} in a key's {@link
 * LstmState}; the RNN leaves its share of the cell array at zero.
 *
 * <p>The weights have the same shapes up to the number of column blocks ({@link
 * CellType#blocks()}): Wx is D × B·H, Wh is H × B·H and b is B·H.
 */
public sealed interface RecurrentLayer permits LstmLayer, RnnLayer {

  CellType cellType();

  int inputSize();

  int hiddenSize();

  /** The activation φ (the LSTM's candidate and cell activation, the RNN's only one). */
  Activation activation();

  /** Number of parameters: (D + H + 1) · B·H. */
  long parameterCount();

  /** A copy of Wx, D × B·H. */
  float[][] inputWeights();

  /** A copy of Wh, H × B·H. */
  float[][] recurrentWeights();

  /** A copy of b, B·H. */
  float[] bias();
}
