package io.flinklstm.importer;

import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.LstmState;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.kernel.SymbolStepper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * One case of the committed categorical PyTorch fixtures ({@code
 * scripts/generate_torch_categorical_fixtures.py}): the state dict, the vocabulary, the symbol
 * sequence and torch's log-probabilities and last-layer h after every step.
 */
public record CategoricalTorchFixture(String name, Path dir) {
  /** Embedding, two tanh RNN layers, the unknown symbol at id 0. */
  public static final String RNN_TWO_LAYERS = "rnn2_h32_e8_v12";

  /** One-hot input (no embedding), one relu RNN layer, the unknown symbol last. */
  public static final String ONE_HOT_RELU = "rnn1_h16_onehot_v10_relu";

  /** Embedding and an LSTM layer, the unknown symbol in the middle. */
  public static final String LSTM = "lstm1_h16_e4_v9";

  public static final List<String> CASES = List.of(RNN_TWO_LAYERS, ONE_HOT_RELU, LSTM);

  /** Largest absolute error allowed in a log-probability or a hidden value, float32. */
  public static final double TOLERANCE = 1e-5;

  static final ModelInfo INFO = ModelInfo.first("torch-categorical", Instant.EPOCH);

  public static Stream<String> cases() {
    return CASES.stream();
  }

  public static CategoricalTorchFixture of(String name) {
    URL url = CategoricalTorchFixture.class.getResource("/fixtures/torch-categorical/" + name);
    if (url == null) {
      throw new IllegalStateException("no fixture " + name + " on the test classpath");
    }
    try {
      return new CategoricalTorchFixture(name, Path.of(url.toURI()));
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public CellType cell() {
    return name.startsWith("rnn") ? CellType.RNN : CellType.LSTM;
  }

  public Activation activation() {
    return name.endsWith("_relu") ? Activation.RELU : Activation.TANH;
  }

  public Path weights() {
    return dir.resolve("pytorch.npz");
  }

  public Path vocabularyFile() {
    return dir.resolve("vocab.txt");
  }

  public List<String> symbols() throws IOException {
    return Files.readAllLines(dir.resolve("symbols.txt"));
  }

  public CategoricalModel importModel() throws IOException {
    Vocabulary vocabulary =
        PyTorchCategoricalImporter.readVocabulary(vocabularyFile(), Vocabulary.DEFAULT_UNKNOWN);
    return PyTorchCategoricalImporter.withDefaults(cell(), activation())
        .importModel(WeightArrays.load(weights()), vocabulary, INFO);
  }

  /**
   * Feeds the symbols through a stepper from a zero state, unknown ones as the out-of-vocabulary
   * id, and measures the largest errors against torch.
   */
  public Errors run(SymbolStepper stepper) throws IOException {
    CategoricalModel model = stepper.model();
    WeightArrays expected = WeightArrays.load(dir.resolve("expected.npz"));
    float[][] logProbs = read(expected, "log_probs");
    float[][] h = read(expected, "h");
    List<String> symbols = symbols();
    LstmState state = model.newState();
    Errors errors = new Errors();
    for (int t = 0; t < symbols.size(); t++) {
      String symbol = symbols.get(t);
      if (model.vocabulary().find(symbol) < 0) {
        errors.unknown++;
      }
      float[] logp = stepper.step(state, model.vocabulary().id(symbol));
      errors.logProbability =
          Math.max(errors.logProbability, TorchFixture.maxDiff(logp, 0, logProbs[t]));
      errors.h = Math.max(errors.h, TorchFixture.maxDiff(state.h(), model.lastLayerOffset(), h[t]));
    }
    errors.steps = symbols.size();
    return errors;
  }

  private static float[][] read(WeightArrays arrays, String name) {
    int[] shape = arrays.shape(name, 2, "(T, n)");
    return arrays.matrix(name, shape[0], shape[1], "(T, n)");
  }

  /** The largest absolute differences over all steps. */
  public static final class Errors {
    public int steps;
    public int unknown;
    public double logProbability;
    public double h;

    public double max() {
      return Math.max(logProbability, h);
    }

    @Override
    public String toString() {
      return String.format(
          "%d steps (%d unknown symbols), max |error|: log p %.2e, h %.2e",
          steps, unknown, logProbability, h);
    }
  }
}
