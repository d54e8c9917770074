package io.flinklstm.model.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.InputScaling;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.SequenceModel;
import io.flinklstm.model.TimeFeatures;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelFileSummary.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a model file: everything about a model except its numbers. See {@link
 * ModelFile} for the fields of format versions 1 and 2; {@link ModelHeaderParser} reads them back.
 *
 * <p>{@link #toJson} is deterministic (fixed field order, no whitespace, numbers as Java prints
 * them), which is what makes file → model → file byte-identical.
 *
 * @param formatVersion 1 for a numeric LSTM model whose values reach it as they are, 3 for one that
 *     scales them per key, 4 for one that takes time inputs, 2 for a categorical model
 * @param inputSize D, a numeric model's input size, or E, a categorical model's embedding size
 * @param scaling a numeric model's scaling, null for a categorical model
 * @param time a numeric model's time inputs, null for a categorical model
 * @param vocabulary a categorical model's vocabulary, or null for a numeric model
 * @param outputSize D for the dense head of a numeric model, V for a softmax head
 */
record ModelHeader(
    int formatVersion,
    ModelInfo info,
    int inputSize,
    InputScaling scaling,
    TimeFeatures time,
    Vocabulary vocabulary,
    List<LayerSpec> layers,
    int outputSize,
    GateOrder gateOrder,
    List<Tensor> tensors) {

  static final String LSTM = "lstm";
  static final String DENSE = "dense";
  static final String SOFTMAX = "softmax";
  static final String NUMERIC = "numeric";
  static final String SYMBOLS = "symbols";
  static final String MEAN = "normalization.mean";
  static final String STD = "normalization.std";
  static final String EMBEDDING = "input.embedding";
  static final String HEAD_WEIGHTS = "head.weights";
  static final String HEAD_BIAS = "head.bias";

  ModelHeader {
    layers = List.copyOf(layers);
    tensors = List.copyOf(tensors);
  }

  /** A categorical model's header: symbols in, softmax out. */
  boolean categorical() {
    return vocabulary != null;
  }

  /**
   * One recurrent layer of the architecture.
   *
   * @param recurrentActivation the LSTM's gate activation; null for an RNN layer
   */
  record LayerSpec(
      CellType cell, int hiddenSize, Activation activation, Activation recurrentActivation) {

    static LayerSpec of(RecurrentLayer layer) {
      return new LayerSpec(
          layer.cellType(),
          layer.hiddenSize(),
          layer.activation(),
          layer instanceof LstmLayer lstm ? lstm.recurrentActivation() : null);
    }

    /** B·H, the columns of the layer's weights. */
    int columns() {
      return Math.multiplyExact(cell.blocks(), hiddenSize);
    }
  }

  /** The header a model is written with: gate order ifgo, tensors in canonical order. */
  static ModelHeader of(SequenceModel model) {
    List<LayerSpec> layers = new ArrayList<>();
    if (model instanceof LstmModel lstm) {
      lstm.layers().forEach(layer -> layers.add(LayerSpec.of(layer)));
      int d = lstm.inputSize();
      int o = lstm.head().outputSize();
      InputScaling scaling = lstm.scaling();
      TimeFeatures time = lstm.time();
      int version =
          time.any()
              ? ModelFile.TIMED_FORMAT_VERSION
              : scaling.perKey() ? ModelFile.SCALED_FORMAT_VERSION : ModelFile.FORMAT_VERSION;
      return new ModelHeader(
          version,
          model.info(),
          d,
          scaling,
          time,
          null,
          layers,
          o,
          GateOrder.IFGO,
          canonicalTensors(d, time.width(), null, layers, o));
    }
    CategoricalModel categorical = (CategoricalModel) model;
    categorical.layers().forEach(layer -> layers.add(LayerSpec.of(layer)));
    int e = categorical.embedding().size();
    Vocabulary vocabulary = categorical.vocabulary();
    return new ModelHeader(
        ModelFile.CATEGORICAL_FORMAT_VERSION,
        model.info(),
        e,
        null,
        null,
        vocabulary,
        layers,
        vocabulary.size(),
        GateOrder.IFGO,
        canonicalTensors(e, 0, vocabulary, layers, vocabulary.size()));
  }

  /**
   * The tensors an architecture has, in the order the writer stores them, with their shapes.
   *
   * @param timeWidth the time inputs the first layer takes after the normalised values
   * @param vocabulary null for numeric input (normalisation tensors), else the embedding's rows
   * @throws ArithmeticException if a size does not fit in an int
   */
  static List<Tensor> canonicalTensors(
      int inputSize, int timeWidth, Vocabulary vocabulary, List<LayerSpec> layers, int outputSize) {
    List<Tensor> out = new ArrayList<>();
    if (vocabulary == null) {
      out.add(new Tensor(MEAN, List.of(inputSize)));
      out.add(new Tensor(STD, List.of(inputSize)));
    } else {
      out.add(new Tensor(EMBEDDING, List.of(vocabulary.size(), inputSize)));
    }
    int in = Math.addExact(inputSize, timeWidth);
    for (int l = 0; l < layers.size(); l++) {
      int h = layers.get(l).hiddenSize();
      int columns = layers.get(l).columns();
      out.add(new Tensor(inputWeights(l), List.of(in, columns)));
      out.add(new Tensor(recurrentWeights(l), List.of(h, columns)));
      out.add(new Tensor(bias(l), List.of(columns)));
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
      if (formatVersion == 1) {
        writeArchitecture(g);
      } else {
        writeArchitectureV2(g);
      }
      g.writeStringField("gateOrder", gateOrder.letters());
      if (categorical()) {
        g.writeObjectFieldStart("vocabulary");
        g.writeStringField("unknown", vocabulary.unknownSymbol());
        g.writeArrayFieldStart("symbols");
        for (String symbol : vocabulary.symbols()) {
          g.writeString(symbol);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
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

  private void writeScaling(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("scaling");
    g.writeStringField("type", scaling.kind().id());
    if (scaling.perKey()) {
      g.writeNumberField("learnEvents", scaling.learnEvents());
      g.writeNumberField("adaptEvents", scaling.adaptEvents());
      g.writeNumberField("clip", scaling.clip());
    }
    g.writeEndObject();
  }

  private void writeArchitectureV2(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("architecture");
    g.writeObjectFieldStart("input");
    if (categorical()) {
      g.writeStringField("type", SYMBOLS);
      g.writeNumberField("vocabularySize", vocabulary.size());
      g.writeNumberField("embeddingSize", inputSize);
    } else {
      g.writeStringField("type", NUMERIC);
      g.writeNumberField("size", inputSize);
      if (formatVersion >= ModelFile.SCALED_FORMAT_VERSION) {
        writeScaling(g);
      }
      if (formatVersion >= ModelFile.TIMED_FORMAT_VERSION) {
        g.writeObjectFieldStart("time");
        g.writeArrayFieldStart("features");
        for (TimeFeatures.Period period : time.periods()) {
          g.writeString(period.id());
        }
        g.writeEndArray();
        g.writeStringField("zone", time.zoneId());
        g.writeEndObject();
      }
    }
    g.writeEndObject();
    g.writeArrayFieldStart("layers");
    for (LayerSpec layer : layers) {
      g.writeStartObject();
      g.writeStringField("type", layer.cell().id());
      g.writeNumberField("hiddenSize", layer.hiddenSize());
      g.writeStringField("activation", layer.activation().id());
      if (layer.cell() == CellType.LSTM) {
        g.writeStringField("recurrentActivation", layer.recurrentActivation().id());
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeObjectFieldStart("head");
    g.writeStringField("type", categorical() ? SOFTMAX : DENSE);
    g.writeNumberField("outputSize", outputSize);
    g.writeEndObject();
    g.writeEndObject();
  }
}
