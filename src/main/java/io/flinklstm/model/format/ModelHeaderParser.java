package io.flinklstm.model.format;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.flinklstm.model.Activation;
import io.flinklstm.model.CellType;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelFileSummary.Tensor;
import io.flinklstm.model.format.ModelHeader.LayerSpec;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and checks a JSON header of format version 1 or 2: every field present with the right type,
 * no field or tensor the version does not know (a future format bumps the version instead), and a
 * tensor table whose shapes are exactly those the architecture implies. Version 2's architecture
 * and vocabulary are read by {@link ModelHeaderV2}.
 */
final class ModelHeaderParser {
  /** Duplicate keys would let two readers see two different headers; refuse them. */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  static final String[] TOP = {
    "name", "version", "created", "parentVersion", "architecture", "gateOrder", "metrics", "tensors"
  };
  private static final Activation[] ACTIVATIONS = Activation.values();

  private ModelHeaderParser() {}

  static ModelHeader parse(byte[] bytes, int offset, int length, int version)
      throws ModelFileException {
    JsonNode root;
    try {
      root = JSON.readTree(bytes, offset, length);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      throw new ModelFileException("header JSON is malformed: " + e.getOriginalMessage() + where);
    } catch (IOException e) {
      throw new ModelFileException("header JSON is malformed: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ModelFileException("header JSON must be an object");
    }
    try {
      if (version == 1) {
        onlyFields(root, "header", 1, TOP);
        return build(root);
      }
      return ModelHeaderV2.build(root, version);
    } catch (IllegalArgumentException e) {
      throw new ModelFileException("header: " + e.getMessage(), e);
    }
  }

  private static ModelHeader build(JsonNode root) throws ModelFileException {
    JsonNode arch = root.get("architecture");
    onlyFields(arch, "architecture", 1, "inputSize", "layers", "head");
    int inputSize = size(arch.get("inputSize"), "architecture.inputSize");
    JsonNode layersNode = arch.get("layers");
    if (!layersNode.isArray() || layersNode.isEmpty()) {
      throw new ModelFileException("header field architecture.layers must be a non-empty array");
    }
    List<LayerSpec> layers = new ArrayList<>();
    for (int l = 0; l < layersNode.size(); l++) {
      String path = "architecture.layers[" + l + "]";
      JsonNode layer = layersNode.get(l);
      onlyFields(layer, path, 1, "type", "hiddenSize", "activation", "recurrentActivation");
      constant(layer.get("type"), path + ".type", 1, ModelHeader.LSTM);
      layers.add(
          new LayerSpec(
              CellType.LSTM,
              size(layer.get("hiddenSize"), path + ".hiddenSize"),
              activation(layer.get("activation"), path + ".activation"),
              activation(layer.get("recurrentActivation"), path + ".recurrentActivation")));
    }
    JsonNode head = arch.get("head");
    onlyFields(head, "architecture.head", 1, "type", "outputSize");
    constant(head.get("type"), "architecture.head.type", 1, ModelHeader.DENSE);
    int outputSize = size(head.get("outputSize"), "architecture.head.outputSize");
    if (outputSize != inputSize) {
      throw new ModelFileException(
          "header field architecture.head.outputSize is "
              + outputSize
              + " but the head predicts the next input, so it must equal inputSize "
              + inputSize);
    }
    return complete(
        root, 1, inputSize, InputScaling.NONE, TimeFeatures.NONE, null, layers, outputSize);
  }

  /** The fields both versions share, and the tensor table checked against the architecture. */
  static ModelHeader complete(
      JsonNode root,
      int version,
      int inputSize,
      InputScaling scaling,
      TimeFeatures time,
      Vocabulary vocabulary,
      List<LayerSpec> layers,
      int outputSize)
      throws ModelFileException {
    GateOrder gateOrder = GateOrder.parse(text(root.get("gateOrder"), "gateOrder"));
    ModelInfo info =
        new ModelInfo(
            text(root.get("name"), "name"),
            integral(root.get("version"), "version"),
            instant(root.get("created")),
            integral(root.get("parentVersion"), "parentVersion"),
            metrics(root.get("metrics")));
    List<Tensor> expected;
    try {
      expected =
          ModelHeader.canonicalTensors(
              inputSize, time == null ? 0 : time.width(), vocabulary, layers, outputSize);
    } catch (ArithmeticException e) {
      throw new ModelFileException("header: the architecture's sizes overflow");
    }
    List<Tensor> tensors = tensors(root.get("tensors"), expected, version);
    return new ModelHeader(
        version,
        info,
        inputSize,
        scaling,
        time,
        vocabulary,
        layers,
        outputSize,
        gateOrder,
        tensors);
  }

  private static List<Tensor> tensors(JsonNode node, List<Tensor> expected, int version)
      throws ModelFileException {
    if (!node.isArray()) {
      throw new ModelFileException("header field tensors must be an array");
    }
    Map<String, Tensor> byName = new LinkedHashMap<>();
    for (Tensor t : expected) {
      byName.put(t.name(), t);
    }
    Set<String> seen = new HashSet<>();
    List<Tensor> tensors = new ArrayList<>();
    for (int k = 0; k < node.size(); k++) {
      String path = "tensors[" + k + "]";
      JsonNode entry = node.get(k);
      onlyFields(entry, path, version, "name", "shape");
      String name = text(entry.get("name"), path + ".name");
      Tensor want = byName.get(name);
      if (want == null) {
        throw new ModelFileException(
            "header field " + path + " names an unknown tensor '" + name + "'");
      }
      if (!seen.add(name)) {
        throw new ModelFileException("header: tensor '" + name + "' is listed twice");
      }
      JsonNode shapeNode = entry.get("shape");
      if (!shapeNode.isArray()) {
        throw new ModelFileException("header field " + path + ".shape must be an array");
      }
      List<Integer> shape = new ArrayList<>();
      for (int i = 0; i < shapeNode.size(); i++) {
        shape.add(size(shapeNode.get(i), path + ".shape[" + i + "]"));
      }
      if (!shape.equals(want.shape())) {
        throw new ModelFileException(
            "header: tensor '"
                + name
                + "' has shape "
                + shape
                + " but the architecture needs "
                + want.shape());
      }
      tensors.add(want);
    }
    for (String name : byName.keySet()) {
      if (!seen.contains(name)) {
        throw new ModelFileException("header: the tensor table lacks '" + name + "'");
      }
    }
    return tensors;
  }

  private static Map<String, Double> metrics(JsonNode node) throws ModelFileException {
    if (!node.isObject()) {
      throw new ModelFileException("header field metrics must be an object");
    }
    Map<String, Double> metrics = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isNumber()) {
        throw new ModelFileException(
            "header field metrics." + e.getKey() + " must be a number, was " + e.getValue());
      }
      metrics.put(e.getKey(), e.getValue().doubleValue());
    }
    return metrics;
  }

  /** Refuses a non-object, a missing field and a field the format version does not define. */
  static void onlyFields(JsonNode node, String path, int version, String... names)
      throws ModelFileException {
    if (node == null || !node.isObject()) {
      throw new ModelFileException("header field " + path + " must be an object");
    }
    Set<String> known = Set.of(names);
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new ModelFileException(
            "header field "
                + (path.equals("header") ? "" : path + ".")
                + name
                + " is unknown to format version "
                + version
                + " (known: "
                + String.join(", ", names)
                + ")");
      }
    }
    for (String name : names) {
      if (!node.has(name)) {
        throw new ModelFileException(
            "header lacks the field " + (path.equals("header") ? "" : path + ".") + name);
      }
    }
  }

  static String text(JsonNode node, String path) throws ModelFileException {
    if (node == null) {
      throw new ModelFileException("header lacks the field " + path);
    }
    if (!node.isTextual()) {
      throw new ModelFileException("header field " + path + " must be a string, was " + node);
    }
    return node.textValue();
  }

  static void constant(JsonNode node, String path, int version, String value)
      throws ModelFileException {
    if (!value.equals(text(node, path))) {
      throw new ModelFileException(
          "header field "
              + path
              + " is '"
              + node.textValue()
              + "', format version "
              + version
              + " has only '"
              + value
              + "'");
    }
  }

  private static long integral(JsonNode node, String path) throws ModelFileException {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new ModelFileException("header field " + path + " must be an integer, was " + node);
    }
    return node.longValue();
  }

  /** A whole number from 0 to {@link Integer#MAX_VALUE}. */
  static int count(JsonNode node, String path) throws ModelFileException {
    long value = integral(node, path);
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new ModelFileException(
          "header field " + path + " must lie in [0, " + Integer.MAX_VALUE + "], was " + value);
    }
    return (int) value;
  }

  static int size(JsonNode node, String path) throws ModelFileException {
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
      throw new ModelFileException(
          "header field " + path + " must be an integer from 1 to 2^31 - 1, was " + node);
    }
    return node.intValue();
  }

  private static Instant instant(JsonNode node) throws ModelFileException {
    String s = text(node, "created");
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      throw new ModelFileException(
          "header field created is not an ISO-8601 instant such as 2024-05-01T12:00:00Z: '"
              + s
              + "'");
    }
  }

  /** Exactly the names the writer uses; aliases such as Keras' "linear" belong to importers. */
  static Activation activation(JsonNode node, String path) throws ModelFileException {
    String id = text(node, path);
    for (Activation a : ACTIVATIONS) {
      if (a.id().equals(id)) {
        return a;
      }
    }
    StringBuilder known = new StringBuilder();
    for (Activation a : ACTIVATIONS) {
      known.append(known.length() == 0 ? "" : ", ").append(a.id());
    }
    throw new ModelFileException(
        "header field " + path + " is '" + id + "', expected one of " + known);
  }
}
