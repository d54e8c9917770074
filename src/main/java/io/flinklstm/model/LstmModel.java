package io.flinklstm.model;

import java.util.List;
import java.util.Objects;

/**
 * A complete next-step predictor: per-key scaling ({@link InputScaling}, applied by whoever follows
 * the keys), input normalisation, optional time inputs ({@link TimeFeatures}), a stack of LSTM
 * layers and a dense head that predicts the next normalised value vector from the last layer's
 * hidden state.
 *
 * <p>A step is the event's D values followed by its time inputs, {@link #stepSize()} floats: the
 * values are normalised, the time inputs go in as they are, and the head predicts the D values.
 *
 * <p>Immutable and safe to share between threads; each thread steps keys through its own {@link
 * Stepper}. A key's recurrent state lives in an {@link LstmState} of {@link #stateSize()} floats
 * per array.
 */
public final class LstmModel implements SequenceModel {
  private final ModelInfo info;
  private final Normalizer normalizer;
  private final InputScaling scaling;
  private final TimeFeatures time;
  private final List<LstmLayer> layers;
  private final DenseLayer head;
  private final int[] offsets;
  private final int stateSize;

  /** A model without time inputs. */
  public LstmModel(
      ModelInfo info,
      Normalizer normalizer,
      InputScaling scaling,
      List<LstmLayer> layers,
      DenseLayer head) {
    this(info, normalizer, scaling, TimeFeatures.NONE, layers, head);
  }

  /**
   * @throws IllegalArgumentException if the sizes do not chain: the first layer's input is the
   *     normaliser's size plus the time inputs, each layer's input the previous layer's hidden
   *     size, and the head maps the last hidden size back to the normaliser's size
   */
  public LstmModel(
      ModelInfo info,
      Normalizer normalizer,
      InputScaling scaling,
      TimeFeatures time,
      List<LstmLayer> layers,
      DenseLayer head) {
    this.info = Objects.requireNonNull(info, "info");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.scaling = Objects.requireNonNull(scaling, "scaling");
    this.time = Objects.requireNonNull(time, "time");
    this.layers = List.copyOf(layers);
    this.head = Objects.requireNonNull(head, "head");
    if (this.layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one LSTM layer");
    }
    this.offsets = new int[this.layers.size()];
    int expectedInput = normalizer.size() + time.width();
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
                    ? " (the model's step: "
                        + normalizer.size()
                        + " values and "
                        + time.width()
                        + " time inputs)"
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
    return new LstmModel(newInfo, normalizer, scaling, time, layers, head);
  }

  /** The same weights, expecting values scaled another way. */
  public LstmModel withScaling(InputScaling newScaling) {
    return new LstmModel(info, normalizer, newScaling, time, layers, head);
  }

  public Normalizer normalizer() {
    return normalizer;
  }

  /** How each key's values are scaled before the normaliser. */
  public InputScaling scaling() {
    return scaling;
  }

  /** The time inputs each step takes after its values; {@link TimeFeatures#NONE} for none. */
  public TimeFeatures time() {
    return time;
  }

  public List<LstmLayer> layers() {
    return layers;
  }

  public DenseLayer head() {
    return head;
  }

  /** D, the length of every event's value vector, and of the head's prediction. */
  public int inputSize() {
    return normalizer.size();
  }

  /**
   * D + T: the floats of one step as the first layer takes it, the event's values followed by its
   * {@link TimeFeatures#width()} time inputs.
   */
  public int stepSize() {
    return normalizer.size() + time.width();
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
}
