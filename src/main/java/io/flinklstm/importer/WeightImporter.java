package io.flinklstm.importer;

import io.flinklstm.model.DenseLayer;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Normalizer;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an {@link LstmModel} from weights trained elsewhere: the LSTM layers and dense head in a
 * framework's layout ({@link KerasImporter}, {@link PyTorchImporter}) plus optional input
 * normalisation.
 *
 * <p>Normalisation, z = (x - mean) / std, comes from one of two places, never both:
 *
 * <ul>
 *   <li>a separate archive with arrays {@value #MEAN} and {@value #STD}, each of length D;
 *   <li>arrays {@value #EMBEDDED_MEAN} and {@value #EMBEDDED_STD} inside the weights archive.
 * </ul>
 *
 * With neither, the model uses the identity (mean 0, std 1): the network was trained on raw values.
 *
 * <p>Everything is validated before a model is built, so a bad file is refused with a message that
 * names the source, the array and the shapes rather than failing deep inside the model.
 */
public abstract sealed class WeightImporter permits KerasImporter, PyTorchImporter {
  /** Mean in a separate normalisation archive. */
  public static final String MEAN = "mean";

  /** Standard deviation in a separate normalisation archive. */
  public static final String STD = "std";

  /** Mean inside the weights archive. */
  public static final String EMBEDDED_MEAN = "normalization/mean";

  /** Standard deviation inside the weights archive. */
  public static final String EMBEDDED_STD = "normalization/std";

  WeightImporter() {}

  /** Imports a model whose normalisation, if any, is inside the weights archive. */
  public final LstmModel importModel(WeightArrays weights, ModelInfo info) {
    List<LstmLayer> layers = layers(weights);
    Normalizer normalizer;
    if (weights.contains(EMBEDDED_MEAN) || weights.contains(EMBEDDED_STD)) {
      normalizer = normalizer(weights, EMBEDDED_MEAN, EMBEDDED_STD, layers.get(0).inputSize());
    } else {
      normalizer = Normalizer.identity(layers.get(0).inputSize());
    }
    return assemble(weights, layers, normalizer, info);
  }

  /**
   * Imports a model with the normalisation from a separate archive.
   *
   * @throws IllegalArgumentException also if the weights archive holds normalisation too
   */
  public final LstmModel importModel(
      WeightArrays weights, WeightArrays normalization, ModelInfo info) {
    Objects.requireNonNull(normalization, "normalization");
    if (weights.contains(EMBEDDED_MEAN) || weights.contains(EMBEDDED_STD)) {
      throw weights.error(
          "holds '"
              + EMBEDDED_MEAN
              + "'/'"
              + EMBEDDED_STD
              + "' and normalisation was also given in "
              + normalization.source()
              + "; give it in one place only");
    }
    List<LstmLayer> layers = layers(weights);
    Normalizer normalizer = normalizer(normalization, MEAN, STD, layers.get(0).inputSize());
    return assemble(weights, layers, normalizer, info);
  }

  /** The LSTM layers, bottom first, validated and in gate order i, f, g, o. */
  abstract List<LstmLayer> layers(WeightArrays weights);

  /**
   * The dense head from the last layer's hidden state to the next input vector.
   *
   * @param hiddenSize the last layer's H
   * @param inputSize the model's D, which the head must predict
   */
  abstract DenseLayer head(WeightArrays weights, int hiddenSize, int inputSize);

  /**
   * How many layers the archive holds: names {@code first(0)}, {@code first(1)}, ... must all be
   * present up to the count, and no array may name a layer beyond it.
   *
   * @param layerIndex finds a layer index in any of the layer's array names
   */
  static int countLayers(WeightArrays weights, IntFunction<String> first, Pattern layerIndex) {
    int count = 0;
    while (weights.contains(first.apply(count))) {
      count++;
    }
    if (count == 0) {
      throw weights.missing(first.apply(0));
    }
    for (String name : weights.names()) {
      Matcher m = layerIndex.matcher(name);
      if (m.matches() && Integer.parseInt(m.group(1)) >= count) {
        throw weights.error(
            "array '"
                + name
                + "' belongs to layer "
                + m.group(1)
                + " but '"
                + first.apply(count)
                + "' is missing; layers must be numbered 0.."
                + (count - 1)
                + " without gaps");
      }
    }
    return count;
  }

  /** H from a recurrent matrix that must be (H, 4H), or (4H, H) where {@code transposed}. */
  static int hiddenSize(WeightArrays weights, String name, boolean transposed) {
    String meaning = transposed ? "(4H, H)" : "(H, 4H)";
    int[] shape = weights.shape(name, 2, meaning);
    int hidden = transposed ? shape[1] : shape[0];
    int gates = transposed ? shape[0] : shape[1];
    if (hidden < 1 || gates != 4 * hidden) {
      throw weights.error(
          "array '"
              + name
              + "' has shape "
              + NpyArray.describe(shape)
              + ", expected "
              + meaning
              + ": "
              + gates
              + " is not 4 × "
              + hidden);
    }
    return hidden;
  }

  private LstmModel assemble(
      WeightArrays weights, List<LstmLayer> layers, Normalizer normalizer, ModelInfo info) {
    int last = layers.get(layers.size() - 1).hiddenSize();
    DenseLayer head = head(weights, last, layers.get(0).inputSize());
    return new LstmModel(Objects.requireNonNull(info, "info"), normalizer, layers, head);
  }

  private static Normalizer normalizer(WeightArrays arrays, String mean, String std, int size) {
    String meaning = "(D,) with D = " + size + ", the model's input size";
    float[] m = arrays.vector(mean, size, meaning);
    float[] s = arrays.vector(std, size, meaning);
    for (int i = 0; i < size; i++) {
      if (!(s[i] > 0f)) {
        throw arrays.error(
            "array '" + std + "' has " + s[i] + " at [" + i + "]; a std must be positive");
      }
    }
    return new Normalizer(m, s);
  }
}
