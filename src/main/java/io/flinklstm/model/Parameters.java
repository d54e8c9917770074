package io.flinklstm.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A mutable copy of a model's weights for training, in the logical (unpadded) layout: per layer Wx
 * (D × 4H), Wh (H × 4H) and b (4H), gate order i, f, g, o; then the head's W (H × O) and b (O).
 *
 * <p>The same class holds gradients: {@link #zerosLike()} gives an accumulator of the same shape,
 * and {@link #arrays()} lists every array in one fixed order, so an optimiser can walk parameters,
 * gradients and its moment estimates side by side.
 */
public final class Parameters {
  /** One LSTM layer's trainable arrays. */
  public static final class Layer {
    public final float[][] inputWeights;
    public final float[][] recurrentWeights;
    public final float[] bias;
    public final Activation activation;
    public final Activation recurrentActivation;

    Layer(
        float[][] inputWeights,
        float[][] recurrentWeights,
        float[] bias,
        Activation activation,
        Activation recurrentActivation) {
      this.inputWeights = inputWeights;
      this.recurrentWeights = recurrentWeights;
      this.bias = bias;
      this.activation = activation;
      this.recurrentActivation = recurrentActivation;
    }

    public int inputSize() {
      return inputWeights.length;
    }

    public int hiddenSize() {
      return recurrentWeights.length;
    }
  }

  public final Layer[] layers;
  public final float[][] headWeights;
  public final float[] headBias;
  // Built once: optimisers walk it on every update, and the arrays never change identity.
  private final List<float[]> all;

  private Parameters(Layer[] layers, float[][] headWeights, float[] headBias) {
    this.layers = layers;
    this.headWeights = headWeights;
    this.headBias = headBias;
    List<float[]> list = new ArrayList<>();
    for (Layer p : layers) {
      list.addAll(Arrays.asList(p.inputWeights));
      list.addAll(Arrays.asList(p.recurrentWeights));
      list.add(p.bias);
    }
    list.addAll(Arrays.asList(headWeights));
    list.add(headBias);
    this.all = Collections.unmodifiableList(list);
  }

  /** A copy of the model's weights. */
  public static Parameters of(LstmModel model) {
    Layer[] layers = new Layer[model.layers().size()];
    for (int l = 0; l < layers.length; l++) {
      LstmLayer layer = model.layers().get(l);
      layers[l] =
          new Layer(
              layer.inputWeights(),
              layer.recurrentWeights(),
              layer.bias(),
              layer.activation(),
              layer.recurrentActivation());
    }
    return new Parameters(layers, model.head().weights(), model.head().bias());
  }

  /** Zeros of the same shape, for gradients and optimiser moments. */
  public Parameters zerosLike() {
    Layer[] zeros = new Layer[layers.length];
    for (int l = 0; l < layers.length; l++) {
      Layer p = layers[l];
      zeros[l] =
          new Layer(
              new float[p.inputSize()][p.bias.length],
              new float[p.hiddenSize()][p.bias.length],
              new float[p.bias.length],
              p.activation,
              p.recurrentActivation);
    }
    return new Parameters(
        zeros, new float[headWeights.length][headBias.length], new float[headBias.length]);
  }

  public Parameters copy() {
    Parameters copy = zerosLike();
    copy.copyFrom(this);
    return copy;
  }

  /** Overwrites every value with the other's; shapes must match. */
  public void copyFrom(Parameters other) {
    List<float[]> from = other.arrays();
    List<float[]> to = arrays();
    for (int i = 0; i < to.size(); i++) {
      System.arraycopy(from.get(i), 0, to.get(i), 0, to.get(i).length);
    }
  }

  /** Sets every value to zero. */
  public void clear() {
    for (float[] a : arrays()) {
      Arrays.fill(a, 0f);
    }
  }

  /**
   * Every array, in a fixed order: per layer the rows of Wx, the rows of Wh and b, then the rows of
   * the head's W and its b. The arrays are live: writing to them changes the parameters. The list
   * itself is unmodifiable and the same on every call.
   */
  public List<float[]> arrays() {
    return all;
  }

  /** The number of trainable values. */
  public long size() {
    long n = 0;
    for (float[] a : arrays()) {
      n += a.length;
    }
    return n;
  }

  /** Builds an immutable model from these values; fails on non-finite values. */
  public LstmModel toModel(ModelInfo info, Normalizer normalizer) {
    List<LstmLayer> built = new ArrayList<>();
    for (Layer p : layers) {
      built.add(
          new LstmLayer(
              p.inputWeights, p.recurrentWeights, p.bias, p.activation, p.recurrentActivation));
    }
    return new LstmModel(info, normalizer, built, new DenseLayer(headWeights, headBias));
  }
}
