package io.flinklstm.importer;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Imports stacked Keras {@code LSTM} layers and a {@code Dense} head, saved as NumPy arrays under
 * these names (layer k = 0, 1, ... from the bottom, without gaps):
 *
 * <pre>
 *   lstm_k/kernel             (D_k, 4H_k)   D_0 = D, the input size; D_k = H_(k-1) above
 *   lstm_k/recurrent_kernel   (H_k, 4H_k)
 *   lstm_k/bias               (4H_k,)
 *   dense/kernel              (H_last, D)   the head predicts the next input vector
 *   dense/bias                (D,)
 *   normalization/mean, normalization/std   (D,) each, optional; see {@link WeightImporter}
 * </pre>
 *
 * <p>Keras orders the gate blocks of every array i, f, c, o; its c is the candidate cell this
 * project calls g, so the order is already the model's i, f, g, o and no permutation is needed. A
 * layer built with {@code use_bias=False} must be saved with a zero bias.
 *
 * <p>From Python, for a {@code Sequential} of LSTM layers and one Dense layer:
 *
 * <pre>
 *   arrays = {}
 *   lstms = [l for l in model.layers if isinstance(l, keras.layers.LSTM)]
 *   for k, layer in enumerate(lstms):
 *       kernel, recurrent, bias = layer.get_weights()
 *       arrays.update({f"lstm_{k}/kernel": kernel, f"lstm_{k}/recurrent_kernel": recurrent,
 *                      f"lstm_{k}/bias": bias})
 *   arrays["dense/kernel"], arrays["dense/bias"] = model.layers[-1].get_weights()
 *   numpy.savez("weights.npz", **arrays)
 * </pre>
 *
 * <p>Keras does not store the activations with the weights; give the ones the layers were built
 * with (Keras' defaults, {@code tanh} and {@code sigmoid}, unless told otherwise). All layers use
 * the same pair.
 */
public final class KerasImporter extends WeightImporter {
  static final String DENSE_KERNEL = "dense/kernel";
  static final String DENSE_BIAS = "dense/bias";
  private static final Pattern LAYER_ARRAY = Pattern.compile("lstm_(\\d+)/.*");

  private final Activation activation;
  private final Activation recurrentActivation;

  /** With Keras' default activations, tanh and sigmoid. */
  public KerasImporter() {
    this(Activation.TANH, Activation.SIGMOID);
  }

  /**
   * @param activation applied to the candidate cell and the cell output ({@code activation})
   * @param recurrentActivation applied to the i, f and o gates ({@code recurrent_activation})
   */
  public KerasImporter(Activation activation, Activation recurrentActivation) {
    this.activation = Objects.requireNonNull(activation, "activation");
    this.recurrentActivation = Objects.requireNonNull(recurrentActivation, "recurrentActivation");
  }

  static String kernel(int layer) {
    return "lstm_" + layer + "/kernel";
  }

  static String recurrentKernel(int layer) {
    return "lstm_" + layer + "/recurrent_kernel";
  }

  static String bias(int layer) {
    return "lstm_" + layer + "/bias";
  }

  @Override
  List<LstmLayer> layers(WeightArrays weights) {
    int count = countLayers(weights, KerasImporter::kernel, LAYER_ARRAY);
    List<LstmLayer> layers = new ArrayList<>(count);
    int previousHidden = -1;
    for (int k = 0; k < count; k++) {
      int hidden = hiddenSize(weights, recurrentKernel(k), false);
      int gates = 4 * hidden;
      String gatesMeaning = "4H with H = " + hidden + " from " + recurrentKernel(k);
      int inputs;
      String inputMeaning;
      if (k == 0) {
        inputs = weights.shape(kernel(k), 2, "(D, 4H)")[0];
        inputMeaning = "D";
      } else {
        inputs = previousHidden;
        inputMeaning = "the hidden size of layer " + (k - 1) + ", whose output this layer reads";
      }
      float[][] kernel =
          weights.matrix(kernel(k), inputs, gates, "(" + inputMeaning + ", " + gatesMeaning + ")");
      float[][] recurrent =
          weights.matrix(recurrentKernel(k), hidden, gates, "(H, 4H) with H = " + hidden);
      float[] bias = weights.vector(bias(k), gates, "(" + gatesMeaning + ",)");
      layers.add(new LstmLayer(kernel, recurrent, bias, activation, recurrentActivation));
      previousHidden = hidden;
    }
    return layers;
  }

  @Override
  DenseLayer head(WeightArrays weights, int hiddenSize, int inputSize) {
    String meaning =
        "(the last layer's hidden size, D): the head predicts the next "
            + inputSize
            + "-value input";
    float[][] kernel = weights.matrix(DENSE_KERNEL, hiddenSize, inputSize, meaning);
    float[] bias = weights.vector(DENSE_BIAS, inputSize, "(D,) with D = " + inputSize);
    return new DenseLayer(kernel, bias);
  }
}
