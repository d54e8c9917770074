package io.flinklstm.model;

/**
 * The kind of recurrent cell a layer is, with the number of H-wide column blocks its fused affine
 * map has: four gates (i, f, g, o) for the LSTM, one pre-activation for the vanilla RNN.
 */
public enum CellType {
  /** {@link LstmLayer}: gates i, f, g, o and a cell state. */
  LSTM("lstm", 4),
  /** {@link RnnLayer}: h' = φ(x·Wx + h·Wh + b), no cell state. */
  RNN("rnn", 1);

  private final String id;
  private final int blocks;

  CellType(String id, int blocks) {
    this.id = id;
    this.blocks = blocks;
  }

  /** The name used in model files and on the command line. */
  public String id() {
    return id;
  }

  /** H-wide column blocks of the layer's weights and bias: 4 for the LSTM, 1 for the RNN. */
  public int blocks() {
    return blocks;
  }

  /**
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static CellType parse(String name) {
    for (CellType c : values()) {
      if (c.id.equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown cell type '" + name + "' (expected lstm or rnn)");
  }
}
