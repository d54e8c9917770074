package io.flinklstm.importer;

import io.flinklstm.model.LstmModel;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.kernel.Stepper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * One case under {@code src/test/resources/fixtures/torch}, written by {@code
 * scripts/generate_torch_fixtures.py}: a model in PyTorch and Keras layout, an input sequence and
 * what torch computed for it in float32.
 */
public record TorchFixture(String name, Path dir) {
  /** Two layers, H = 16, D = 3, with normalisation; Keras arrays in Fortran order. */
  public static final String TWO_LAYERS = "lstm2_h16_d3";

  /** One layer, H = 64, D = 8, identity normalisation; Keras arrays in float64. */
  public static final String WIDE = "lstm1_h64_d8";

  public static final List<String> CASES = List.of(TWO_LAYERS, WIDE);

  /** The parity bound on every h, c and prediction value, over every step. */
  public static final double TOLERANCE = 1e-5;

  static final ModelInfo INFO = ModelInfo.first("torch-parity", Instant.EPOCH);

  /** The case names, for parameterised tests. */
  public static Stream<String> cases() {
    return CASES.stream();
  }

  public static TorchFixture of(String name) {
    URL url = TorchFixture.class.getResource("/fixtures/torch/" + name);
    if (url == null) {
      throw new IllegalStateException("no fixture " + name + " on the test classpath");
    }
    try {
      return new TorchFixture(name, Path.of(url.toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path pytorchWeights() {
    return dir.resolve("pytorch.npz");
  }

  public Path kerasWeights() {
    return dir.resolve("keras.npz");
  }

  /** The separate normalisation archive, or null where the case has none. */
  public Path normalization() {
    Path p = dir.resolve("normalization.npz");
    return Files.exists(p) ? p : null;
  }

  public Path input() {
    return dir.resolve("input.csv");
  }

  public LstmModel importPyTorch() throws IOException {
    return importWith(new PyTorchImporter(), pytorchWeights());
  }

  public LstmModel importKeras() throws IOException {
    return importWith(new KerasImporter(), kerasWeights());
  }

  LstmModel importWith(WeightImporter importer, Path weights) throws IOException {
    WeightArrays arrays = WeightArrays.load(weights);
    return normalization() == null
        ? importer.importModel(arrays, INFO)
        : importer.importModel(arrays, WeightArrays.load(normalization()), INFO);
  }

  /** The input rows, after the header line. */
  public float[][] inputs() {
    try {
      List<String> lines = Files.readAllLines(input());
      float[][] rows = new float[lines.size() - 1][];
      for (int t = 0; t < rows.length; t++) {
        String[] cells = lines.get(t + 1).split(",");
        rows[t] = new float[cells.length];
        for (int i = 0; i < cells.length; i++) {
          rows[t][i] = Float.parseFloat(cells[i]);
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What torch computed: per step the raw prediction and the last layer's h and c. */
  public Expected expected() throws IOException {
    WeightArrays arrays = WeightArrays.load(dir.resolve("expected.npz"));
    return new Expected(read(arrays, "prediction"), read(arrays, "h"), read(arrays, "c"));
  }

  private static float[][] read(WeightArrays arrays, String name) {
    int[] shape = arrays.shape(name, 2, "(T, n)");
    return arrays.matrix(name, shape[0], shape[1], "(T, n)");
  }

  /** Runs the inputs through a stepper from a zero state and measures the largest errors. */
  public Errors run(Stepper stepper) throws IOException {
    LstmModel model = stepper.model();
    Expected expected = expected();
    float[][] inputs = inputs();
    LstmState state = model.newState();
    float[] raw = new float[model.inputSize()];
    int last = model.lastLayerOffset();
    Errors errors = new Errors();
    for (int t = 0; t < inputs.length; t++) {
      model.normalizer().denormalize(stepper.step(state, inputs[t]), raw);
      errors.prediction = Math.max(errors.prediction, maxDiff(raw, 0, expected.prediction[t]));
      errors.h = Math.max(errors.h, maxDiff(state.h(), last, expected.h[t]));
      errors.c = Math.max(errors.c, maxDiff(state.c(), last, expected.c[t]));
    }
    errors.steps = inputs.length;
    return errors;
  }

  static double maxDiff(float[] actual, int offset, float[] expected) {
    double max = 0;
    for (int i = 0; i < expected.length; i++) {
      max = Math.max(max, Math.abs((double) actual[offset + i] - expected[i]));
    }
    return max;
  }

  /** Torch's outputs, one row per step. */
  public record Expected(float[][] prediction, float[][] h, float[][] c) {}

  /** The largest absolute differences over all steps. */
  public static final class Errors {
    public int steps;
    public double prediction;
    public double h;
    public double c;

    public double max() {
      return Math.max(prediction, Math.max(h, c));
    }

    @Override
    public String toString() {
      return String.format(
          "%d steps, max |error|: prediction %.2e, h %.2e, c %.2e", steps, prediction, h, c);
    }
  }
}
