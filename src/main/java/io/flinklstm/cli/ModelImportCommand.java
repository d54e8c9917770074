package io.flinklstm.cli;

import io.flinklstm.importer.KerasImporter;
import io.flinklstm.importer.PyTorchCategoricalImporter;
import io.flinklstm.importer.PyTorchImporter;
import io.flinklstm.importer.WeightArrays;
import io.flinklstm.importer.WeightImporter;
import io.flinklstm.model.Activation;
import io.flinklstm.model.CategoricalModel;
import io.flinklstm.model.CellType;
import io.flinklstm.model.LstmLayer;
import io.flinklstm.model.LstmModel;
import io.flinklstm.model.ModelInfo;
import io.flinklstm.model.RecurrentLayer;
import io.flinklstm.model.Vocabulary;
import io.flinklstm.model.format.ModelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-lstm model import}: turns Keras or PyTorch weights saved with NumPy into a model
 * file, version 1 of its name. The naming of the arrays is described in {@link KerasImporter},
 * {@link PyTorchImporter} and, for categorical models ({@code --vocab}), {@link
 * PyTorchCategoricalImporter}; everything is validated before anything is written.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import LSTM weights trained with Keras or PyTorch, saved as NumPy arrays, into a model file"
          + " (version 1 of its name).",
      "keras: lstm_<k>/kernel (D,4H), lstm_<k>/recurrent_kernel (H,4H), lstm_<k>/bias (4H,) for"
          + " k = 0, 1, ...; dense/kernel (H,D), dense/bias (D,); gate order i,f,c,o.",
      "pytorch: a state_dict: lstm.weight_ih_l<k> (4H,D), lstm.weight_hh_l<k> (4H,H),"
          + " lstm.bias_ih_l<k>, lstm.bias_hh_l<k> (4H,); head.weight (D,H), head.bias (D,).",
      "Optional normalisation: --normalization, or normalization/mean and normalization/std in"
          + " the weights; without either the model takes raw values.",
      "Categorical (next-symbol) models: --format pytorch --vocab FILE [--cell rnn|lstm]:"
          + " embedding.weight (V,E) (optional: one-hot input without it), rnn.weight_ih_l<k>"
          + " (H,D), rnn.weight_hh_l<k> (H,H), rnn.bias_ih_l<k>, rnn.bias_hh_l<k> (H,) (or the"
          + " lstm.* arrays), head.weight (V,H), head.bias (V,); written as format version 2."
    })
