package io.flinklstm.model.format;

import static io.flinklstm.model.format.ModelHeaderParser.activation;
import static io.flinklstm.model.format.ModelHeaderParser.onlyFields;
import static io.flinklstm.model.format.ModelHeaderParser.size;
import static io.flinklstm.model.format.ModelHeaderParser.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.flinklstm.model.CellType;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelHeader.LayerSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The parts of a format-2, -3 and -4 header that format 1 does not have: the input kind, the cell
 * type of every layer, the head kind and the vocabulary, from format 3 a numeric model's scaling,
 * and in format 4 its time inputs (see {@link ModelFile}).
 */
final class ModelHeaderV2 {
  private ModelHeaderV2() {}

  static ModelHeader build(JsonNode root, int version) throws ModelFileException {
    JsonNode arch = root.get("architecture");
    onlyFields(arch, "architecture", version, "input", "layers", "head");
    JsonNode input = arch.get("input");
    if (!input.isObject()) {
      throw new ModelFileException("header field architecture.input must be an object");
    }
    String kind = text(input.get("type"), "architecture.input.type");
    boolean symbols;
    int inputSize;
    int vocabularySize = 0;
    InputScaling scaling = null;
    TimeFeatures time = null;
    if (ModelHeader.NUMERIC.equals(kind)) {
      symbols = false;
      time = TimeFeatures.NONE;
      if (version >= ModelFile.TIMED_FORMAT_VERSION) {
        onlyFields(input, "architecture.input", version, "type", "size", "scaling", "time");
        scaling = scaling(input.get("scaling"), version);
        time = time(input.get("time"), version);
      } else if (version >= ModelFile.SCALED_FORMAT_VERSION) {
        onlyFields(input, "architecture.input", version, "type", "size", "scaling");
        scaling = scaling(input.get("scaling"), version);
      } else {
        onlyFields(input, "architecture.input", version, "type", "size");
        scaling = InputScaling.NONE;
      }
      inputSize = size(input.get("size"), "architecture.input.size");
    } else if (ModelHeader.SYMBOLS.equals(kind)) {
      symbols = true;
      onlyFields(input, "architecture.input", version, "type", "vocabularySize", "embeddingSize");
      vocabularySize = size(input.get("vocabularySize"), "architecture.input.vocabularySize");
      inputSize = size(input.get("embeddingSize"), "architecture.input.embeddingSize");
    } else {
      throw new ModelFileException(
          "header field architecture.input.type is '"
              + kind
              + "', expected '"
              + ModelHeader.NUMERIC
              + "' or '"
              + ModelHeader.SYMBOLS
              + "'");
    }
    List<String> top = new ArrayList<>(Arrays.asList(ModelHeaderParser.TOP));
    if (symbols) {
      top.add("vocabulary");
    }
    onlyFields(root, "header", version, top.toArray(new String[0]));
    List<LayerSpec> layers = layers(arch.get("layers"), symbols, version);
    int outputSize = head(arch.get("head"), symbols, symbols ? vocabularySize : inputSize, version);
    Vocabulary vocabulary =
        symbols ? vocabulary(root.get("vocabulary"), vocabularySize, version) : null;
    return ModelHeaderParser.complete(
        root, version, inputSize, scaling, time, vocabulary, layers, outputSize);
  }

  /** A numeric model's time inputs: {"features": ["day", "week"], "zone": "UTC"}. */
  private static TimeFeatures time(JsonNode node, int version) throws ModelFileException {
    String path = "architecture.input.time";
    if (node == null || !node.isObject()) {
      throw new ModelFileException("header field " + path + " must be an object");
    }
    onlyFields(node, path, version, "features", "zone");
    JsonNode features = node.get("features");
    if (!features.isArray()) {
      throw new ModelFileException("header field " + path + ".features must be an array");
    }
    List<TimeFeatures.Period> periods = new ArrayList<>();
    String zone = text(node.get("zone"), path + ".zone");
    try {
      for (int i = 0; i < features.size(); i++) {
        periods.add(
            TimeFeatures.Period.parse(text(features.get(i), path + ".features[" + i + "]")));
      }
      return new TimeFeatures(periods, TimeFeatures.zone(zone));
    } catch (IllegalArgumentException e) {
      throw new ModelFileException("header field " + path + ": " + e.getMessage(), e);
    }
  }

