package io.flinklstm.model;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flinklstm.model.ModelFileSummary.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a model file, format version 1: everything about a model except its numbers.
 * See {@link ModelFile} for the fields; {@link ModelHeaderParser} reads them back.
 *
 * <p>{@link #toJson} is deterministic (fixed field order, no whitespace, numbers as Java prints
 * them), which is what makes file → model → file byte-identical.
 */
record ModelHeader(
    ModelInfo info,
    int inputSize,
    List<LayerSpec> layers,
    int outputSize,
    GateOrder gateOrder,
    List<Tensor> tensors) {

  static final String LSTM = "lstm";
  static final String DENSE = "dense";
  static final String MEAN = "normalization.mean";
  static final String STD = "normalization.std";
  static final String HEAD_WEIGHTS = "head.weights";
  static final String HEAD_BIAS = "head.bias";

  ModelHeader {
    layers = List.copyOf(layers);
    tensors = List.copyOf(tensors);
  }

  /** One LSTM layer of the architecture. */
  record LayerSpec(int hiddenSize, Activation activation, Activation recurrentActivation) {}

  /** The header a model is written with: gate order ifgo, tensors in canonical order. */
  static ModelHeader of(LstmModel model) {
    List<LayerSpec> layers = new ArrayList<>();
    for (LstmLayer layer : model.layers()) {
      layers.add(
          new LayerSpec(layer.hiddenSize(), layer.activation(), layer.recurrentActivation()));
    }
    int d = model.inputSize();
    int o = model.head().outputSize();
    return new ModelHeader(
        model.info(), d, layers, o, GateOrder.IFGO, canonicalTensors(d, layers, o));
  }

  /**
   * The tensors an architecture has, in the order the writer stores them, with their shapes.
   *
   * @throws ArithmeticException if a size does not fit in an int
   */
  static List<Tensor> canonicalTensors(int inputSize, List<LayerSpec> layers, int outputSize) {
    List<Tensor> out = new ArrayList<>();
    out.add(new Tensor(MEAN, List.of(inputSize)));
    out.add(new Tensor(STD, List.of(inputSize)));
    int in = inputSize;
    for (int l = 0; l < layers.size(); l++) {
      int h = layers.get(l).hiddenSize();
      int gates = Math.multiplyExact(4, h);
      out.add(new Tensor(inputWeights(l), List.of(in, gates)));
      out.add(new Tensor(recurrentWeights(l), List.of(h, gates)));
      out.add(new Tensor(bias(l), List.of(gates)));
      in = h;
    }
    out.add(new Tensor(HEAD_WEIGHTS, List.of(in, outputSize)));
    out.add(new Tensor(HEAD_BIAS, List.of(outputSize)));
    return out;
  }

  static String inputWeights(int layer) {
    return "layers." + layer + ".input_weights";
  }

  static String recurrentWeights(int layer) {
    return "layers." + layer + ".recurrent_weights";
  }

  static String bias(int layer) {
    return "layers." + layer + ".bias";
  }

  /** The number of tensor bytes the table announces, with overflow refused. */
  long tensorBytes() {
    long total = 0;
    for (Tensor t : tensors) {
      total = Math.addExact(total, Math.multiplyExact(t.elements(), Float.BYTES));
    }
    return total;
  }

  byte[] toJson() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g =
        ModelHeaderParser.JSON.getFactory().createGenerator(bytes, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeStringField("name", info.name());
      g.writeNumberField("version", info.version());
      g.writeStringField("created", info.created().toString());
      g.writeNumberField("parentVersion", info.parentVersion());
      writeArchitecture(g);
      g.writeStringField("gateOrder", gateOrder.letters());
      g.writeObjectFieldStart("metrics");
      for (Map.Entry<String, Double> metric : info.metrics().entrySet()) {
        g.writeNumberField(metric.getKey(), metric.getValue());
      }
      g.writeEndObject();
      g.writeArrayFieldStart("tensors");
      for (Tensor t : tensors) {
        g.writeStartObject();
        g.writeStringField("name", t.name());
        g.writeArrayFieldStart("shape");
        for (int dim : t.shape()) {
          g.writeNumber(dim);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  private void writeArchitecture(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("architecture");
    g.writeNumberField("inputSize", inputSize);
    g.writeArrayFieldStart("layers");
    for (LayerSpec layer : layers) {
      g.writeStartObject();
      g.writeStringField("type", LSTM);
      g.writeNumberField("hiddenSize", layer.hiddenSize());
      g.writeStringField("activation", layer.activation().id());
      g.writeStringField("recurrentActivation", layer.recurrentActivation().id());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("head");
    g.writeStringField("type", DENSE);
    g.writeNumberField("outputSize", outputSize);
    g.writeEndObject();
    g.writeEndObject();
  }
}
