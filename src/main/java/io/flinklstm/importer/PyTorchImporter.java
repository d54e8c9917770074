package io.flinklstm.importer;

import io.flinklstm.model.Activation;
import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Imports a PyTorch {@code nn.LSTM} (any number of layers, {@code batch_first} either way) and an
 * {@code nn.Linear} head from their {@code state_dict}, saved as NumPy arrays under the state
 * dict's own names. With the default prefixes {@code lstm.} and {@code head.}:
 *
 * <pre>
 *   lstm.weight_ih_l{k}   (4H, D_k)   D_0 = D, the input size; D_k = H above
 *   lstm.weight_hh_l{k}   (4H, H)
 *   lstm.bias_ih_l{k}     (4H,)
 *   lstm.bias_hh_l{k}     (4H,)       added to bias_ih_l{k}
 *   head.weight           (D, H)      the head predicts the next input vector
 *   head.bias             (D,)
 *   normalization/mean, normalization/std   (D,) each, optional; see {@link WeightImporter}
 * </pre>
 *
 * <p>From Python: {@code numpy.savez("weights.npz", **{k: v.numpy() for k, v in
 * model.state_dict().items()})}. Other module names are given as prefixes (for instance {@code
 * rnn.} and {@code fc.}); arrays of other modules are ignored.
 *
 * <p>PyTorch stores weights as (out, in), the transpose of this project's (in, out) rows, and keeps
 * two biases that it always adds, so the importer transposes and sums; the gate order i, f, g, o is
 * the model's own. PyTorch's LSTM always uses sigmoid gates and tanh. Bidirectional layers,
 * projections ({@code proj_size}) and {@code bias=False} are not supported and refused.
 */
public final class PyTorchImporter extends WeightImporter {
  /** The module names a model built as {@code self.lstm} and {@code self.head} has. */
  public static final String DEFAULT_LSTM_PREFIX = "lstm.";

  public static final String DEFAULT_HEAD_PREFIX = "head.";

  private final String lstmPrefix;
  private final String headPrefix;
  private final Pattern layerArray;

  /** With the prefixes {@value #DEFAULT_LSTM_PREFIX} and {@value #DEFAULT_HEAD_PREFIX}. */
  public PyTorchImporter() {
    this(DEFAULT_LSTM_PREFIX, DEFAULT_HEAD_PREFIX);
  }

  /**
   * @param lstmPrefix what precedes {@code weight_ih_l0}, including the dot; empty for a bare
   *     {@code nn.LSTM}'s state dict
   * @param headPrefix what precedes the Linear head's {@code weight} and {@code bias}
   */
  public PyTorchImporter(String lstmPrefix, String headPrefix) {
    this.lstmPrefix = lstmPrefix;
    this.headPrefix = headPrefix;
    this.layerArray =
        Pattern.compile(Pattern.quote(lstmPrefix) + "(?:weight|bias)_(?:ih|hh|hr)_l(\\d+).*");
  }

  String weightIh(int layer) {
    return lstmPrefix + "weight_ih_l" + layer;
  }

  String weightHh(int layer) {
    return lstmPrefix + "weight_hh_l" + layer;
  }

  String biasIh(int layer) {
    return lstmPrefix + "bias_ih_l" + layer;
  }

  String biasHh(int layer) {
    return lstmPrefix + "bias_hh_l" + layer;
  }

  @Override
  List<LstmLayer> layers(WeightArrays weights) {
    refuseUnsupported(weights);
    int count = countLayers(weights, this::weightIh, layerArray);
    List<LstmLayer> layers = new ArrayList<>(count);
    int previousHidden = -1;
    for (int k = 0; k < count; k++) {
      int hidden = hiddenSize(weights, weightHh(k), true);
      int gates = 4 * hidden;
      String gatesMeaning = "4H with H = " + hidden + " from " + weightHh(k);
      int inputs;
      String inputMeaning;
      if (k == 0) {
        inputs = weights.shape(weightIh(k), 2, "(4H, D)")[1];
        inputMeaning = "D";
      } else {
        inputs = previousHidden;
        inputMeaning = "the hidden size of layer " + (k - 1) + ", whose output this layer reads";
      }
      float[][] inputWeights =
          weights.transposed(
              weightIh(k), gates, inputs, "(" + gatesMeaning + ", " + inputMeaning + ")");
      float[][] recurrentWeights =
          weights.transposed(weightHh(k), gates, hidden, "(4H, H) with H = " + hidden);
      float[] bias = weights.vector(biasIh(k), gates, "(" + gatesMeaning + ",)");
      float[] biasHh = weights.vector(biasHh(k), gates, "(" + gatesMeaning + ",)");
      for (int j = 0; j < gates; j++) {
        bias[j] += biasHh[j];
      }
      layers.add(
          new LstmLayer(inputWeights, recurrentWeights, bias, Activation.TANH, Activation.SIGMOID));
      previousHidden = hidden;
    }
    return layers;
  }

  @Override
  DenseLayer head(WeightArrays weights, int hiddenSize, int inputSize) {
    String meaning =
        "(D, the last layer's hidden size): the head predicts the next "
            + inputSize
            + "-value input";
    float[][] weight = weights.transposed(headPrefix + "weight", inputSize, hiddenSize, meaning);
    float[] bias = weights.vector(headPrefix + "bias", inputSize, "(D,) with D = " + inputSize);
    return new DenseLayer(weight, bias);
  }

  /** Variants whose arrays would otherwise be silently ignored and give wrong outputs. */
  private void refuseUnsupported(WeightArrays weights) {
    for (String name : weights.names()) {
      if (!name.startsWith(lstmPrefix)) {
        continue;
      }
      if (name.endsWith("_reverse")) {
        throw weights.error(
            "array '" + name + "' belongs to a bidirectional LSTM, which is not supported");
      }
      if (name.startsWith(lstmPrefix + "weight_hr_l")) {
        throw weights.error(
            "array '" + name + "' is an LSTM projection (proj_size > 0), which is not supported");
      }
    }
    if (weights.contains(weightIh(0)) && !weights.contains(biasIh(0))) {
      throw weights.error(
          "missing array '"
              + biasIh(0)
              + "'; an LSTM built with bias=False is not supported (save zero biases instead)");
    }
  }
}