  /** A numeric model's scaling: {"type": "per-key", "learnEvents": .., ...} or {"type": "none"}. */
  private static InputScaling scaling(JsonNode node, int version) throws ModelFileException {
    String path = "architecture.input.scaling";
    if (node == null || !node.isObject()) {
      throw new ModelFileException("header field " + path + " must be an object");
    }
    String type = text(node.get("type"), path + ".type");
    try {
      InputScaling.Kind kind = InputScaling.Kind.parse(type);
      if (kind == InputScaling.Kind.NONE) {
        onlyFields(node, path, version, "type");
        return InputScaling.NONE;
      }
      onlyFields(node, path, version, "type", "learnEvents", "adaptEvents", "clip");
      JsonNode clip = node.get("clip");
      if (!clip.isNumber()) {
        throw new ModelFileException("header field " + path + ".clip must be a number");
      }
      return InputScaling.perKey(
          ModelHeaderParser.count(node.get("learnEvents"), path + ".learnEvents"),
          ModelHeaderParser.count(node.get("adaptEvents"), path + ".adaptEvents"),
          clip.doubleValue());
    } catch (IllegalArgumentException e) {
      throw new ModelFileException("header field " + path + ": " + e.getMessage(), e);
    }
  }

  private static List<LayerSpec> layers(JsonNode node, boolean symbols, int version)
      throws ModelFileException {
    if (!node.isArray() || node.isEmpty()) {
      throw new ModelFileException("header field architecture.layers must be a non-empty array");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (int l = 0; l < node.size(); l++) {
      String path = "architecture.layers[" + l + "]";
      JsonNode layer = node.get(l);
      if (!layer.isObject()) {
        throw new ModelFileException("header field " + path + " must be an object");
      }
      String type = text(layer.get("type"), path + ".type");
      CellType cell;
      try {
        cell = CellType.parse(type);
      } catch (IllegalArgumentException e) {
        throw new ModelFileException(
            "header field " + path + ".type is '" + type + "', expected 'lstm' or 'rnn'");
      }
      if (cell == CellType.LSTM) {
        onlyFields(layer, path, version, "type", "hiddenSize", "activation", "recurrentActivation");
      } else {
        onlyFields(layer, path, version, "type", "hiddenSize", "activation");
        if (!symbols) {
          throw new ModelFileException(
              "header: "
                  + path
                  + " is an rnn layer, but numeric models have LSTM layers only in this build");
        }
      }
      layers.add(
          new LayerSpec(
              cell,
              size(layer.get("hiddenSize"), path + ".hiddenSize"),
              activation(layer.get("activation"), path + ".activation"),
              cell == CellType.LSTM
                  ? activation(layer.get("recurrentActivation"), path + ".recurrentActivation")
                  : null));
    }
    return layers;
  }

  private static int head(JsonNode head, boolean symbols, int expected, int version)
      throws ModelFileException {
    onlyFields(head, "architecture.head", version, "type", "outputSize");
    String want = symbols ? ModelHeader.SOFTMAX : ModelHeader.DENSE;
    String type = text(head.get("type"), "architecture.head.type");
    if (!want.equals(type)) {
      throw new ModelFileException(
          "header field architecture.head.type is '"
              + type
              + "', but a model with "
              + (symbols ? "symbol" : "numeric")
              + " input has a '"
              + want
              + "' head");
    }
    int outputSize = size(head.get("outputSize"), "architecture.head.outputSize");
    if (outputSize != expected) {
      throw new ModelFileException(
          "header field architecture.head.outputSize is "
              + outputSize
              + (symbols
                  ? " but the softmax ranges over the vocabulary, so it must equal"
                      + " architecture.input.vocabularySize "
                  : " but the head predicts the next input, so it must equal"
                      + " architecture.input.size ")
              + expected);
    }
    return outputSize;
  }

  private static Vocabulary vocabulary(JsonNode node, int vocabularySize, int version)
      throws ModelFileException {
    onlyFields(node, "vocabulary", version, "unknown", "symbols");
    String unknown = text(node.get("unknown"), "vocabulary.unknown");
    JsonNode list = node.get("symbols");
    if (!list.isArray()) {
      throw new ModelFileException("header field vocabulary.symbols must be an array of strings");
    }
    if (list.size() != vocabularySize) {
      throw new ModelFileException(
          "header field vocabulary.symbols lists "
              + list.size()
              + " symbols but architecture.input.vocabularySize is "
              + vocabularySize);
    }
    List<String> symbols = new ArrayList<>(list.size());
    for (int id = 0; id < list.size(); id++) {
      symbols.add(text(list.get(id), "vocabulary.symbols[" + id + "]"));
    }
    // Duplicates, an empty symbol and a missing unknown entry: refused by Vocabulary's checks.
    return new Vocabulary(symbols, unknown);
  }
}
