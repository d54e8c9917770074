package io.flinklstm.model;

import java.util.List;
import java.util.Objects;

/**
 * A complete next-step predictor: per-key scaling ({@link InputScaling}, applied by whoever follows
 * the keys), input normalisation, a stack of LSTM layers and a dense head that predicts the next
 * normalised input vector from the last layer's hidden state.
 *
 * <p>Immutable and safe to share between threads; each thread steps keys through its own {@link
 * Stepper}. A key's recurrent state lives in an {@link LstmState} of {@link #stateSize()} floats
 * per array.
 */
public final class LstmModel implements SequenceModel {
  private final ModelInfo info;
  private final Normalizer normalizer;
  private final InputScaling scaling;
  private final List<LstmLayer> layers;
  private final DenseLayer head;
  private final int[] offsets;
  private final int stateSize;

  /**
   * @throws IllegalArgumentException if the sizes do not chain: the first layer's input is the
   *     normaliser's size, each layer's input the previous layer's hidden size, and the head maps
   *     the last hidden size back to the input size
   */
  public LstmModel(
      ModelInfo info,
      Normalizer normalizer,
      InputScaling scaling,
      List<LstmLayer> layers,
      DenseLayer head) {
    this.info = Objects.requireNonNull(info, "info");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.scaling = Objects.requireNonNull(scaling, "scaling");
    this.layers = List.copyOf(layers);
    this.head = Objects.requireNonNull(head, "head");
    if (this.layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one LSTM layer");
    }
    this.offsets = new int[this.layers.size()];
    int expectedInput = normalizer.size();
    int offset = 0;
    for (int l = 0; l < this.layers.size(); l++) {
      LstmLayer layer = this.layers.get(l);
      if (layer.inputSize() != expectedInput) {
        throw new IllegalArgumentException(
            "layer "
                + l
                + " takes "
                + layer.inputSize()
                + " inputs but receives "
                + expectedInput
                + (l == 0
                    ? " (the model's input size)"
                    : " (layer " + (l - 1) + "'s hidden size)"));
      }
      offsets[l] = offset;
      offset = Math.addExact(offset, layer.hiddenSize());
      expectedInput = layer.hiddenSize();
    }
    this.stateSize = offset;
    if (head.inputSize() != expectedInput) {
      throw new IllegalArgumentException(
          "the head takes " + head.inputSize() + " inputs but the last layer has " + expectedInput);
    }
    if (head.outputSize() != normalizer.size()) {
      throw new IllegalArgumentException(
          "the head predicts "
              + head.outputSize()
              + " values but the input has "
              + normalizer.size());
    }
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** A model whose values reach its normaliser as they are ({@link InputScaling#NONE}). */
  public LstmModel(ModelInfo info, Normalizer normalizer, List<LstmLayer> layers, DenseLayer head) {
    this(info, normalizer, InputScaling.NONE, layers, head);
  }

  /** The same weights under other metadata. */
  public LstmModel withInfo(ModelInfo newInfo) {
    return new LstmModel(newInfo, normalizer, scaling, layers, head);
  }

  /** The same weights, expecting values scaled another way. */
  public LstmModel withScaling(InputScaling newScaling) {
    return new LstmModel(info, normalizer, newScaling, layers, head);
  }

  public Normalizer normalizer() {
    return normalizer;
  }

  /** How each key's values are scaled before the normaliser. */
  public InputScaling scaling() {
    return scaling;
  }

  public List<LstmLayer> layers() {
    return layers;
  }

  public DenseLayer head() {
    return head;
  }

  /** D, the length of every event's value vector. */
  public int inputSize() {
    return normalizer.size();
  }

  /** Floats in each of a state's h and c arrays: the sum of the hidden sizes. */
  @Override
  public int stateSize() {
    return stateSize;
  }

  /** Where layer l's values start in a state's arrays. */
  public int stateOffset(int layer) {
    return offsets[layer];
  }

  /** Where the last layer's values start in a state's arrays. */
  public int lastLayerOffset() {
    return offsets[offsets.length - 1];
  }

  public long parameterCount() {
    long n = (long) head.inputSize() * head.outputSize() + head.outputSize();
    for (LstmLayer layer : layers) {
      n += layer.parameterCount();
    }
    return n;
  }

  @Override
  public LstmState newState() {
    return new LstmState(stateSize);
  }

  /** A stepper on the fastest kernel this JVM offers. */
  public Stepper newStepper() {
    return new Stepper(this, Kernels.best());
  }
}