final class ModelImportCommand implements Callable<Integer> {
  private static final String KERAS = "keras";
  private static final String PYTORCH = "pytorch";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--format",
      required = true,
      paramLabel = "keras|pytorch",
      description = "The layout of the weights: keras or pytorch.")
  String format;

  @Option(
      names = "--weights",
      required = true,
      paramLabel = "FILE_OR_DIR",
      description =
          "The weights: an .npz archive (np.savez or np.savez_compressed) or a directory of .npy"
              + " files, DIR/lstm_0/kernel.npy being the array lstm_0/kernel.")
  Path weights;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "MODEL",
      description = "The model file to write; an existing file is replaced.")
  Path out;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The model's name (default: the --out file name without its extension).")
  String name;

  @Option(
      names = "--activation",
      paramLabel = "A",
      description =
          "keras only: the layers' activation, one of sigmoid, hard_sigmoid, tanh, identity"
              + " (or linear), relu (default: tanh).")
  String activation;

  @Option(
      names = "--recurrent-activation",
      paramLabel = "A",
      description =
          "keras only: the gates' recurrent_activation, from the same list (default: sigmoid).")
  String recurrentActivation;

  @Option(
      names = "--normalization",
      paramLabel = "NPZ",
      description =
          "An .npz archive or a directory with arrays 'mean' and 'std' (D values each): inputs are"
              + " standardised as (x - mean) / std before the first layer.")
  Path normalization;

  @Option(
      names = "--lstm-prefix",
      paramLabel = "PREFIX",
      description =
          "pytorch only: what precedes weight_ih_l0 in the state_dict (default: "
              + PyTorchImporter.DEFAULT_LSTM_PREFIX
              + ").")
  String lstmPrefix;

  @Option(
      names = "--head-prefix",
      paramLabel = "PREFIX",
      description =
          "pytorch only: what precedes the Linear head's weight and bias (default: "
              + PyTorchImporter.DEFAULT_HEAD_PREFIX
              + ").")
  String headPrefix;

  @Option(
      names = "--vocab",
      paramLabel = "FILE",
      description =
          "pytorch only: import a categorical (next-symbol) model with this vocabulary: UTF-8, one"
              + " symbol per line, line i being id i, including the out-of-vocabulary symbol.")
  Path vocab;

  @Option(
      names = "--unknown",
      paramLabel = "SYMBOL",
      description =
          "With --vocab: the vocabulary's out-of-vocabulary symbol, which every symbol not in the"
              + " list maps to (default: "
              + Vocabulary.DEFAULT_UNKNOWN
              + ").")
  String unknown;

  @Option(
      names = "--cell",
      paramLabel = "lstm|rnn",
      description =
          "With --vocab: the recurrent module, nn.LSTM (lstm) or nn.RNN (rnn; --activation tanh or"
              + " relu as its nonlinearity) (default: lstm).")
  String cell;

  @Option(
      names = "--rnn-prefix",
      paramLabel = "PREFIX",
      description =
          "With --cell rnn: what precedes weight_ih_l0 in the state_dict (default: "
              + PyTorchCategoricalImporter.DEFAULT_RNN_PREFIX
              + ").")
  String rnnPrefix;

  @Option(
      names = "--embedding-prefix",
      paramLabel = "PREFIX",
      description =
          "With --vocab: what precedes the nn.Embedding's weight (default: "
              + PyTorchCategoricalImporter.DEFAULT_EMBEDDING_PREFIX
              + ").")
  String embeddingPrefix;

  @Override
  public Integer call() throws IOException {
    if (vocab != null) {
      return importCategorical();
    }
    refuseWithoutVocab();
    WeightImporter importer = importer();
    ModelInfo info = ModelInfo.first(modelName(), Instant.now());
    WeightArrays arrays = WeightArrays.load(weights);
    LstmModel model =
        normalization == null
            ? importer.importModel(arrays, info)
            : importer.importModel(arrays, WeightArrays.load(normalization), info);
    ModelFiles.writeAtomically(out, ModelFile.write(model));
    spec.commandLine().getOut().println(summary(model));
    return 0;
  }

  private void refuseWithoutVocab() {
    if (cell != null && !"lstm".equals(cell)) {
      throw usage(
          "--cell "
              + cell
              + " needs --vocab: numeric models have LSTM layers only, categorical models any");
    }
    for (String[] option :
        new String[][] {
          {unknown, "--unknown"},
          {rnnPrefix, "--rnn-prefix"},
          {embeddingPrefix, "--embedding-prefix"}
        }) {
      if (option[0] != null) {
        throw usage(option[1] + " applies to categorical models, imported with --vocab");
      }
    }
  }

  private int importCategorical() throws IOException {
    if (!PYTORCH.equals(format.toLowerCase(Locale.ROOT))) {
      throw usage("--vocab applies to --format pytorch, not " + format);
    }
    if (normalization != null) {
      throw usage("--normalization applies to numeric models; a categorical model reads symbols");
    }
    if (recurrentActivation != null) {
      throw usage("--recurrent-activation applies to --format keras");
    }
    CellType cellType;
    try {
      cellType = CellType.parse(cell == null ? "lstm" : cell);
    } catch (IllegalArgumentException e) {
      throw usage("--cell must be lstm or rnn, was '" + cell + "'");
    }
    if (cellType == CellType.LSTM && rnnPrefix != null) {
      throw usage("--rnn-prefix applies to --cell rnn");
    }
    if (cellType == CellType.RNN && lstmPrefix != null) {
      throw usage("--lstm-prefix applies to --cell lstm");
    }
    PyTorchCategoricalImporter importer;
    try {
      importer =
          new PyTorchCategoricalImporter(
              cellType,
              activation(activation, Activation.TANH),
              embeddingPrefix == null
                  ? PyTorchCategoricalImporter.DEFAULT_EMBEDDING_PREFIX
                  : embeddingPrefix,
              cellType == CellType.RNN
                  ? (rnnPrefix == null ? PyTorchCategoricalImporter.DEFAULT_RNN_PREFIX : rnnPrefix)
                  : (lstmPrefix == null ? PyTorchImporter.DEFAULT_LSTM_PREFIX : lstmPrefix),
              headPrefix == null ? PyTorchImporter.DEFAULT_HEAD_PREFIX : headPrefix);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage() + "; check --activation");
    }
    Vocabulary vocabulary =
        PyTorchCategoricalImporter.readVocabulary(
            vocab, unknown == null ? Vocabulary.DEFAULT_UNKNOWN : unknown);
    ModelInfo info = ModelInfo.first(modelName(), Instant.now());
    CategoricalModel model = importer.importModel(WeightArrays.load(weights), vocabulary, info);
    ModelFiles.writeAtomically(out, ModelFile.write(model));
    StringJoiner sizes = new StringJoiner("->");
    sizes.add(Integer.toString(model.embedding().size()));
    for (RecurrentLayer layer : model.layers()) {
      sizes.add(Integer.toString(layer.hiddenSize()));
    }
    sizes.add(Integer.toString(model.head().outputSize()));
    spec.commandLine()
        .getOut()
        .println(
            String.format(
                Locale.ROOT,
                "imported pytorch categorical weights from %s: model '%s' version %d, %d %s"
                    + " layer(s), vocabulary %d (out-of-vocabulary '%s'), sizes %s, %d"
                    + " parameters; wrote %s",
                weights,
                model.info().name(),
                model.info().version(),
                model.layers().size(),
                cellType.id().toUpperCase(Locale.ROOT),
                vocabulary.size(),
                vocabulary.unknownSymbol(),
                sizes,
                model.parameterCount(),
                out));
    return 0;
  }

  private WeightImporter importer() {
    switch (format.toLowerCase(Locale.ROOT)) {
      case KERAS:
        refuse(lstmPrefix, "--lstm-prefix", KERAS);
        refuse(headPrefix, "--head-prefix", KERAS);
        return new KerasImporter(
            activation(activation, Activation.TANH),
            activation(recurrentActivation, Activation.SIGMOID));
      case PYTORCH:
        // PyTorch's nn.LSTM has no choice of activations; accept only what it computes.
        if (activation(activation, Activation.TANH) != Activation.TANH
            || activation(recurrentActivation, Activation.SIGMOID) != Activation.SIGMOID) {
          throw usage(
              "PyTorch's nn.LSTM always uses tanh and sigmoid; drop --activation and --recurrent-activation");
        }
        return new PyTorchImporter(
            lstmPrefix == null ? PyTorchImporter.DEFAULT_LSTM_PREFIX : lstmPrefix,
            headPrefix == null ? PyTorchImporter.DEFAULT_HEAD_PREFIX : headPrefix);
      default:
        throw usage("--format must be keras or pytorch, was '" + format + "'");
    }
  }

  private Activation activation(String value, Activation otherwise) {
    try {
      return value == null ? otherwise : Activation.parse(value);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private void refuse(String value, String option, String formatName) {
    if (value != null) {
      throw usage(option + " applies to --format pytorch, not " + formatName);
    }
  }

  private String modelName() {
    if (name != null) {
      return name;
    }
    String file = out.getFileName().toString();
    int dot = file.lastIndexOf('.');
    return dot > 0 ? file.substring(0, dot) : file;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** One line a person or a script can read: what was imported and where it went. */
  private String summary(LstmModel model) {
    StringJoiner sizes = new StringJoiner("->");
    sizes.add(Integer.toString(model.inputSize()));
    for (LstmLayer layer : model.layers()) {
      sizes.add(Integer.toString(layer.hiddenSize()));
    }
    sizes.add(Integer.toString(model.head().outputSize()));
    return String.format(
        Locale.ROOT,
        "imported %s weights from %s: model '%s' version %d, %d LSTM layer(s), sizes %s,"
            + " %d parameters; wrote %s",
        format.toLowerCase(Locale.ROOT),
        weights,
        model.info().name(),
        model.info().version(),
        model.layers().size(),
        sizes,
        model.parameterCount(),
        out);
  }
}
